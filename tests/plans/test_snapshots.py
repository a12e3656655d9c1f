import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Count

from apps.plans.models import IndicatorSnapshot, PlanSnapshot, Task
from apps.plans.services import snapshot_take, snapshots_fill
from tests.factories import (
    IndicatorFactory,
    IndicatorReadingFactory,
    PlanFactory,
    TaskFactory,
    aware,
    frozen_now,
    update_task,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]

JUNE_29, JUNE_30, JULY_1 = dt.date(2023, 6, 29), dt.date(2023, 6, 30), dt.date(2023, 7, 1)


@pytest.fixture
def plan(subdistrict_a):
    """A 2023 plan imported on 1 June 2023, with one reading recorded on 20 June."""
    with frozen_now(aware(2023, 6, 1, 9)):
        plan = PlanFactory(subdistrict=subdistrict_a, year_start=2023)
        section = TaskFactory(plan=plan, title="优化经济质效", status="in_progress", percent=50)
        TaskFactory(parent=section, title="加强招商引资谋篇布局", status="done", percent=100)
        TaskFactory(
            parent=section,
            title="提供优质贴心企业服务",
            status="in_progress",
            due_date=dt.date(2023, 3, 31),
        )
        safe = TaskFactory(plan=plan, title="全力守住生产安全", status="in_progress", percent=45)
        IndicatorFactory(task=safe, name="走访企业", target_value=200, unit="家次")
    with frozen_now(aware(2023, 6, 20, 16)):
        IndicatorReadingFactory(
            indicator=safe.indicators.get(), date=dt.date(2023, 6, 20), value=80
        )
    return plan


@pytest.fixture
def reported_on_july_1(plan, alice):
    """On 1 July the overdue item is finished (so its section is too) and the other one
    reports 80 % and a reading of 150 dated that day."""
    late = Task.objects.get(title="提供优质贴心企业服务")
    safe = Task.objects.get(title="全力守住生产安全")
    with frozen_now(aware(2023, 7, 1, 15)):
        update_task(late, alice, status="done", percent=100)
        reading = (safe.indicators.get().pk, JULY_1, Decimal(150))
        update_task(safe, alice, percent=80, readings=[reading])


def snapshot(plan, day):
    return PlanSnapshot.objects.get(plan=plan, date=day)


def indicator_snapshot(plan, day):
    return IndicatorSnapshot.objects.get(indicator__task__plan=plan, date=day)


def test_it_records_a_plans_numbers_for_the_day(plan):
    assert snapshot_take(day=JUNE_30, plan_ids=[plan.pk]) == 1

    row = snapshot(plan, JUNE_30)
    assert row.percent == Decimal("47.5")  # (50 + 45) / 2
    assert row.expected_percent == Decimal("49.5")  # day 180 of 364
    assert row.health_counts == {"done": 1, "off_track": 1, "on_track": 1}
    assert row.overdue_count == 1
    assert (row.indicator_total, row.indicator_health_counts) == (1, {"at_risk": 1})


def test_its_counts_equal_the_database_on_the_day(plan):
    snapshot_take(day=JUNE_30, plan_ids=[plan.pk])

    row = snapshot(plan, JUNE_30)
    leaves = Task.objects.filter(plan=plan, children__isnull=True).order_by()
    assert row.leaf_total == leaves.count()
    assert row.status_counts == dict(leaves.values_list("status").annotate(Count("id")))


def test_it_records_an_indicators_value_target_to_date_and_light(plan):
    snapshot_take(day=JUNE_30, plan_ids=[plan.pk])

    row = indicator_snapshot(plan, JUNE_30)
    # 80 of the 98.9 due by day 180: 80.9 %, a shortfall of 19 points.
    assert (row.value, row.expected_value, row.health) == (80, Decimal("98.9011"), "at_risk")


def test_it_does_not_write_a_day_twice(plan):
    snapshot_take(day=JUNE_30, plan_ids=[plan.pk])
    Task.objects.filter(title="全力守住生产安全").update(percent=90)

    assert snapshot_take(day=JUNE_30, plan_ids=[plan.pk]) == 0

    assert PlanSnapshot.objects.filter(plan=plan).count() == 1
    assert IndicatorSnapshot.objects.count() == 1
    assert snapshot(plan, JUNE_30).percent == Decimal("47.5")


def test_filling_takes_every_day_since_the_import_up_to_yesterday(plan):
    assert snapshots_fill(today=dt.date(2023, 6, 4)) == 3

    dates = PlanSnapshot.objects.filter(plan=plan).values_list("date", flat=True)
    assert list(dates) == [dt.date(2023, 6, 1), dt.date(2023, 6, 2), dt.date(2023, 6, 3)]


def test_filling_takes_the_days_missed_since_the_last_snapshot(plan):
    snapshot_take(day=JUNE_29, plan_ids=[plan.pk])

    assert snapshots_fill(today=dt.date(2023, 7, 2)) == 2

    dates = PlanSnapshot.objects.filter(plan=plan).values_list("date", flat=True)
    assert list(dates) == [JUNE_29, JUNE_30, JULY_1]
    assert snapshots_fill(today=dt.date(2023, 7, 2)) == 0


def test_a_missed_day_is_filled_with_the_numbers_of_that_day(plan, reported_on_july_1):
    snapshot_take(day=JUNE_29, plan_ids=[plan.pk])

    snapshots_fill(today=dt.date(2023, 7, 2))

    missed = snapshot(plan, JUNE_30)
    assert missed.percent == Decimal("47.5")
    assert missed.status_counts == {"done": 1, "in_progress": 2}
    assert missed.overdue_count == 1
    assert indicator_snapshot(plan, JUNE_30).value == 80


def test_the_day_of_an_update_shows_the_update(plan, reported_on_july_1):
    snapshot_take(day=JUNE_29, plan_ids=[plan.pk])

    snapshots_fill(today=dt.date(2023, 7, 2))

    after = snapshot(plan, JULY_1)
    assert after.percent == Decimal("90.0")  # the finished section (100) and 80
    assert after.status_counts == {"done": 2, "in_progress": 1}
    assert after.overdue_count == 0
    assert indicator_snapshot(plan, JULY_1).value == 150


def test_it_leaves_out_readings_dated_after_the_day(plan):
    indicator = plan.tasks.get(title="全力守住生产安全").indicators.get()
    with frozen_now(aware(2023, 6, 25, 9)):
        # Recorded early with a later date, as an import of planned figures would.
        IndicatorReadingFactory(indicator=indicator, date=JULY_1, value=150)

    snapshot_take(day=JUNE_30, plan_ids=[plan.pk])

    assert indicator_snapshot(plan, JUNE_30).value == 80


def test_it_leaves_out_a_late_reading_that_was_not_known_on_the_day(plan, alice):
    safe = Task.objects.get(title="全力守住生产安全")
    with frozen_now(aware(2023, 7, 1, 15)):
        reading = (safe.indicators.get().pk, dt.date(2023, 6, 25), Decimal(95))
        update_task(safe, alice, readings=[reading])

    snapshots_fill(today=dt.date(2023, 7, 2))

    assert indicator_snapshot(plan, JUNE_30).value == 80
    assert indicator_snapshot(plan, JULY_1).value == 95


def test_it_leaves_out_a_task_added_after_the_day(plan):
    with frozen_now(aware(2023, 7, 1, 10)):
        TaskFactory(plan=plan, title="新增：迎峰度夏安全检查", status="in_progress")

    snapshots_fill(today=dt.date(2023, 7, 2))

    assert snapshot(plan, JUNE_30).leaf_total == 3
    assert snapshot(plan, JULY_1).leaf_total == 4
