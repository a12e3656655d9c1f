"""Side-by-side page timings on an existing database (issue 15): our pages against the
Django admin on the same rows and query, search with and without the bigram index,
response sizes plain and as sent with `Accept-Encoding: gzip`.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt15 DEBUG=false SECRET_KEY=... \\
        ALLOWED_HOSTS=testserver python -m bench.compare [--requests 30] [--no-index-too]

The database is one `generate_city` filled (and VACUUM ANALYZEd, as autovacuum would have
done). Server time is measured in-process with Django's test client: median and p95 of
--requests requests after 3 warm-ups. The overview's read of the roll-ups is timed beside
a live aggregation of the same numbers from the tasks (`live_overview`). With --no-index-too the search rows are measured a
second time with the bigram index dropped (it is recreated afterwards).
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "apps.settings")

from bench.load import summary_ms
from bench.pages import city_viewer, client_for, django_setup, page_measure

SEARCHES = ["养老", "养老服务", "垃圾分类"]


def measure(client, url: str, requests: int) -> dict:
    """bench.pages' page timing, with the size the page takes on the wire gzipped."""
    figures = page_measure(client, url, requests)
    gz = client.get(url, headers={"accept-encoding": "gzip"})
    return {
        **figures,
        "kb": figures["bytes"] / 1024,
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
    from apps.plans.selectors import task_list_queryset, task_search

    for q in SEARCHES:
        timings = []
        for _ in range(requests):
            started = time.perf_counter()
            rows = task_search(task_list_queryset(), q)
            n = rows.order_by()[:5000].count()
            list(rows[:25])
            timings.append(time.perf_counter() - started)
        r = summary_ms(timings)
        print(f"| search SQL `{q}` ({n} rows) | {r['median_ms']:.1f} / **{r['p95_ms']:.1f}** ms |")
    assert Task.objects.exists()


def live_overview(user, year: int) -> tuple[list, list]:
    """The overview's per-街道 numbers aggregated from the tasks and indicators on every
    request, as a page without roll-ups would: leaf tasks by 街道, traffic light and status
    (count, overdue, percent sum), indicators by 街道 and traffic light."""
    from django.db.models import Count, Q, Sum

    from apps.plans.models import Indicator, Plan, Task

    plans = Plan.objects.for_user(user).filter(
        year_start__lte=year, year_end__gte=year, is_review=False
    )
    tasks = (
        Task.objects.filter(plan__in=plans, children__isnull=True)
        .order_by()
        .values("plan__subdistrict_id", "health", "status")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=Q(is_overdue=True)), sum=Sum("percent"))
    )
    indicators = (
        Indicator.objects.filter(task__plan__in=plans)
        .order_by()
        .values("task__plan__subdistrict_id", "health")
        .annotate(n=Count("pk"))
    )
    return list(tasks), list(indicators)


def overview_vs_live(requests: int) -> None:
    """Our overview's read (the roll-ups, `subdistrict_rows`) beside `live_overview`."""
    from apps.dashboard.selectors import dashboard_default_year, dashboard_years, subdistrict_rows

    user = city_viewer()
    year = dashboard_default_year(dashboard_years(user))
    timings = {}
    for name, read in (
        ("roll-ups (subdistrict_rows)", lambda: subdistrict_rows(user, year)),
        ("live aggregation", lambda: live_overview(user, year)),
    ):
        for _ in range(3):
            read()
        runs = []
        for _ in range(requests):
            started = time.perf_counter()
            read()
            runs.append(time.perf_counter() - started)
        timings[name] = summary_ms(runs)
        r = timings[name]
        print(f"| overview data, {name} | {r['median_ms']:.1f} / **{r['p95_ms']:.1f}** ms |")
    ours, live = (timings[k]["median_ms"] for k in timings)
    print(f"| overview: roll-ups / live (medians) | **{ours / live:.2f}×** |", flush=True)


def index_toggle(present: bool) -> None:
    import importlib

    from django.db import connection

    migration = importlib.import_module("apps.plans.migrations.0012_task_search_one_bigram_index")
    with connection.schema_editor() as editor:
        if present:
            migration.forwards(None, editor)
        else:
            editor.execute(f"DROP INDEX IF EXISTS {migration.INDEX}")
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
    overview_vs_live(args.requests)
    if args.no_index_too:
        index_toggle(False)
        try:
            print("without the bigram index:")
            search_sql(args.requests)
            for name, client, url in pages(viewer, admin):
                if "?q=" in url:
                    print_row(f"{name} WITHOUT index", url, measure(client, url, args.requests))
        finally:
            index_toggle(True)


if __name__ == "__main__":
    main()
