import datetime as dt
import threading
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection, connections, transaction
from django.db.models import Avg, Count, Max
from kombu.exceptions import OperationalError

from apps.plans.models import Indicator, PlanProgress, PlanThemeProgress, Task, TaskUpdate
from apps.plans.services import plan_rollup, plans_rollup_pending, rollups, tasks_flag_overdue
from tests.factories import (
    IndicatorFactory,
    IndicatorReadingFactory,
    PlanFactory,
    TaskFactory,
    aware,
    update_task,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]

# Day 181 of the 2023 plan: 序时进度 49.7 %.
TODAY = dt.date(2023, 7, 1)


@pytest.fixture
def plan(subdistrict_a, department_a):
    """A 2023 plan on 1 July: a section with a done and an overdue item, an item on track
    and one nobody started; three indicators, one of them without readings."""
    plan = PlanFactory(subdistrict=subdistrict_a, year_start=2023)
    section = TaskFactory(
        plan=plan, title="优化经济质效", status="in_progress", percent=50, theme="economy"
    )
    done = TaskFactory(
        parent=section,
        title="加强招商引资谋篇布局",
        status="done",
        percent=100,
        theme="economy",
        last_update_at=aware(2023, 5, 2, 9),
    )
    late = TaskFactory(
        parent=section,
        title="提供优质贴心企业服务",
        status="in_progress",
        percent=0,
        due_date=dt.date(2023, 3, 31),
        theme="economy",
    )
    safe = TaskFactory(
        plan=plan,
        title="全力守住生产安全",
        status="in_progress",
        percent=45,
        theme="safety",
        last_update_at=aware(2023, 6, 20, 10),
    )
    TaskFactory(plan=plan, title="精致规划", status="not_started", percent=0, theme="other")

    visits = IndicatorFactory(task=done, name="走访企业", target_value=200, unit="家次")
    IndicatorReadingFactory(indicator=visits, date=dt.date(2023, 3, 31), value=60)
    IndicatorReadingFactory(indicator=visits, date=dt.date(2023, 6, 30), value=120)
    IndicatorFactory(task=late, name="新增企业", target_value=10, unit="户")
    accidents = IndicatorFactory(
        task=safe, name="生产安全事故", target_value=3, unit="起", comparator="lte"
    )
    IndicatorReadingFactory(indicator=accidents, date=dt.date(2023, 5, 31), value=1)
    return plan


def lights(plan):
    return {t.title: (t.health, t.is_overdue) for t in Task.objects.filter(plan=plan)}


def progress_values(plan):
    row = PlanProgress.objects.filter(plan=plan).values().get()
    del row["computed_at"]
    return row


def theme_rows(plan):
    return sorted(
        PlanThemeProgress.objects.filter(plan=plan).values(
            "id",
            "theme",
            "leaf_total",
            "done_count",
            "percent",
            "health_counts",
            "indicator_total",
            "indicator_good",
        ),
        key=lambda row: row["theme"],
    )


# --- plan_rollup --------------------------------------------------------------------------


def test_it_stores_each_tasks_traffic_light_and_overdue_flag(plan):
    plan_rollup(plan_id=plan.pk, today=TODAY)

    assert lights(plan) == {
        "优化经济质效": ("on_track", False),  # 50 % against 49.7 %
        "加强招商引资谋篇布局": ("done", False),
        "提供优质贴心企业服务": ("off_track", True),  # due 31 March
        "全力守住生产安全": ("on_track", False),  # a gap of 4.7 points
        "精致规划": ("off_track", False),  # a gap of 49.7 points
    }


def test_it_stores_each_indicators_latest_value_target_to_date_forecast_and_light(plan):
    plan_rollup(plan_id=plan.pk, today=TODAY)

    values = {
        i.name: (i.latest_value, i.latest_date, i.expected_value, i.forecast_value)
        for i in Indicator.objects.filter(task__plan=plan)
    }
    lights = {i.name: (i.forecast_met, i.health) for i in Indicator.objects.filter(task__plan=plan)}
    assert values == {
        # 200 × 181/364 = 99.45 due by now; the line through (89, 60) and (180, 120)
        # reaches 241.32. Computed values keep the precision of the target.
        "走访企业": (120, dt.date(2023, 6, 30), 99, 241),
        # The task's period ended on 31 March: the whole target is due, and no reading.
        "新增企业": (None, None, 10, None),
        # A ceiling is held at all times; 1 by day 150 runs to 2.43 by the end of the year.
        "生产安全事故": (1, dt.date(2023, 5, 31), 3, Decimal("2.4")),
    }
    assert lights == {
        "走访企业": (True, "on_track"),
        "新增企业": (None, "off_track"),
        "生产安全事故": (True, "on_track"),
    }


def test_it_counts_a_plans_leaf_tasks_by_status_light_and_overdue(plan):
    progress = plan_rollup(plan_id=plan.pk, today=TODAY)

    assert progress.leaf_total == 4
    assert progress.status_counts == {"done": 1, "in_progress": 2, "not_started": 1}
    assert progress.health_counts == {"done": 1, "on_track": 1, "off_track": 2}
    assert progress.overdue_count == 1
    assert progress.indicator_total == 3
    assert progress.indicator_health_counts == {"on_track": 2, "off_track": 1}
    assert progress.expected_percent == Decimal("49.7")
    assert progress.last_update_at == aware(2023, 6, 20, 10)


def test_it_averages_the_top_level_tasks_for_the_plans_percent(plan):
    # (50 + 45 + 0) / 3: the section counts once, whatever the number of its items.
    assert plan_rollup(plan_id=plan.pk, today=TODAY).percent == Decimal("31.7")


def test_its_figures_equal_the_counts_in_the_database(plan, task_b):
    TaskFactory(plan=task_b.plan, status="done", percent=100)  # another plan: not counted

    plan_rollup(plan_id=plan.pk, today=TODAY)

    progress = PlanProgress.objects.get(plan=plan)
    leaves = Task.objects.filter(plan=plan, children__isnull=True).order_by()
    indicators = Indicator.objects.filter(task__plan=plan).order_by()
    top_percent = Task.objects.filter(plan=plan, parent=None).aggregate(p=Avg("percent"))["p"]
    assert progress.leaf_total == leaves.count()
    assert progress.status_counts == dict(leaves.values_list("status").annotate(Count("id")))
    assert progress.health_counts == dict(leaves.values_list("health").annotate(Count("id")))
    assert progress.overdue_count == leaves.filter(is_overdue=True).count()
    assert progress.percent == Decimal(f"{top_percent:.1f}")
    assert progress.indicator_total == indicators.count()
    assert progress.indicator_health_counts == dict(
        indicators.values_list("health").annotate(Count("id"))
    )
    assert (
        progress.last_update_at
        == Task.objects.filter(plan=plan).aggregate(m=Max("last_update_at"))["m"]
    )


def test_it_sums_up_each_theme_of_the_plan(plan):
    plan_rollup(plan_id=plan.pk, today=TODAY)

    rows = {row.pop("theme"): row for row in theme_rows(plan)}
    for row in rows.values():
        del row["id"]
    assert rows == {
        "economy": {
            "leaf_total": 2,
            "done_count": 1,
            "percent": Decimal("50.0"),
            "health_counts": {"done": 1, "off_track": 1},
            "indicator_total": 2,
            "indicator_good": 1,
        },
        "other": {
            "leaf_total": 1,
            "done_count": 0,
            "percent": Decimal("0.0"),
            "health_counts": {"off_track": 1},
            "indicator_total": 0,
            "indicator_good": 0,
        },
        "safety": {
            "leaf_total": 1,
            "done_count": 0,
            "percent": Decimal("45.0"),
            "health_counts": {"on_track": 1},
            "indicator_total": 1,
            "indicator_good": 1,
        },
    }


def test_it_drops_the_row_of_a_theme_that_has_no_task_left(plan):
    plan_rollup(plan_id=plan.pk, today=TODAY)
    Task.objects.filter(plan=plan, theme="other").update(theme="renewal")

    plan_rollup(plan_id=plan.pk, today=TODAY)

    assert set(PlanThemeProgress.objects.filter(plan=plan).values_list("theme", flat=True)) == {
        "economy",
        "renewal",
        "safety",
    }


def test_running_it_twice_changes_nothing_more(plan):
    plan_rollup(plan_id=plan.pk, today=TODAY)
    before = (lights(plan), progress_values(plan), theme_rows(plan))
    indicators_before = list(Indicator.objects.filter(task__plan=plan).values())
    history_before = (Task.history.count(), Indicator.history.count())

    plan_rollup(plan_id=plan.pk, today=TODAY)

    assert (lights(plan), progress_values(plan), theme_rows(plan)) == before
    assert list(Indicator.objects.filter(task__plan=plan).values()) == indicators_before
    assert (Task.history.count(), Indicator.history.count()) == history_before


def test_it_leaves_no_history_and_no_new_version_for_computed_fields(plan):
    history_before = (Task.history.count(), Indicator.history.count())

    plan_rollup(plan_id=plan.pk, today=TODAY)

    assert (Task.history.count(), Indicator.history.count()) == history_before
    assert set(Task.objects.filter(plan=plan).values_list("version", flat=True)) == {1}


def test_it_counts_an_empty_plan_as_zero(subdistrict_a):
    plan = PlanFactory(subdistrict=subdistrict_a)

    progress = plan_rollup(plan_id=plan.pk, today=TODAY)

    assert (progress.leaf_total, progress.percent, progress.health_counts) == (0, 0, {})
    assert not PlanThemeProgress.objects.filter(plan=plan).exists()


# --- plan_rollup_schedule -----------------------------------------------------------------


@pytest.fixture
def queued():
    """The roll-up jobs queued, instead of sending them to a broker."""
    with mock.patch("apps.plans.jobs.plan_rollup.apply_async") as apply_async:
        yield apply_async


def test_a_burst_of_updates_in_one_transaction_queues_one_recompute(
    plan, alice, queued, django_capture_on_commit_callbacks
):
    task = Task.objects.get(title="全力守住生产安全")

    with django_capture_on_commit_callbacks(execute=True):
        for percent in (50, 55, 60, 65, 70):
            update_task(task, alice, percent=percent)

    queued.assert_called_once_with(args=[plan.pk], countdown=1)
    assert PlanProgress.objects.get(plan=plan).rollup_pending


def test_updates_in_several_transactions_queue_one_recompute_while_it_is_pending(
    plan, alice, queued, django_capture_on_commit_callbacks
):
    safe = Task.objects.get(title="全力守住生产安全")
    idle = Task.objects.get(title="精致规划")

    for task, percent in [(safe, 50), (idle, 10), (safe, 60), (idle, 20)]:
        with django_capture_on_commit_callbacks(execute=True):
            update_task(task, alice, percent=percent)

    assert queued.call_count == 1


def test_it_queues_the_recompute_only_once_the_update_is_committed(
    plan, alice, queued, django_capture_on_commit_callbacks
):
    task = Task.objects.get(title="全力守住生产安全")

    with django_capture_on_commit_callbacks() as callbacks:
        update_task(task, alice, percent=50)

    assert queued.call_count == 0
    callbacks[0]()
    assert queued.call_count == 1


def test_an_update_after_the_recompute_queues_the_next_one(
    plan, alice, queued, django_capture_on_commit_callbacks
):
    task = Task.objects.get(title="全力守住生产安全")
    with django_capture_on_commit_callbacks(execute=True):
        update_task(task, alice, percent=50)
    plan_rollup(plan_id=plan.pk, today=TODAY)

    with django_capture_on_commit_callbacks(execute=True):
        update_task(task, alice, percent=60)

    assert queued.call_count == 2


def test_an_update_is_saved_when_the_broker_is_down_and_the_sweep_rolls_it_up_later(
    plan, alice, queued, django_capture_on_commit_callbacks, caplog
):
    queued.side_effect = OperationalError("Error 111 connecting to 127.0.0.1:6379.")
    task = Task.objects.get(title="全力守住生产安全")

    with django_capture_on_commit_callbacks(execute=True):
        update_task(task, alice, percent=50, note="本月开展安全检查")

    task.refresh_from_db()
    assert task.percent == 50
    assert TaskUpdate.objects.get(task=task).note == "本月开展安全检查"
    assert PlanProgress.objects.get(plan=plan).rollup_pending
    assert f"Could not queue the roll-up of plan {plan.pk}" in caplog.text

    # The broker is back; beat's sweep finds the plan still flagged and rolls it up.
    queued.side_effect = None
    assert plans_rollup_pending(today=TODAY) == 1
    progress = PlanProgress.objects.get(plan=plan)
    assert not progress.rollup_pending
    assert progress.computed_at is not None
    assert plans_rollup_pending(today=TODAY) == 0

    with django_capture_on_commit_callbacks(execute=True):
        update_task(task, alice, percent=60)
    assert queued.call_count == 2


def test_the_sweep_is_on_beats_schedule_every_few_minutes(settings):
    entries = [
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"].endswith("plans_rollup_pending")
    ]
    assert len(entries) == 1


def in_thread(target, errors: list) -> threading.Thread:
    """Run `target` on a connection of its own, as a web process or a worker would."""

    def run():
        try:
            target()
        except Exception as exc:  # reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one writer in at a time, so the two cannot interleave there",
)
def test_an_update_committed_while_a_recompute_runs_queues_the_next_one(
    transactional_db, plan, alice, queued
):
    PlanProgress.objects.create(plan=plan, rollup_pending=True)  # a recompute is queued
    task = Task.objects.get(title="全力守住生产安全")
    has_read, may_go_on, errors = threading.Event(), threading.Event(), []
    # Called between reading the rows and writing the results.
    task_lights_set = rollups._task_lights_set

    def set_after_the_update(*args, **kwargs):
        has_read.set()
        may_go_on.wait(10)
        return task_lights_set(*args, **kwargs)

    with mock.patch.object(rollups, "_task_lights_set", set_after_the_update):
        recompute = in_thread(lambda: plan_rollup(plan_id=plan.pk, today=TODAY), errors)
        assert has_read.wait(10)
        # Saved after the recompute read the tasks: it cannot be in this recompute.
        update = in_thread(lambda: update_task(task, alice, percent=60), errors)
        update.join(10)
        may_go_on.set()
        recompute.join(10)

    assert not errors
    assert Task.objects.get(pk=task.pk).percent == 60
    queued.assert_called_once_with(args=[plan.pk], countdown=1)
    assert PlanProgress.objects.get(plan=plan).rollup_pending


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one writer in at a time, so the two cannot interleave there",
)
def test_a_recompute_does_not_wait_for_a_task_an_update_holds(transactional_db, plan, queued):
    # Both the section and its late item get a new light from this recompute.
    Task.objects.filter(plan=plan).update(health="not_started", is_overdue=False)
    section = Task.objects.get(title="优化经济质效")
    late = Task.objects.get(title="提供优质贴心企业服务")
    errors = []

    with transaction.atomic():
        # An update holds its task, and will lock the section next (task_update's order).
        Task.objects.select_for_update().get(pk=late.pk)
        recompute = in_thread(lambda: plan_rollup(plan_id=plan.pk, today=TODAY), errors)
        recompute.join(10)
        finished_meanwhile = not recompute.is_alive()
        Task.objects.select_for_update().get(pk=section.pk)

    recompute.join(10)
    assert not errors
    assert finished_meanwhile  # it neither waited for the item nor held the section
    assert lights(plan)["优化经济质效"] != ("not_started", False)
    # The held item keeps its light until the next recompute, which the update queues.
    assert lights(plan)["提供优质贴心企业服务"] == ("not_started", False)
    plan_rollup(plan_id=plan.pk, today=TODAY)
    assert lights(plan)["提供优质贴心企业服务"] == ("off_track", True)


# --- tasks_flag_overdue -------------------------------------------------------------------


@pytest.fixture
def deadlines(subdistrict_a):
    """Tasks around 1 July 2023, some of them flagged by an earlier run."""
    plan = PlanFactory(subdistrict=subdistrict_a, year_start=2023)
    last_year = PlanFactory(subdistrict=subdistrict_a, year_start=2022)
    march = dt.date(2023, 3, 31)
    return {
        "past due": TaskFactory(plan=plan, due_date=march, status="in_progress"),
        "past due, done": TaskFactory(plan=plan, due_date=march, status="done", percent=100),
        "due today": TaskFactory(plan=plan, due_date=TODAY, status="in_progress"),
        "no due date, this year": TaskFactory(plan=plan, status="in_progress"),
        "no due date, last year's plan": TaskFactory(plan=last_year, status="in_progress"),
        "flagged, since done": TaskFactory(
            plan=plan, due_date=march, status="done", percent=100, is_overdue=True
        ),
        "flagged, since given more time": TaskFactory(
            plan=plan, due_date=dt.date(2023, 12, 31), status="in_progress", is_overdue=True
        ),
    }


def overdue_flags(tasks):
    flagged = set(Task.objects.filter(is_overdue=True).values_list("pk", flat=True))
    return {name for name, task in tasks.items() if task.pk in flagged}


def test_it_flags_unfinished_tasks_whose_due_date_or_plan_year_has_passed(deadlines):
    flagged, _cleared = tasks_flag_overdue(today=TODAY)

    assert flagged == 2
    assert overdue_flags(deadlines) == {"past due", "no due date, last year's plan"}


def test_it_clears_the_flag_of_tasks_done_or_given_more_time(deadlines):
    _flagged, cleared = tasks_flag_overdue(today=TODAY)

    assert cleared == 2
    assert not {"flagged, since done", "flagged, since given more time"} & overdue_flags(deadlines)


def test_flagging_twice_changes_nothing_more(deadlines):
    tasks_flag_overdue(today=TODAY)
    after_first = overdue_flags(deadlines)

    assert tasks_flag_overdue(today=TODAY) == (0, 0)
    assert overdue_flags(deadlines) == after_first


def test_it_flags_the_same_tasks_as_the_roll_up(deadlines):
    tasks_flag_overdue(today=TODAY)
    flagged = overdue_flags(deadlines)

    for plan_id in {t.plan_id for t in deadlines.values()}:
        plan_rollup(plan_id=plan_id, today=TODAY)

    assert overdue_flags(deadlines) == flagged


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one writer in at a time, so the two cannot interleave there",
)
def test_the_nightly_flags_leave_a_task_being_saved_to_its_roll_up(transactional_db, deadlines):
    held = deadlines["past due"]
    errors = []

    with transaction.atomic():
        Task.objects.select_for_update().get(pk=held.pk)  # a user's save in progress
        counts = []
        flagging = in_thread(lambda: counts.append(tasks_flag_overdue(today=TODAY)), errors)
        flagging.join(10)
        finished_meanwhile = not flagging.is_alive()

    flagging.join(10)
    assert not errors
    assert finished_meanwhile
    assert overdue_flags(deadlines) == {"no due date, last year's plan"}
    assert counts == [(1, 2)]  # the held task is not counted as flagged
    plan_rollup(plan_id=held.plan_id, today=TODAY)  # the one that save queues
    assert "past due" in overdue_flags(deadlines)
