"""Requests per second of a few pages on a quiet machine (issue 15): gunicorn with 2 sync
workers (as `bench.pages`' load phase, production settings) and wrk, one page at a time,
with nothing else writing. `bench.pages` measures the same two pages while 20 users post
updates; this separates what a page costs from what the concurrent writes cost.

    DATABASE_URL=postgres://…/plans_bench_215 DEBUG=false SECRET_KEY=… \\
        ALLOWED_HOSTS=127.0.0.1,localhost,testserver python -m bench.throughput \\
        [--duration 20] [--connections 16] [--no-gzip] /dashboard/:viewer /tasks/:staff /tasks/:viewer

Users are `bench.pages.subjects_pick`'s: the city-wide viewer and the staff member. wrk asks
for compressed pages, as browsers do, unless `--no-gzip`.
"""

from __future__ import annotations

import argparse
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "apps.settings")

from bench import load
from bench.pages import django_setup, session_for, subjects_pick


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("pages", nargs="+", metavar="URL:USER", help="USER is viewer or staff")
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--no-gzip",
        action="store_true",
        help="do not ask for compressed pages (browsers do; figures before 2026-12-03 did not)",
    )
    args = parser.parse_args(argv)
    load.install_cleanup()
    django_setup()
    subjects = subjects_pick()
    port = load.free_port()
    server = load.gunicorn_start(dict(os.environ), port)
    try:
        for page in args.pages:
            path, _, who = page.rpartition(":")
            session = session_for(subjects[who])
            run = load.wrk_run(
                port,
                path,
                session,
                connections=args.connections,
                duration=args.duration,
                gzip=not args.no_gzip,
            )
            print(
                f"{path} as {subjects[who].username}: {run['requests_per_s']:.1f} req/s, "
                f"p50 {run['p50_ms']} ms, p95 {run['p95_ms']} ms, non-2xx {run['non_2xx']}"
                f"{'' if run['gzip'] else ' (not compressed)'}",
                flush=True,
            )
    finally:
        load.stop(server)


if __name__ == "__main__":
    main()
