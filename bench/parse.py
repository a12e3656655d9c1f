"""Parser throughput on the seed documents, and the time to import them all into PostgreSQL.

    python -m bench.parse                 # parse only (no database)
    python -m bench.parse --import-db     # also import into a scratch PostgreSQL database

The import step creates a scratch database `plans_bench` on the server named by
BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/plans_bench), migrates it,
and times a full import of every seed; it never touches the project's own database.
Target (issue 2): at least 2 MB/s of document text parsed on one core.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = ROOT / "fixtures" / "documents"


def seed_texts() -> list[tuple[str, str]]:
    from apps.importer.reading import read_document

    return [(p.name, read_document(p)) for p in sorted(DOCUMENTS.glob("*.txt"))]


def bench_parse(runs: int) -> None:
    from apps.importer.parser import parse_document

    texts = seed_texts()
    total_bytes = sum(len(t.encode("utf-8")) for _, t in texts)
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        for _, text in texts:
            parse_document(text)
        timings.append(time.perf_counter() - start)
    median = statistics.median(timings)
    print(f"seeds: {len(texts)} documents, {total_bytes / 1e6:.3f} MB of UTF-8 text")
    print(f"parse: median {median * 1000:.1f} ms per pass over all seeds ({runs} runs)")
    print(f"parse: {len(texts) / median:.1f} documents/s, {total_bytes / 1e6 / median:.2f} MB/s")
    for name, text in texts:
        doc = parse_document(text)
        for plan in doc.plans:
            nodes = list(plan.walk())
            leaves = [n for n in nodes if not n.children]
            indicators = sum(len(n.indicators) for n in nodes)
            print(
                f"  {name}: {plan.title} ({plan.year_start}{'-' + str(plan.year_end) if plan.year_end != plan.year_start else ''}"
                f"{', 回顾' if plan.is_review else ''}): {len(plan.nodes)} sections, "
                f"{len(nodes) - len(plan.nodes)} tasks below them ({len(leaves)} leaves), {indicators} indicators"
            )


def bench_import(runs: int) -> None:
    import psycopg2

    url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/plans_bench")
    dbname = url.rsplit("/", 1)[1]
    admin = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
        cur.execute(f'CREATE DATABASE "{dbname}"')
    admin.close()

    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "apps.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from apps.importer.services import document_import
    from apps.plans.models import Indicator, Plan, Task

    call_command("migrate", verbosity=0)
    paths = sorted(DOCUMENTS.glob("*.txt"))
    timings = []
    for _ in range(runs):
        Plan.objects.all().delete()
        start = time.perf_counter()
        for path in paths:
            document_import(path=path)
        timings.append(time.perf_counter() - start)
    print(
        f"import into PostgreSQL ({connection.settings_dict['NAME']}): median {statistics.median(timings) * 1000:.0f} ms "
        f"for all {len(paths)} seeds ({runs} runs, fresh tables each run)"
    )
    print(
        f"  rows: {Plan.objects.count()} plans, {Task.objects.count()} tasks, {Indicator.objects.count()} indicators"
    )
    start = time.perf_counter()
    for path in paths:
        document_import(path=path)
    print(
        f"re-import (no changes): {(time.perf_counter() - start) * 1000:.0f} ms, plans still {Plan.objects.count()}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--import-db", action="store_true", help="also time an import into PostgreSQL"
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    bench_parse(args.runs)
    if args.import_db:
        bench_import(max(3, args.runs // 5))


if __name__ == "__main__":
    main()
