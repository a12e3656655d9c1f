"""A prepared statement gives what its queryset would, with new values on every run, and
is built once per key."""

import datetime as dt

import pytest
from django.db.models import Count, DateField, DateTimeField, IntegerField, Q

from apps.core.statements import Prepared, Slot
from apps.plans.models import Plan, Task
from tests.factories import PlanFactory, TaskFactory

pytestmark = pytest.mark.django_db


def _due_between(*, status):
    """Per plan, its tasks of `status` due between the slots `start` and `end`."""
    return (
        Plan.objects.filter(pk=Slot("plan", IntegerField()))
        .annotate(
            n=Count(
                "tasks",
                filter=Q(
                    tasks__status=status,
                    tasks__due_date__gte=Slot("start", DateField()),
                    tasks__due_date__lte=Slot("end", DateField()),
                    tasks__created_at__lt=Slot("before", DateTimeField()),
                ),
            )
        )
        .values("title", "n")
    )


@pytest.fixture
def plan():
    plan = PlanFactory(title="年度计划")
    for day, status in [(1, "in_progress"), (10, "in_progress"), (20, "in_progress"), (5, "done")]:
        TaskFactory(plan=plan, status=status, due_date=dt.date(2026, 3, day))
    return plan


def test_it_runs_with_each_calls_values_as_the_queryset_would(plan):
    statement = Prepared(_due_between)
    soon = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
    key = {"status": "in_progress"}

    first = statement.rows(
        key,
        {
            "plan": plan.pk,
            "start": dt.date(2026, 3, 1),
            "end": dt.date(2026, 3, 10),
            "before": soon,
        },
    )
    second = statement.rows(
        key,
        {
            "plan": plan.pk,
            "start": dt.date(2026, 3, 11),
            "end": dt.date(2026, 3, 31),
            "before": soon,
        },
    )
    long_ago = statement.rows(
        key,
        {
            "plan": plan.pk,
            "start": dt.date(2026, 3, 1),
            "end": dt.date(2026, 3, 31),
            "before": dt.datetime(2000, 1, 1, tzinfo=dt.UTC),
        },
    )

    assert first == [{"title": "年度计划", "n": 2}]
    assert second == [{"title": "年度计划", "n": 1}]
    assert long_ago == [{"title": "年度计划", "n": 0}]
    assert (
        statement.rows(key, {"plan": plan.pk + 1, "start": None, "end": None, "before": soon}) == []
    )
    assert Task.objects.filter(plan=plan, status="in_progress").count() == 3


def test_it_is_built_once_per_key(plan):
    built = []

    def build(**key):
        built.append(key)
        return _due_between(**key)

    statement = Prepared(build)
    values = {"plan": plan.pk, "start": dt.date(2026, 3, 1), "end": dt.date(2026, 3, 31)}
    values["before"] = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
    for _ in range(3):
        statement.rows({"status": "in_progress"}, values)
    done = statement.rows({"status": "done"}, values)

    assert built == [{"status": "in_progress"}, {"status": "done"}]
    assert done == [{"title": "年度计划", "n": 1}]
