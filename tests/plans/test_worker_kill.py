"""A worker that dies (SIGKILL, out of memory, a host lost) while making a report: the job
comes back to the next worker once the visibility timeout has passed (issue 14, item 6).

Real Redis and real workers, through bench/worker_kill.py with a 5-second timeout; the
production timeout (CELERY_VISIBILITY_TIMEOUT, 720 s) is measured by the same script.
"""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

BROKER = os.environ.get("CELERY_BROKER_URL", "")
if not BROKER.startswith("redis://"):
    BROKER = "redis://127.0.0.1:6379/14"


def redis_is_up() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(BROKER, socket_connect_timeout=1).ping())
    except redis.exceptions.ConnectionError:
        return False


@pytest.mark.skipif(not redis_is_up(), reason="needs a Redis server")
def test_a_report_whose_worker_was_killed_is_finished_by_the_next_worker():
    env = {**os.environ, "BENCH_BROKER_URL": BROKER}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    command = [sys.executable, "-m", "bench.worker_kill", "--json"]
    result = subprocess.run(
        [*command, "--tasks=9000", "--visibility-timeout=5", "--kill-after=1"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,  # longer than the script's own waits, so that it always stops its workers
    )

    assert result.returncode == 0, result.stdout + result.stderr
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    # 5 s unacknowledged, a worker's 10-second look for such jobs, its start and the job.
    assert figures["kill_to_done"] < 30
