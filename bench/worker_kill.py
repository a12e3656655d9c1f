"""A worker killed mid-report (issue 14): how long until the report is finished anyway.

    python -m bench.worker_kill [--tasks 9000] [--visibility-timeout 720] [--kill-after 1]

A plan of N tasks (bench/report_memory.py) in a scratch SQLite database; a Celery worker
(prefork, one process, as production runs it) on real Redis (BENCH_BROKER_URL, default
redis://127.0.0.1:6379/14, flushed first). Its report is queued; `--kill-after` seconds after
the worker received the job, the worker's whole process group gets SIGKILL (nothing is
acknowledged, nothing cleaned up); a new worker is started at once, and the time until the
report is finished is printed. Redis hands the unacknowledged job out again once it has
been unacknowledged for the visibility timeout; a consumer looks for such jobs every 10 s.

With --json, prints one JSON line (tests/plans/test_worker_kill.py runs it that way).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.report_memory import ROOT, big_plan, setup_django


def wait_for(predicate, timeout: float, what: str) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return time.monotonic()
        time.sleep(0.1)
    raise SystemExit(f"timed out waiting for {what}")


def start_worker(env: dict, log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "celery", "-A", "apps", "worker", "--loglevel=INFO"]
    return subprocess.Popen(
        [*command, "--pool=prefork", "--concurrency=1", "--without-gossip", "--without-mingle"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: the kill takes the pool child too
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=9000)
    parser.add_argument("--visibility-timeout", type=int, default=720)
    parser.add_argument("--kill-after", type=float, default=1.0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    broker = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/14")

    import redis

    redis.Redis.from_url(broker).flushdb()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        database = folder / "bench.sqlite3"
        env = {
            **os.environ,
            "CELERY_BROKER_URL": broker,
            "CELERY_VISIBILITY_TIMEOUT": str(args.visibility_timeout),
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "DATABASE_URL": f"sqlite:///{database}",
            "MEDIA_ROOT": str(folder),
        }
        os.environ.update(env)
        setup_django(database)
        from apps.plans.jobs import plan_report_generate
        from apps.plans.models import PlanReport

        report_id = big_plan(args.tasks)

        def status() -> str:
            return PlanReport.objects.get(pk=report_id).status

        first_log, second_log = folder / "worker1.log", folder / "worker2.log"
        workers: list[subprocess.Popen] = []
        try:
            first = start_worker(env, first_log)
            workers.append(first)
            wait_for(lambda: " ready." in first_log.read_text(), 60, "the first worker")
            plan_report_generate.delay(report_id)
            received = wait_for(lambda: "received" in first_log.read_text(), 30, "the job")
            time.sleep(max(0.0, received + args.kill_after - time.monotonic()))
            os.killpg(first.pid, signal.SIGKILL)
            killed = time.monotonic()
            first.wait()
            if status() not in (PlanReport.Status.PENDING, PlanReport.Status.RUNNING):
                raise SystemExit(
                    f"the report was already {status()} when the worker was killed: use more --tasks"
                )

            workers.append(start_worker(env, second_log))
            done = wait_for(
                lambda: status() == PlanReport.Status.DONE,
                args.visibility_timeout + 60,
                "the report after the restart",
            )
        finally:
            # No worker outlives the run: one left behind would take the next run's job.
            for worker in workers:
                if worker.poll() is None:
                    os.killpg(worker.pid, signal.SIGTERM)
                    try:
                        worker.wait(timeout=30)
                    except subprocess.TimeoutExpired:
                        os.killpg(worker.pid, signal.SIGKILL)
                        worker.wait()
            if os.environ.get("BENCH_SHOW_LOGS"):
                print(*(log.read_text() for log in (first_log, second_log) if log.exists()))
        result = {
            "tasks": args.tasks,
            "visibility_timeout": args.visibility_timeout,
            "killed_after": round(killed - received, 2),
            "kill_to_done": round(done - killed, 1),
        }
        if args.json:
            print(json.dumps(result))
        else:
            print(
                f"{args.tasks} tasks, visibility timeout {args.visibility_timeout} s: worker "
                f"killed {result['killed_after']} s into the report; report finished "
                f"{result['kill_to_done']} s after the kill (a new worker started at once)"
            )


if __name__ == "__main__":
    main()
