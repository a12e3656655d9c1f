"""Side-by-side page timings on an existing database (issue 15): our pages against the
Django admin on the same rows and query, search with and without the trigram indexes,
response sizes plain and as sent with `Accept-Encoding: gzip`.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt15 DEBUG=false SECRET_KEY=... \\
        ALLOWED_HOSTS=testserver python -m bench.compare [--requests 30] [--no-index-too]

The database is one `generate_city` filled (and VACUUM ANALYZEd, as autovacuum would have
done). Server time is measured in-process with Django's test client: median and p95 of
--requests requests after 3 warm-ups. With --no-index-too the search rows are measured a
second time with the trigram indexes dropped (they are recreated afterwards).
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "apps.settings")

from bench.load import summary_ms
from bench.pages import city_viewer, client_for, django_setup

SEARCHES = ["养老", "养老服务", "垃圾分类"]


def measure(client, url: str, requests: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    queries = len(captured.captured_queries)
    assert response.status_code == 200, (url, response.status_code)
    gz = client.get(url, headers={"accept-encoding": "gzip"})
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(url)
        timings.append(time.perf_counter() - started)
    return {
        **summary_ms(timings),
        "queries": queries,
        "kb": len(response.content) / 1024,
        "gz_kb": len(gz.content) / 1024,
        "gz": gz.get("Content-Encoding") == "gzip",
    }


def superuser():
    from apps.accounts.models import User

    user = User.objects.filter(is_superuser=True).order_by("pk").first()
    if user is None:
        user = User.objects.create_superuser("bench_root", password="x")
    return user


def pages(viewer_client, admin_client) -> list[tuple[str, object, str]]:
    rows = [
        ("tasks (viewer)", viewer_client, "/tasks/"),
        ("admin changelist", admin_client, "/admin/plans/task/"),
    ]
    for q in SEARCHES:
        rows.append((f"tasks ?q={q}", viewer_client, f"/tasks/?q={q}"))
        rows.append((f"admin ?q={q}", admin_client, f"/admin/plans/task/?q={q}"))
    rows += [
        ("overview", viewer_client, "/dashboard/"),
        ("themes", viewer_client, "/dashboard/themes/?theme=livelihood"),
    ]
    return rows


def search_sql(requests: int) -> None:
    """The search's own queries (the page's count and first 25 rows), without the page."""
    from apps.plans.models import Task
    from apps.plans.selectors import task_search, task_table_queryset

    for q in SEARCHES:
        timings = []
        for _ in range(requests):
            started = time.perf_counter()
            rows = task_search(task_table_queryset(), q)
            n = rows.order_by()[:5000].count()
            list(rows[:25])
            timings.append(time.perf_counter() - started)
        r = summary_ms(timings)
        print(f"| search SQL `{q}` ({n} rows) | {r['median_ms']:.1f} / **{r['p95_ms']:.1f}** ms |")
    assert Task.objects.exists()


def index_toggle(present: bool) -> None:
    import importlib

    from django.db import connection

    migration = importlib.import_module("apps.plans.migrations.0008_task_search_trigram")
    with connection.schema_editor() as editor:
        (migration.forwards if present else migration.backwards)(None, editor)
    with connection.cursor() as cur:
        cur.execute("ANALYZE plans_task")


def print_row(name: str, url: str, r: dict) -> None:
    print(
        f"| {name} | `{url}` | {r['median_ms']:.1f} / **{r['p95_ms']:.1f}** | {r['queries']} q "
        f"| {r['kb']:.0f} KB | {r['gz_kb']:.1f} KB{'' if r['gz'] else ' (not gzipped)'} |",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--no-index-too", action="store_true")
    args = parser.parse_args()
    django_setup()
    from apps.plans.models import Task
    from apps.subdistricts.models import Subdistrict

    print(f"{Subdistrict.objects.count()} 街道, {Task.objects.count()} tasks", flush=True)
    viewer, admin = client_for(city_viewer()), client_for(superuser())
    print("| page | URL | median / p95 ms | queries | size | gzip on the wire |")
    print("|---|---|---|---|---|---|")
    for name, client, url in pages(viewer, admin):
        print_row(name, url, measure(client, url, args.requests))
    search_sql(args.requests)
    if args.no_index_too:
        index_toggle(False)
        try:
            print("without the trigram indexes:")
            search_sql(args.requests)
            for name, client, url in pages(viewer, admin):
                if "?q=" in url:
                    print_row(f"{name} WITHOUT index", url, measure(client, url, args.requests))
        finally:
            index_toggle(True)


if __name__ == "__main__":
    main()
