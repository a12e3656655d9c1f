"""What every process start pays for: the site, the worker, beat and each manage.py command."""

import os
import subprocess
import sys

from django.conf import settings


def test_starting_django_does_not_import_openpyxl():
    # Setting Django up loads the admin, which reaches the report service and the exports;
    # a top-level openpyxl import there cost every start (parse_plan included) about 0.2 s.
    code = "import sys, django; django.setup(); print('openpyxl' in sys.modules)"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "apps.settings"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.stdout.strip() == "False", result.stderr
