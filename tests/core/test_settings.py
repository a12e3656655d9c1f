"""Settings read from the environment are parsed strictly."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from apps.settings import env_bool, env_int


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", True), ("TRUE", True), ("1", True), ("on", True), ("false", False), ("0", False)],
)
def test_a_flag_reads_the_usual_words(monkeypatch, value, expected):
    monkeypatch.setenv("SECURE_COOKIES", value)
    assert env_bool("SECURE_COOKIES") is expected


@pytest.mark.parametrize("value", ["ture", "flase", "y", "enabled"])
def test_a_misspelt_flag_is_an_error_not_false(monkeypatch, value):
    monkeypatch.setenv("SECURE_COOKIES", value)
    with pytest.raises(ImproperlyConfigured, match="SECURE_COOKIES must be true or false"):
        env_bool("SECURE_COOKIES")


def test_an_unset_or_empty_flag_takes_its_default(monkeypatch):
    monkeypatch.delenv("SECURE_COOKIES", raising=False)
    assert env_bool("SECURE_COOKIES", True) is True
    monkeypatch.setenv("SECURE_COOKIES", " ")
    assert env_bool("SECURE_COOKIES") is False


def test_a_number_that_is_not_one_is_an_error(monkeypatch):
    monkeypatch.setenv("EMAIL_PORT", "twenty-five")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT must be an integer"):
        env_int("EMAIL_PORT", 25)


def _settings_in_a_fresh_process(env: dict) -> dict:
    """apps.settings as a process started with `env` would read it."""
    import json
    import os
    import subprocess
    import sys

    code = (
        "import json, apps.settings as s; print(json.dumps({"
        "'transport': getattr(s, 'CELERY_BROKER_TRANSPORT_OPTIONS', {}),"
        "'time_limit': s.CELERY_TASK_TIME_LIMIT, 'email': s.EMAIL_BACKEND}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_with_redis_a_lost_job_comes_back_soon_after_the_longest_job_could_run():
    from apps.plans import jobs

    read = _settings_in_a_fresh_process({"CELERY_BROKER_URL": "redis://redis:6379/0"})

    timeout = read["transport"]["visibility_timeout"]
    longest = max(
        [read["time_limit"]]
        + [getattr(job, "time_limit", None) or 0 for job in vars(jobs).values()]
    )
    assert longest < timeout <= 15 * 60


# --- Production defaults (issue 14, item 11) -----------------------------------------------

GOOD_KEY = "k" * 30 + "0123456789abcdefghijklmnopqrstuvwxyz"
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": GOOD_KEY,
    "ALLOWED_HOSTS": "plans.example.org",
    "SECURE_COOKIES": "true",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "DATABASE_URL": "sqlite:////tmp/wt14-deploy-check.sqlite3",
}


def _run(args, env):
    import os
    import subprocess
    import sys

    # The process starts as a deployment would: without what the test session set for
    # itself (the browser tests allow sync database calls in async code, for instance).
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, *args],
        env={**inherited, "DJANGO_SETTINGS_MODULE": "apps.settings", **env},
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize("key", ["change-me", "short-key-of-40-characters-xxxxxxxxxxxxx"])
def test_production_refuses_the_example_key_or_a_short_one(key):
    result = _run(["-c", "import apps.settings"], {**PRODUCTION, "SECRET_KEY": key})

    assert result.returncode != 0
    assert "SECRET_KEY is the example value or shorter than 50" in result.stderr


def test_check_deploy_is_clean_with_the_documented_production_variables():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_page_served_by_gunicorn_carries_the_security_headers(tmp_path):
    # The stack as docker compose runs it (gunicorn, DEBUG off, the .env.example variables
    # with HTTPS on behind a proxy), not the test client: middleware order and settings
    # read from the environment are what is checked.
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    from django.conf import settings

    collected = _run(["manage.py", "collectstatic", "--noinput", "-v0"], PRODUCTION)
    assert collected.returncode == 0, collected.stderr
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "apps.wsgi", f"--bind=127.0.0.1:{port}", "--workers=1"],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "apps.settings", **PRODUCTION},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/accounts/login/",
        headers={"Host": "plans.example.org", "X-Forwarded-Proto": "https"},
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()
            try:
                with urllib.request.urlopen(request, timeout=2) as response:
                    status, headers = response.status, response.headers
                break
            except OSError:
                assert time.monotonic() < deadline, (tmp_path / "gunicorn.log").read_text()
                time.sleep(0.3)
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()

    assert status == 200
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "Secure" in headers["Set-Cookie"]


def test_https_turns_on_hsts_and_a_session_lasts_a_working_day():
    code = (
        "import apps.settings as s; print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT,"
        " s.SESSION_COOKIE_AGE, s.ADMIN_PATH)"
    )
    result = _run(["-c", code], {**PRODUCTION, "ADMIN_PATH": "/guanli-7f3/"})

    assert result.stdout.split() == ["31536000", "True", "28800", "guanli-7f3/"]


def test_without_a_mail_server_e_mails_are_printed_on_the_console_and_with_one_sent():
    console = _settings_in_a_fresh_process({"EMAIL_HOST": "", "EMAIL_BACKEND": ""})
    smtp = _settings_in_a_fresh_process({"EMAIL_HOST": "smtp.example.org", "EMAIL_BACKEND": ""})

    assert console["email"] == "django.core.mail.backends.console.EmailBackend"
    assert smtp["email"] == "django.core.mail.backends.smtp.EmailBackend"


# --- Storage of uploaded files (issue 13) --------------------------------------------------


def _default_storage_in_a_fresh_process(env: dict) -> dict:
    import json
    import os
    import subprocess
    import sys

    code = (
        "import json, django; django.setup();"
        "from django.core.files.storage import storages; s = storages['default'];"
        "print(json.dumps({'class': type(s).__name__,"
        "'bucket': getattr(s, 'bucket_name', None), 'endpoint': getattr(s, 'endpoint_url', None),"
        "'acl': getattr(s, 'default_acl', None), 'overwrite': getattr(s, 'file_overwrite', None)}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "apps.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_files_go_to_a_folder_by_default_and_to_a_private_bucket_when_one_is_named():
    assert _default_storage_in_a_fresh_process({"S3_BUCKET": ""})["class"] == "FileSystemStorage"

    s3 = _default_storage_in_a_fresh_process(
        {"S3_BUCKET": "plans", "S3_ENDPOINT_URL": "http://minio:9000"}
    )
    assert s3 == {
        "class": "S3Storage",
        "bucket": "plans",
        "endpoint": "http://minio:9000",
        "acl": "private",
        "overwrite": False,
    }
