"""Long lists show the planner's estimate (约) instead of counting every row."""

import pytest
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core import paginators
from apps.core.paginators import EstimatedCountPaginator
from apps.plans.models import Task

pytestmark = pytest.mark.django_db


def test_a_list_below_the_cap_is_counted_exactly_in_one_query(
    task_a, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(paginators, "planner_rows", lambda qs, **kw: 60000)

    paginator = EstimatedCountPaginator(Task.objects.all(), 25)
    with django_assert_num_queries(1):
        count = paginator.count

    assert count == Task.objects.count()
    assert not paginator.is_estimate


def test_a_list_reaching_the_cap_takes_the_planners_estimate(task_a, monkeypatch):
    monkeypatch.setattr(paginators, "ESTIMATE_FROM", 2)
    monkeypatch.setattr(paginators, "planner_rows", lambda qs, **kw: 60000)

    paginator = EstimatedCountPaginator(Task.objects.all(), 25)

    assert paginator.count == 60000
    assert paginator.is_estimate
    assert paginator.num_pages == 2400


def test_the_task_list_says_about_when_the_count_is_an_estimate(client, dora, task_a, monkeypatch):
    monkeypatch.setattr(paginators, "ESTIMATE_FROM", 2)
    monkeypatch.setattr(paginators, "planner_rows", lambda qs, **kw: 60000)
    client.force_login(dora)

    response = client.get("/tasks/")

    assert "共 约 60000 条" in response.content.decode()


def test_a_list_that_reached_the_cap_lately_keeps_its_estimate_without_a_query(
    task_a, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(paginators, "ESTIMATE_FROM", 1)
    monkeypatch.setattr(paginators, "planner_rows", lambda qs, **kw: 60000)
    assert EstimatedCountPaginator(Task.objects.all(), 25).count == 60000

    # Planned again, the estimate would differ: the list keeps the one it had.
    monkeypatch.setattr(paginators, "planner_rows", lambda qs, **kw: 70000)
    again = EstimatedCountPaginator(Task.objects.all(), 25)
    with django_assert_num_queries(0):
        assert again.count == 60000
    assert again.is_estimate
    # Another list (another statement) is counted.
    other = EstimatedCountPaginator(Task.objects.filter(title="没有这项任务"), 25)
    with django_assert_num_queries(1):
        assert other.count == 0


def test_without_a_planner_estimate_a_long_list_is_counted(task_a, monkeypatch):
    monkeypatch.setattr(paginators, "ESTIMATE_FROM", 1)
    monkeypatch.setattr(paginators, "planner_rows", lambda qs, **kw: None)

    paginator = EstimatedCountPaginator(Task.objects.all(), 25)

    assert paginator.count == Task.objects.count()
    assert not paginator.is_estimate


def test_the_planner_estimate_is_postgresqls_and_none_elsewhere(task_a):
    estimate = paginators.planner_rows(Task.objects.all())

    if connection.vendor == "postgresql":
        assert isinstance(estimate, int)
    else:
        assert estimate is None
    assert paginators.planner_rows(Task.objects.none()) is None


# --- Searches counted with their page


def _search(plan):
    from tests.factories import TaskFactory

    TaskFactory.create_batch(30, plan=plan, title="社区养老服务")
    return Task.objects.filter(title="社区养老服务").order_by("pk")


def _paginator(queryset):
    return EstimatedCountPaginator(queryset, 25, count_with_page=True)


def _count_queries(captured):
    return [q for q in captured.captured_queries if "COUNT(*) FROM" in q["sql"].upper()]


def test_a_short_search_needs_no_count_query(plan_a):
    paginator = _paginator(_search(plan_a))

    with CaptureQueriesContext(connection) as captured:
        first = paginator.page(1)
        rows = list(first.object_list)

    assert paginator.count == 30
    assert paginator.num_pages == 2
    assert not paginator.is_estimate
    assert len(rows) == 25
    assert not _count_queries(captured)


def test_a_search_expected_to_match_many_rows_is_counted_the_usual_way(plan_a, monkeypatch):
    # Its page's query can then stop after 25 rows in an index's order.
    monkeypatch.setattr(paginators, "planner_rows", lambda qs, **kw: 60000)
    paginator = _paginator(_search(plan_a))

    with CaptureQueriesContext(connection) as captured:
        rows = list(paginator.page(1).object_list)

    assert len(rows) == 25
    assert paginator.count == 30
    assert len(_count_queries(captured)) == 1
    assert not [q for q in captured.captured_queries if "OVER ()" in q["sql"].upper()]


def test_a_search_expected_long_is_planned_once(plan_a, monkeypatch):
    # The estimate that chose the usual way is the one its capped count then falls back on.
    plans = []
    monkeypatch.setattr(paginators, "ESTIMATE_FROM", 10)
    monkeypatch.setattr(paginators, "planner_rows", lambda qs, **kw: plans.append(1) or 60000)
    paginator = _paginator(_search(plan_a))

    paginator.page(1)

    assert (paginator.count, paginator.is_estimate) == (60000, True)
    assert len(plans) == 1


def test_a_search_found_long_after_all_takes_the_usual_way_next_time(plan_a, monkeypatch):
    monkeypatch.setattr(paginators, "ESTIMATE_FROM", 10)
    monkeypatch.setattr(paginators, "planner_rows", lambda qs, **kw: 1)
    queryset = _search(plan_a)
    first = _paginator(queryset)
    first.page(1)
    assert (first.count, first.is_estimate) == (30, False)

    again = _paginator(queryset)
    again.page(2)

    assert again.count == 30
    assert again.is_estimate


def test_the_last_page_of_a_search_has_the_remaining_rows(plan_a):
    queryset = _search(plan_a)
    paginator = _paginator(queryset)

    last = paginator.page(2)

    assert [t.pk for t in last.object_list] == [t.pk for t in queryset][25:]
    assert last.has_previous() and not last.has_next()


def test_a_page_past_the_end_of_a_search_is_refused_as_django_does(plan_a):
    paginator = _paginator(_search(plan_a))

    with pytest.raises(EmptyPage):
        paginator.page(3)
    with pytest.raises(EmptyPage):
        paginator.page(0)
    with pytest.raises(PageNotAnInteger):
        paginator.page("二")


def test_an_empty_search_has_one_empty_page(db):
    paginator = _paginator(Task.objects.none())

    assert list(paginator.page(1).object_list) == []
    assert paginator.count == 0


def test_a_search_that_finds_nothing_is_not_counted_again(plan_a):
    paginator = _paginator(Task.objects.filter(title="没有这项任务").order_by("pk"))

    with CaptureQueriesContext(connection) as captured:
        page = paginator.page(1)

    assert list(page.object_list) == []
    assert paginator.count == 0
    assert not _count_queries(captured)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL planner settings")
@pytest.mark.parametrize("before", ["on", "off"])
def test_the_page_query_leaves_the_planner_settings_as_it_found_them(plan_a, before):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('enable_nestloop', %s, false), set_config('jit', %s, false)",
            [before, before],
        )
    try:
        _paginator(_search(plan_a)).page(1)
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('enable_nestloop'), current_setting('jit')")
            after = cursor.fetchone()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET enable_nestloop")
            cursor.execute("RESET jit")

    assert after == (before, before)
