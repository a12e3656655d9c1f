"""Daily snapshots: each plan's and each indicator's numbers at the end of a day, the
history behind the 进度变化 charts.

A snapshot of day D is the state at midnight after D (Asia/Shanghai), rebuilt from
simple-history for the tasks changed since then and from the dated readings, so that a day
the job missed (the worker was down) is filled later with the numbers it would have had.
A plan is snapshotted from the day it was imported until 90 days after its period ends
(late reports of the last year keep arriving in the first quarter). Tasks deleted after D
are left out of D's snapshot. A look-back (工作回顾) reports a finished year and does not
move, so it has no snapshots.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from apps.plans.models import (
    Indicator,
    IndicatorReading,
    IndicatorSnapshot,
    Plan,
    PlanSnapshot,
    Task,
)
from apps.plans.rules import progress
from apps.plans.rules.rollup import (
    IndicatorState,
    TaskState,
    four_decimals,
    plan_numbers,
    plan_totals,
)

GRACE_DAYS = 90
# How far back a missed day is filled.
MAX_FILL_DAYS = 400


def _cutoff(day: dt.date) -> dt.datetime:
    """Midnight after `day`, local time."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def _snapshot_window(plan: Plan) -> tuple[dt.date, dt.date]:
    start, end = progress.plan_period(plan.year_start, plan.year_end)
    imported = timezone.localdate(plan.created_at)
    return max(start, imported), end + dt.timedelta(days=GRACE_DAYS)


def _task_states_on(plan_ids: list[int], cutoff: dt.datetime) -> dict[int, list[TaskState]]:
    fields = ("id", "plan_id", "parent_id", "status", "percent", "due_date", "theme")
    rows = {
        row[0]: row
        for row in Task.objects.filter(plan_id__in=plan_ids, created_at__lt=cutoff)
        .order_by()
        .values_list(*fields)
    }
    history = Task.history.model.objects
    changed = set(
        history.filter(plan_id__in=plan_ids, history_date__gte=cutoff)
        .order_by()
        .values_list("id", flat=True)
        .distinct()
    )
    if changed:
        # The last record before the cutoff is the task as it was then.
        for record in (
            history.filter(id__in=changed, history_date__lt=cutoff)
            .order_by("id", "history_date", "history_id")
            .values_list(*fields, "history_type")
        ):
            if record[-1] == "-":
                rows.pop(record[0], None)
            elif record[0] in rows:
                rows[record[0]] = record[:-1]
    states: dict[int, list[TaskState]] = defaultdict(list)
    for task_id, plan_id, parent_id, status, percent, due_date, theme in rows.values():
        states[plan_id].append(TaskState(task_id, parent_id, status, percent, due_date, theme))
    return states


def _indicator_states_on(
    plan_ids: list[int], day: dt.date, cutoff: dt.datetime
) -> dict[int, list[IndicatorState]]:
    indicators = {}
    plan_of = {}
    for row in (
        Indicator.objects.filter(task__plan_id__in=plan_ids, task__created_at__lt=cutoff)
        .order_by()
        .values_list("id", "task_id", "name", "unit", "comparator", "target_value", "task__plan_id")
    ):
        indicators[row[0]] = IndicatorState(row[0], row[1], row[2], row[3], row[4], float(row[5]))
        plan_of[row[0]] = row[6]
    for indicator_id, date, value in (
        IndicatorReading.objects.filter(
            indicator_id__in=list(indicators), date__lte=day, created_at__lt=cutoff
        )
        .order_by("indicator_id", "date", "created_at", "id")
        .values_list("indicator_id", "date", "value")
    ):
        indicators[indicator_id].readings.append((date, float(value)))
    states: dict[int, list[IndicatorState]] = defaultdict(list)
    for indicator_id, state in indicators.items():
        states[plan_of[indicator_id]].append(state)
    return states


@transaction.atomic
def snapshot_take(*, day: dt.date, plan_ids: list[int]) -> int:
    """Record day `day` for these plans; a plan that already has that day is left alone.
    Returns the number of plan snapshots written."""
    existing = set(
        PlanSnapshot.objects.filter(plan_id__in=plan_ids, date=day).values_list(
            "plan_id", flat=True
        )
    )
    plans = list(Plan.objects.filter(pk__in=plan_ids, is_review=False).exclude(pk__in=existing))
    if not plans:
        return 0
    ids = [p.pk for p in plans]
    cutoff = _cutoff(day)
    task_states = _task_states_on(ids, cutoff)
    indicator_states = _indicator_states_on(ids, day, cutoff)

    plan_rows, indicator_rows = [], []
    for plan in plans:
        numbers = plan_numbers(
            year_start=plan.year_start,
            year_end=plan.year_end,
            tasks=task_states.get(plan.pk, []),
            indicators=indicator_states.get(plan.pk, []),
            today=day,
        )
        plan_rows.append(PlanSnapshot(plan=plan, date=day, **plan_totals(numbers)))
        indicator_rows.extend(
            IndicatorSnapshot(
                indicator_id=indicator_id,
                date=day,
                value=None if r.latest_value is None else four_decimals(r.latest_value),
                expected_value=four_decimals(r.expected),
                health=r.health.value,
            )
            for indicator_id, r in numbers.indicators.items()
        )
    # ignore_conflicts: a second run of the same day (two workers, a retry) adds nothing.
    PlanSnapshot.objects.bulk_create(plan_rows, ignore_conflicts=True)
    IndicatorSnapshot.objects.bulk_create(indicator_rows, batch_size=1000, ignore_conflicts=True)
    return len(plan_rows)


def snapshots_fill(*, today: dt.date | None = None) -> int:
    """Take every missing daily snapshot up to yesterday (the job runs just after
    midnight). Returns the number of plan snapshots written."""
    today = today or timezone.localdate()
    last_day = today - dt.timedelta(days=1)
    earliest = today - dt.timedelta(days=MAX_FILL_DAYS)
    last_taken = dict(
        PlanSnapshot.objects.values("plan_id")
        .annotate(last=Max("date"))
        .values_list("plan_id", "last")
    )
    days: dict[dt.date, list[int]] = defaultdict(list)
    for plan in Plan.objects.filter(year_end__gte=earliest.year - 1, is_review=False).only(
        "pk", "year_start", "year_end", "created_at"
    ):
        first, last = _snapshot_window(plan)
        taken = last_taken.get(plan.pk)
        day = max(first, earliest, taken + dt.timedelta(days=1) if taken else first)
        while day <= min(last, last_day):
            days[day].append(plan.pk)
            day += dt.timedelta(days=1)
    return sum(snapshot_take(day=day, plan_ids=ids) for day, ids in sorted(days.items()))
