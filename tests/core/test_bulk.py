"""rows_update writes computed values of many rows in one statement per batch; rows_insert
inserts new rows, a tree included, in one statement per table on PostgreSQL."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from apps.core.bulk import rows_insert, rows_update
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


def test_rows_insert_stores_a_tree_linked_to_its_parents(plan_a):
    top = Task(plan=plan_a, title="一、民生", path="0001", depth=0, order=1)
    child = Task(plan=plan_a, parent=top, title="（一）养老", path="0001.0001", depth=1, order=1)
    grandchild = Task(
        plan=plan_a, parent=child, title="1.助餐", path="0001.0001.0001", depth=2, order=1
    )
    indicator = Indicator(task=grandchild, name="助餐点", target_value=Decimal("12.5"))

    rows_insert(Task, [top, child, grandchild])
    rows_insert(Indicator, [indicator])

    stored = {t.title: t for t in Task.objects.filter(plan=plan_a)}
    assert stored["（一）养老"].parent_id == stored["一、民生"].pk == top.pk
    assert stored["1.助餐"].parent_id == child.pk
    assert stored["1.助餐"].created_at is not None
    assert Indicator.objects.get(pk=indicator.pk).task_id == grandchild.pk
    assert Indicator.objects.get(pk=indicator.pk).target_value == Decimal("12.5")
    assert not top._state.adding


def test_rows_insert_converts_values_as_saving_would(plan_a):
    # Values of another type than the field's go through the field, as bulk_create sends them.
    task = Task(
        plan=plan_a,
        title="一、民生",
        number=7,
        path="0001",
        order="3",
        due_date=dt.datetime(2026, 12, 31, 18, 0),
        is_overdue=1,
    )

    rows_insert(Task, [task])

    stored = Task.objects.get(pk=task.pk)
    assert (stored.number, stored.order, stored.due_date, stored.is_overdue) == (
        "7",
        3,
        dt.date(2026, 12, 31),
        True,
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="one statement on PostgreSQL")
def test_rows_insert_writes_a_tree_in_one_statement_after_reserving_ids(
    plan_a, django_assert_num_queries
):
    top = Task(plan=plan_a, title="一、民生", path="0001", order=1)
    tasks = [
        top,
        *(
            Task(plan=plan_a, parent=top, title=f"任务{i}", path=f"0001.{i:04d}", order=i)
            for i in range(3)
        ),
    ]

    with django_assert_num_queries(2):
        rows_insert(Task, tasks)

    assert Task.objects.filter(parent=top).count() == 3
