"""rows_update writes computed values of many rows in one statement per batch."""

import datetime as dt
from decimal import Decimal

import pytest

from apps.core.bulk import rows_update
from apps.plans.models import Indicator, Task
from tests.factories import IndicatorFactory, TaskFactory

pytestmark = pytest.mark.django_db


def test_it_writes_each_rows_own_values_nulls_dates_and_decimals_included(
    plan_a, django_assert_num_queries
):
    tasks = [TaskFactory(plan=plan_a, title=f"任务{i}") for i in range(3)]
    indicators = [IndicatorFactory(task=task, target_value=10) for task in tasks]
    for i, task in enumerate(tasks):
        task.health, task.is_overdue = ["green", "yellow", "red"][i], i == 1
    for i, indicator in enumerate(indicators):
        indicator.latest_value = Decimal(i) + Decimal("0.25") if i else None
        indicator.latest_date = dt.date(2026, 1, 31) if i else None

    with django_assert_num_queries(1):
        rows_update(Task, tasks, ["health", "is_overdue"])
    rows_update(Indicator, indicators, ["latest_value", "latest_date"])

    stored = {t.pk: (t.health, t.is_overdue) for t in Task.objects.filter(plan=plan_a)}
    assert [stored[t.pk] for t in tasks] == [("green", False), ("yellow", True), ("red", False)]
    values = {i.pk: (i.latest_value, i.latest_date) for i in Indicator.objects.all()}
    assert [values[i.pk] for i in indicators] == [
        (None, None),
        (Decimal("1.25"), dt.date(2026, 1, 31)),
        (Decimal("2.25"), dt.date(2026, 1, 31)),
    ]


def test_nothing_to_write_is_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        rows_update(Task, [], ["health"])
