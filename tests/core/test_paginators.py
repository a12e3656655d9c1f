"""Long lists show the planner's estimate (约) instead of counting every row."""

import pytest

from apps.core import paginators
from apps.core.paginators import EstimatedCountPaginator
from apps.plans.models import Task

pytestmark = pytest.mark.django_db


def test_a_short_list_is_counted_exactly(task_a, monkeypatch):
    monkeypatch.setattr(paginators, "planner_rows", lambda qs: 12)

    paginator = EstimatedCountPaginator(Task.objects.all(), 25)

    assert paginator.count == Task.objects.count()
    assert not paginator.is_estimate


def test_a_long_list_takes_the_planners_estimate(task_a, monkeypatch):
    monkeypatch.setattr(paginators, "planner_rows", lambda qs: 60000)

    paginator = EstimatedCountPaginator(Task.objects.all(), 25)

    assert paginator.count == 60000
    assert paginator.is_estimate
    assert paginator.num_pages == 2400


def test_the_task_list_says_about_when_the_count_is_an_estimate(
    client, dora, task_a, monkeypatch
):
    monkeypatch.setattr(paginators, "planner_rows", lambda qs: 60000)
    client.force_login(dora)

    response = client.get("/tasks/")

    assert "共 约 60000 条" in response.content.decode()


def test_sqlite_has_no_planner_estimate(task_a):
    assert paginators.planner_rows(Task.objects.all()) is None
