"""The overview keeps what it drew until a roll-up or a plan changes (`rollup_stamp`):
what users notice is that it is never stale and never shows another scope's units."""

import datetime as dt

import pytest
from django.urls import reverse

from apps.plans.models import Task
from apps.plans.services import plan_rollup
from tests.factories import PlanFactory, TaskFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 30)


def _plan(subdistrict, *, tasks=3):
    plan = PlanFactory(subdistrict=subdistrict, year_start=2026, title=f"{subdistrict.name}要点")
    section = TaskFactory(plan=plan, order=1, title="板块一")
    for n in range(tasks):
        TaskFactory(plan=plan, parent=section, order=n + 1, title=f"任务{n}", percent=0)
    plan_rollup(plan_id=plan.pk, today=TODAY)
    return plan


def _row(response, name):
    return next(r for r in response.context["rows"] if r.name == name)


def test_a_recomputed_rollup_shows_on_the_next_load(client, dora, subdistrict_a):
    plan = _plan(subdistrict_a)
    client.force_login(dora)
    url = reverse("dashboard:overview")
    before = _row(client.get(url, {"year": 2026}), subdistrict_a.name)
    assert before.status_counts[Task.Status.DONE] == 0

    Task.objects.filter(plan=plan, children__isnull=True).update(
        status=Task.Status.DONE, percent=100
    )
    plan_rollup(plan_id=plan.pk, today=TODAY)

    after = _row(client.get(url, {"year": 2026}), subdistrict_a.name)
    assert after.status_counts[Task.Status.DONE] == 3


def test_a_new_plan_and_a_deleted_one_show_on_the_next_load(
    client, dora, subdistrict_a, subdistrict_b
):
    plan = _plan(subdistrict_a)
    client.force_login(dora)
    url = reverse("dashboard:overview")
    assert [r.name for r in client.get(url, {"year": 2026}).context["rows"]] == [subdistrict_a.name]

    _plan(subdistrict_b, tasks=2)
    names = {r.name for r in client.get(url, {"year": 2026}).context["rows"]}
    assert names == {subdistrict_a.name, subdistrict_b.name}

    plan.delete()
    names = {r.name for r in client.get(url, {"year": 2026}).context["rows"]}
    assert names == {subdistrict_b.name}


def test_users_of_different_scopes_never_see_each_others_overview(
    client, alice, dora, subdistrict_a, subdistrict_b
):
    _plan(subdistrict_a)
    _plan(subdistrict_b)
    url = reverse("dashboard:overview")

    client.force_login(dora)
    assert "塘桥街道" in client.get(url, {"year": 2026}).content.decode()
    client.force_login(alice)
    page = client.get(url, {"year": 2026}).content.decode()

    assert "江浦路街道" in page
    assert "塘桥街道" not in page


def test_each_sort_order_is_drawn_sorted(client, dora, subdistrict_a, subdistrict_b):
    _plan(subdistrict_a, tasks=1)
    _plan(subdistrict_b, tasks=4)
    client.force_login(dora)
    url = reverse("dashboard:overview")

    ascending = client.get(url, {"year": 2026, "sort": "tasks"}).content.decode()
    descending = client.get(url, {"year": 2026, "sort": "-tasks"}).content.decode()

    a, b = subdistrict_a.name, subdistrict_b.name
    assert ascending.index(a, ascending.index("<table")) < ascending.index(
        b, ascending.index("<table")
    )
    assert descending.index(b, descending.index("<table")) < descending.index(
        a, descending.index("<table")
    )


def test_the_theme_page_shows_a_recomputed_rollup_on_the_next_load(client, dora, subdistrict_a):
    plan = _plan(subdistrict_a)
    Task.objects.filter(plan=plan).update(theme="livelihood")
    plan_rollup(plan_id=plan.pk, today=TODAY)
    client.force_login(dora)
    url = reverse("dashboard:theme_comparison")

    def livelihood_count():
        matrix = client.get(url, {"year": 2026, "theme": "livelihood"}).context["matrix"]
        column = [code for code, _label in matrix.themes].index("livelihood")
        return matrix.counts[matrix.subdistricts.index(subdistrict_a.name)][column]

    assert livelihood_count() == 3
    TaskFactory(plan=plan, parent=plan.tasks.get(depth=0), order=9, theme="livelihood")
    plan_rollup(plan_id=plan.pk, today=TODAY)

    assert livelihood_count() == 4


def test_a_malformed_sort_shows_the_table_in_its_usual_order(
    client, dora, subdistrict_a, subdistrict_b
):
    _plan(subdistrict_a, tasks=1)
    _plan(subdistrict_b, tasks=4)
    client.force_login(dora)
    url = reverse("dashboard:overview")

    def table(**params):
        page = client.get(url, {"year": 2026, **params}).content.decode()
        return page[page.index("<table") : page.index("</table>")]

    assert table(sort="-tasks") != table()
    assert table(sort="--tasks") == table()


def test_every_rollup_changes_the_stamp_even_two_in_one_second(subdistrict_a):
    from apps.dashboard.selectors import rollup_stamp

    plan = _plan(subdistrict_a)
    before = rollup_stamp()
    plan_rollup(plan_id=plan.pk, today=TODAY)

    assert rollup_stamp() != before


def test_a_rollup_committed_late_with_an_earlier_time_changes_the_stamp(
    subdistrict_a, subdistrict_b
):
    """Two roll-ups at once (or workers whose clocks differ): the one stamped earlier may
    commit last, and the overview drawn in between must not be kept."""
    from django.db import connection

    from apps.dashboard.selectors import rollup_stamp
    from apps.plans.models import PlanProgress

    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer in at a time: roll-ups commit in time order")
    early, late = _plan(subdistrict_a), _plan(subdistrict_b)
    latest = PlanProgress.objects.get(plan=late).computed_at
    PlanProgress.objects.filter(plan=early).update(computed_at=latest - dt.timedelta(hours=1))
    before = rollup_stamp()

    PlanProgress.objects.filter(plan=early).update(computed_at=latest - dt.timedelta(minutes=1))

    assert rollup_stamp() != before
