"""Bulk import speed (issue 15): N documents made from the seeds, each loaded by
`plan_import` (rows, then the plan's roll-up) into a scratch PostgreSQL database.

    python -m bench.bulk_import [--documents 500] [--jobs 2]

Database: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/plans_bench_import),
dropped and re-created. Each seed is parsed once (parsing is measured by bench/parse.py);
copy i gets its own unit name and a text differing by a suffix, so that no copy is skipped
as imported before. Prints documents/s, ms and SQL statements per document, and the share
of the roll-up. With --jobs N, N worker processes import the documents side by side
(`apps.core.processes.in_processes`, as `import_plan --jobs`); the statements and the
roll-up's share are then not counted (they happen in the workers).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The parsed seeds, set before the worker processes start (they inherit them).
SEEDS: list = []


def seed_copy_import(i: int) -> int:
    """Copy i of the seeds, loaded as the importer loads a parsed document."""
    import apps.importer.services as importer_services

    seed = SEEDS[i % len(SEEDS)]
    document = dataclasses.replace(seed, text=f"{seed.text}\n#{i}")
    result = importer_services.plan_import(
        document=document, source_name=f"bench-{i}.txt", unit_name=f"测试{i:04d}街道"
    )
    return len(result.plans)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=500)
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (PostgreSQL)")
    args = parser.parse_args()
    import psycopg2

    url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/plans_bench_import"
    )
    server, dbname = url.rsplit("/", 1)
    admin = psycopg2.connect(f"{server}/postgres")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{dbname}"')
    admin.close()
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "apps.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    import apps.importer.services as importer_services
    from apps.importer.parser import parse_document
    from apps.importer.reading import read_document
    from apps.plans.models import Plan, Task

    call_command("migrate", verbosity=0)
    SEEDS[:] = [
        parse_document(read_document(p))
        for p in sorted((ROOT / "fixtures" / "documents").glob("*.txt"))
    ]
    if args.jobs > 1:
        from apps.core.processes import in_processes

        started = time.perf_counter()
        list(in_processes(seed_copy_import, range(args.documents), jobs=args.jobs))
        seconds = time.perf_counter() - started
        print(
            f"bulk import into PostgreSQL ({dbname}), {args.jobs} processes: "
            f"{args.documents} documents in {seconds:.1f} s: "
            f"{args.documents / seconds:.1f} documents/s, "
            f"{seconds / args.documents * 1000:.1f} ms each (wall)"
        )
        print(f"  rows: {Plan.objects.count()} plans, {Task.objects.count()} tasks")
        return

    rollup_seconds = 0.0
    statements = 0

    def timed(original):
        def rollup(**kwargs):
            nonlocal rollup_seconds
            started = time.perf_counter()
            try:
                return original(**kwargs)
            finally:
                rollup_seconds += time.perf_counter() - started

        return rollup

    def counted(execute, sql, params, many, context):
        nonlocal statements
        statements += 1
        return execute(sql, params, many, context)

    # The roll-up of a new plan (computed before its rows are inserted) and the recompute
    # after a progress table's readings.
    for name in ("plan_rollup", "plan_rollup_unsaved"):
        setattr(importer_services, name, timed(getattr(importer_services, name)))
    started = time.perf_counter()
    with connection.execute_wrapper(counted):
        for i in range(args.documents):
            seed_copy_import(i)
    seconds = time.perf_counter() - started
    print(
        f"bulk import into PostgreSQL ({dbname}): {args.documents} documents in {seconds:.1f} s: "
        f"{args.documents / seconds:.1f} documents/s, {seconds / args.documents * 1000:.1f} ms each, "
        f"{statements / args.documents:.1f} statements each (BEGIN and COMMIT not counted); "
        f"roll-up {rollup_seconds / seconds:.0%} of it"
    )
    print(f"  rows: {Plan.objects.count()} plans, {Task.objects.count()} tasks")


if __name__ == "__main__":
    main()
