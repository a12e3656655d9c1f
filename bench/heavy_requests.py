"""Peak memory of the heaviest reads (issue 14, item 1): the task list with a huge
`per_page` and its .xlsx export, as the city-wide viewer, with a plan whose document is
4.9 MB and whose 9,000 tasks carry long texts.

    python -m bench.heavy_requests [--tasks 9000]

Each request runs in a fresh process (as one gunicorn worker would answer it), through
Django's test client with DEBUG off; prints its resident memory before, the peak (VmHWM)
after, the time taken and the size of the answer.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.report_memory import ROOT, big_plan, setup_django, vm

DOCUMENT_BYTES = 4_900_000
REQUESTS = {
    "list": {"per_page": "100000"},
    "export": {"per_page": "100000", "_export": "xlsx"},
}


def measure(database: Path, which: str) -> None:
    setup_django(database)
    from django.test import Client

    from apps.accounts.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="city_viewer"))
    before = vm("VmRSS")
    started = time.perf_counter()
    response = client.get("/tasks/", REQUESTS[which])
    if response.streaming:
        size = sum(len(chunk) for chunk in response.streaming_content)
    else:
        size = len(response.content)
    elapsed = time.perf_counter() - started
    print(
        f"{which:6}: status {response.status_code}, {size / 1024:.0f} KiB in {elapsed:.1f} s; "
        f"RSS before {before / 1024:.0f} MiB, peak {vm('VmHWM') / 1024:.0f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=9000)
    parser.add_argument("--measure", nargs=2, metavar=("DATABASE", "REQUEST"))
    args = parser.parse_args()
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 60)
    if args.measure:
        measure(Path(args.measure[0]), args.measure[1])
        return
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "bench.sqlite3"
        setup_django(database)
        from apps.demo.services import city_viewer_create
        from apps.plans.models import Plan, Task

        big_plan(args.tasks)
        Plan.objects.update(source_text="街" * (DOCUMENT_BYTES // 3))
        Task.objects.update(text="推进重点工作，落实各项任务，确保按期完成。" * 27)
        city_viewer_create()
        print(f"{args.tasks} tasks, a {DOCUMENT_BYTES / 1e6:.1f} MB document")
        for which in REQUESTS:
            command = [sys.executable, "-m", "bench.heavy_requests", "--measure"]
            subprocess.run([*command, str(database), which], cwd=ROOT, check=True)


if __name__ == "__main__":
    main()
