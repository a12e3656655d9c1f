"""Long lists show the planner's estimate (约) instead of counting every row."""

import pytest
from django.db import connection

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
