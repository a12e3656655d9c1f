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
        "'time_limit': s.CELERY_TASK_TIME_LIMIT}))"
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
