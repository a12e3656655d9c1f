"""generate_city: realistic shapes, deterministic, and pages whose query counts do not grow."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import Membership, User
from apps.core.caching import drawn_forget
from apps.demo.services import CityGenerator
from apps.plans.models import Indicator, Plan, PlanProgress, Task, TaskUpdate

pytestmark = [pytest.mark.django_db, pytest.mark.needs_parser]

TODAY = dt.date(2026, 11, 21)


def _generate(subdistricts, years=2, seed=7):
    return CityGenerator(seed=seed, today=TODAY, log=lambda _line: None).generate(
        subdistricts=subdistricts, years=years
    )


def test_it_builds_plans_with_the_seed_documents_shapes_and_a_history():
    counts = _generate(2)

    assert counts.plans == Plan.objects.count() == 4
    assert Task.objects.filter(depth=0).count() >= 4 * 6
    assert Task.objects.filter(depth__gte=1).exists()
    share = Indicator.objects.values("task").distinct().count() / Task.objects.count()
    assert 0.15 < share < 0.5
    assert TaskUpdate.objects.count() == counts.updates > 0
    assert {d.year for d in TaskUpdate.objects.values_list("created_at", flat=True)} == {
        2025,
        2026,
    }
    assert PlanProgress.objects.count() == 4
    leader = User.objects.get(username="s001_leader")
    assert Membership.objects.get(user=leader).role == Membership.Role.LEADER


def test_it_is_deterministic_for_a_seed():
    _generate(1, seed=3)
    first = list(Task.objects.order_by("plan__title", "path").values_list("title", "percent"))
    Plan.objects.all().delete()
    User.objects.all().delete()
    from apps.subdistricts.models import Subdistrict

    Subdistrict.objects.all().delete()
    _generate(1, seed=3)
    second = list(Task.objects.order_by("plan__title", "path").values_list("title", "percent"))
    assert first == second


def test_the_command_prints_what_it_made_and_the_login(capsys):
    call_command("generate_city", "--subdistricts", "1", "--years", "1")
    out = capsys.readouterr().out
    assert "已生成 1 个街道" in out
    assert "city_viewer" in out


def _page_queries(client):
    """Query count of each main page for the city viewer and a staff member, every page
    drawn afresh: the plan measured may be the same in both cities, and what was drawn of
    it for the first would otherwise be found again."""
    cache.clear()
    drawn_forget()
    viewer = User.objects.get(username="city_viewer")
    staff = User.objects.get(username="s001_staff1")
    subdistrict = staff.memberships.get().subdistrict
    plan = Plan.objects.filter(subdistrict=subdistrict).order_by("-year_start").first()
    indicator = Indicator.objects.filter(task__plan=plan).first()
    task = Task.objects.filter(plan=plan, children__isnull=True, indicators__isnull=False).first()
    pages = {
        "overview": (viewer, "/dashboard/"),
        "subdistrict": (viewer, f"/subdistricts/{subdistrict.pk}/"),
        "plan": (viewer, f"/plans/{plan.pk}/"),
        "indicator": (viewer, f"/indicators/{indicator.pk}/"),
        "tasks": (staff, "/tasks/"),
        "tasks_viewer": (viewer, "/tasks/"),
        "tasks_filtered": (viewer, "/tasks/?status=open&sort=-due_date&page=2"),
        "tasks_search": (viewer, "/tasks/?q=养老"),
        "task": (staff, f"/tasks/{task.pk}/"),
        "themes": (viewer, "/dashboard/themes/?theme=livelihood"),
    }
    counts = {}
    for name, (user, url) in pages.items():
        client.force_login(user)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (name, url)
        counts[name] = len(ctx.captured_queries)
    return counts


# Session, user and memberships (3), the navigation's 督办 counts (1), plus each page's own
# reads (the plan page lists open 催办; the task page its owners, pending update, 催办 and
# 台账 files). Both cities stay below the task list's count cap (apps/core/paginators.py):
# a list past it takes one more query, the estimate, and no more however large the city.
# The overview is measured drawn afresh (each city was just generated): its roll-up stamp,
# the years and the roll-ups; loaded again before anything changes it reads only the stamp.
# The theme page, measured after it, reads the stamp and finds the years kept. The plan
# page reads its stamp, then its sections, snapshots, late tasks and their count, and
# indicators (dashboard/views.plan_content). A short search's rows count themselves (no
# count query); on PostgreSQL the planner's estimate says it is short (an EXPLAIN) and the
# rows are read in a savepoint with planner settings, set and set back: five statements
# more (apps/core/paginators.py).
PAGE_QUERIES = {
    "overview": 7,
    "subdistrict": 6,
    "plan": 14,
    "indicator": 6,
    "tasks": 10,
    "tasks_viewer": 7,
    "tasks_filtered": 7,
    "tasks_search": 6 + (5 if connection.vendor == "postgresql" else 0),
    "task": 13,
    "themes": 8,
}


def test_every_page_costs_the_same_pinned_queries_for_two_or_six_subdistricts(client):
    call_command("generate_city", "--subdistricts", "2", "--years", "2", "--seed", "5")
    small = _page_queries(client)
    tasks_small = Task.objects.count()
    call_command("generate_city", "--subdistricts", "4", "--years", "2", "--seed", "6")
    large = _page_queries(client)

    assert Task.objects.count() > 2 * tasks_small
    assert small == PAGE_QUERIES
    assert large == PAGE_QUERIES
