"""Long lists show the planner's estimate (约) instead of counting every row."""

import pytest
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core import paginators
from apps.core.paginators import EstimatedCountPaginator, counted_with_page
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


# --- Lists counted with their page (searches)


def _counted(plan):
    from tests.factories import TaskFactory

    TaskFactory.create_batch(30, plan=plan, title="社区养老服务")
    return counted_with_page(Task.objects.filter(title="社区养老服务").order_by("pk"))


def test_a_list_counted_with_its_page_needs_no_count_query(plan_a):
    paginator = EstimatedCountPaginator(_counted(plan_a), 25)

    with CaptureQueriesContext(connection) as captured:
        first = paginator.page(1)
        rows = list(first.object_list)

    assert paginator.count == 30
    assert paginator.num_pages == 2
    assert not paginator.is_estimate
    assert len(rows) == 25
    assert not [q for q in captured.captured_queries if "COUNT(*) FROM" in q["sql"].upper()]


def test_the_last_page_of_a_counted_list_has_the_remaining_rows(plan_a):
    queryset = _counted(plan_a)
    paginator = EstimatedCountPaginator(queryset, 25)

    last = paginator.page(2)

    assert [t.pk for t in last.object_list] == [t.pk for t in queryset][25:]
    assert last.has_previous() and not last.has_next()


def test_a_page_past_the_end_of_a_counted_list_is_refused_as_django_does(plan_a):
    paginator = EstimatedCountPaginator(_counted(plan_a), 25)

    with pytest.raises(EmptyPage):
        paginator.page(3)
    with pytest.raises(EmptyPage):
        paginator.page(0)
    with pytest.raises(PageNotAnInteger):
        paginator.page("二")


def test_an_empty_counted_list_has_one_empty_page(db):
    paginator = EstimatedCountPaginator(counted_with_page(Task.objects.none()), 25)

    assert list(paginator.page(1).object_list) == []
    assert paginator.count == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL planner setting")
@pytest.mark.parametrize("before", ["on", "off"])
def test_the_page_query_leaves_the_planner_settings_as_it_found_them(plan_a, before):
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('enable_nestloop', %s, false)", [before])
    try:
        EstimatedCountPaginator(_counted(plan_a), 25).page(1)
        with connection.cursor() as cursor:
            cursor.execute("SHOW enable_nestloop")
            after = cursor.fetchone()[0]
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET enable_nestloop")

    assert after == before
