"""Roll-ups: the traffic lights of tasks and indicators and a plan's totals, stored so that
dashboards read a few rows instead of recomputing thousands per request.

They are recomputed for one plan shortly after an update (`plan_rollup_schedule`, queued
on commit and coalesced) and for every plan each night (`plans_rollup_all`), because the
expected progress moves every day even when nobody reports anything. Every function here
computes from the current state only, so running it twice changes nothing more.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from apps.core.bulk import rows_lock_free, rows_update
from apps.plans.models import (
    INDICATOR_ROLLUP_FIELDS,
    Indicator,
    IndicatorReading,
    Plan,
    PlanProgress,
    PlanThemeProgress,
    Task,
)
from apps.plans.rules import progress
from apps.plans.rules.rollup import (
    IndicatorState,
    PlanNumbers,
    TaskState,
    indicator_rollup_values,
    plan_numbers,
    plan_totals,
    stored_decimal,
    theme_totals,
)

logger = logging.getLogger(__name__)

# Seconds between the first update of a burst and its recompute: updates saved meanwhile
# are covered by the same job.
ROLLUP_DELAY_SECONDS = 1


def theme_progress_rows(plan_id: int, numbers: PlanNumbers) -> list[PlanThemeProgress]:
    return [
        PlanThemeProgress(plan_id=plan_id, theme=theme, **fields)
        for theme, fields in theme_totals(numbers).items()
    ]


def _current_rows(plan_id: int) -> tuple[list[Task], list[Indicator], dict[int, list]]:
    """The plan's tasks and indicators with what the roll-up reads and writes, and the
    readings of each indicator in date order: read once, then computed and stored."""
    tasks = list(
        Task.objects.filter(plan_id=plan_id)
        .order_by()
        .only(
            "id",
            "parent_id",
            "status",
            "percent",
            "due_date",
            "theme",
            "health",
            "is_overdue",
            "last_update_at",
        )
    )
    indicators = list(
        Indicator.objects.filter(task__plan_id=plan_id)
        .order_by()
        .only(
            "id",
            "task_id",
            "name",
            "unit",
            "comparator",
            "target_value",
            *INDICATOR_ROLLUP_FIELDS,
        )
    )
    readings: dict[int, list] = defaultdict(list)
    for indicator_id, date, value in (
        IndicatorReading.objects.filter(indicator__task__plan_id=plan_id)
        .order_by("indicator_id", "date", "created_at", "id")
        .values_list("indicator_id", "date", "value")
    ):
        readings[indicator_id].append((date, float(value)))
    return tasks, indicators, readings


def plan_rollup(*, plan_id: int, today: dt.date | None = None) -> PlanProgress:
    """Recompute one plan's traffic lights, overdue flags and totals from its current rows."""
    # Cleared first, and committed before the rows are read: an update committed from now
    # on finds the flag cleared and queues another recompute (see plan_rollup_schedule).
    PlanProgress.objects.filter(plan_id=plan_id).update(rollup_pending=False)
    return _plan_rollup(plan_id=plan_id, today=today or timezone.localdate())


@transaction.atomic
def _plan_rollup(*, plan_id: int, today: dt.date) -> PlanProgress:
    plan = Plan.objects.get(pk=plan_id)
    tasks, indicators, readings = _current_rows(plan_id)
    numbers = plan_numbers(
        year_start=plan.year_start,
        year_end=plan.year_end,
        tasks=[_task_state(t, t.pk, t.parent_id) for t in tasks],
        indicators=[
            _indicator_state(i, i.pk, i.task_id, readings.get(i.pk, [])) for i in indicators
        ],
        today=today,
        is_review=plan.is_review,
    )
    # No save(), so no history rows and no version bump for a computed field; one
    # statement per table, not bulk_update's CASE per field (a fresh import changes every row).
    rows_update(
        Task,
        _unlocked(Task, _task_lights_set(tasks, numbers, key=lambda t: t.pk)),
        ["health", "is_overdue"],
    )
    rows_update(
        Indicator,
        _unlocked(Indicator, _indicator_results_set(indicators, numbers, key=lambda i: i.pk)),
        INDICATOR_ROLLUP_FIELDS,
    )
    _store_themes(plan_id, numbers)

    last_update = max((t.last_update_at for t in tasks if t.last_update_at), default=None)
    progress_row, _created = PlanProgress.objects.update_or_create(
        plan_id=plan_id,
        defaults={
            **plan_totals(numbers),
            "last_update_at": last_update,
            "computed_at": timezone.now(),
        },
    )
    return progress_row


def plan_rollup_unsaved(
    *,
    plan: Plan,
    tasks: list[Task],
    indicators: list[Indicator],
    readings: dict[int, list[tuple[dt.date, float]]],
    today: dt.date | None = None,
) -> PlanProgress:
    """The roll-up of a new plan whose tasks and indicators are not inserted yet: their
    traffic lights and results are set on the objects (the caller inserts them with
    these values) and the plan's totals are written, two INSERTs in all.

    Why: an import used to insert the rows, read them back and update every one of them
    (`plan_rollup`), most of a bulk import's statements. The numbers are the same
    `plan_numbers` on the same states; unsaved rows are keyed by `id()` and related by
    their `parent` and `task` objects, and `readings` by `id()` of the indicator."""
    numbers = plan_numbers(
        year_start=plan.year_start,
        year_end=plan.year_end,
        tasks=[_task_state(t, id(t), id(t.parent) if t.parent else None) for t in tasks],
        indicators=[
            _indicator_state(i, id(i), id(i.task), readings.get(id(i), [])) for i in indicators
        ],
        today=today or timezone.localdate(),
        is_review=plan.is_review,
    )
    _task_lights_set(tasks, numbers, key=id)
    _indicator_results_set(indicators, numbers, key=id)
    PlanThemeProgress.objects.bulk_create(theme_progress_rows(plan.pk, numbers))
    return PlanProgress.objects.create(
        plan=plan, **plan_totals(numbers), last_update_at=None, computed_at=timezone.now()
    )


def _task_state(task: Task, key: int, parent_key: int | None) -> TaskState:
    return TaskState(key, parent_key, task.status, task.percent, task.due_date, task.theme)


def _indicator_state(
    indicator: Indicator, key: int, task_key: int, readings: list
) -> IndicatorState:
    return IndicatorState(
        key,
        task_key,
        indicator.name,
        indicator.unit,
        indicator.comparator,
        # As stored: the column keeps four decimal places.
        float(stored_decimal(indicator.target_value)),
        readings,
    )


def _unlocked(model, objs: list) -> list:
    """Those of `objs` whose rows this transaction could lock at once (`rows_lock_free`).

    An update holds its task and then locks the task's parents (`task_update`); a
    roll-up writing both in its own order held the parent and waited for the task, and
    PostgreSQL broke the deadlock by failing one of them, sometimes the user's save. A
    row skipped here belongs to a write still in progress, and such a write queues the
    plan's next roll-up when it commits (`plan_rollup_schedule`; the nightly pass is the
    backstop), which writes the row then."""
    locked = rows_lock_free(model, [o.pk for o in objs])
    return [o for o in objs if o.pk in locked]


def _task_lights_set(tasks: list[Task], numbers: PlanNumbers, *, key) -> list[Task]:
    """Set each task's traffic light and overdue flag; returns the tasks that changed."""
    changed = []
    for task in tasks:
        health = numbers.task_health[key(task)].value
        overdue = numbers.task_overdue[key(task)]
        if (task.health, task.is_overdue) != (health, overdue):
            task.health, task.is_overdue = health, overdue
            changed.append(task)
    return changed


def _indicator_results_set(
    indicators: list[Indicator], numbers: PlanNumbers, *, key
) -> list[Indicator]:
    """Set each indicator's roll-up fields; returns the indicators that changed."""
    changed = []
    for indicator in indicators:
        values = indicator_rollup_values(
            numbers.indicators[key(indicator)], stored_decimal(indicator.target_value)
        )
        if any(getattr(indicator, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(indicator, k, v)
            changed.append(indicator)
    return changed


def _store_themes(plan_id: int, numbers: PlanNumbers) -> None:
    PlanThemeProgress.objects.filter(plan_id=plan_id).exclude(
        theme__in=list(numbers.themes)
    ).delete()
    PlanThemeProgress.objects.bulk_create(
        theme_progress_rows(plan_id, numbers),
        update_conflicts=True,
        unique_fields=["plan", "theme"],
        update_fields=[
            "leaf_total",
            "done_count",
            "percent",
            "health_counts",
            "indicator_total",
            "indicator_good",
        ],
    )


def plans_rollup_all(*, today: dt.date | None = None) -> int:
    """The nightly pass over every plan; returns how many plans were recomputed."""
    count = 0
    for plan_id in Plan.objects.order_by("pk").values_list("pk", flat=True):
        plan_rollup(plan_id=plan_id, today=today)
        count += 1
    return count


def plans_rollup_pending(*, today: dt.date | None = None) -> int:
    """Recompute every plan still flagged pending: a roll-up that could not be queued
    (the broker was down) or whose job was lost with its worker. Run every few minutes
    by beat; a plan whose job is merely waiting is recomputed twice, which is harmless.
    Returns how many plans were recomputed."""
    plan_ids = list(
        PlanProgress.objects.filter(rollup_pending=True)
        .order_by("plan_id")
        .values_list("plan_id", flat=True)
    )
    for plan_id in plan_ids:
        plan_rollup(plan_id=plan_id, today=today)
    return len(plan_ids)


def plan_rollup_schedule(*, plan_id: int) -> None:
    """Queue one recompute of the plan once the current transaction commits, unless one
    is already waiting.

    The pending flag is flipped with one conditional UPDATE, so of many updates exactly
    one queues the job (a burst costs one recompute). It is flipped after the commit:
    a recompute commits the cleared flag before it reads the rows, so an update that
    still finds the flag set was committed before that read and is in the recompute.
    (Flipped inside the update's transaction, an update saved while a recompute was
    running found the flag set, queued nothing, and was missing from the recompute.)"""

    def queue() -> None:
        flipped = PlanProgress.objects.filter(plan_id=plan_id, rollup_pending=False).update(
            rollup_pending=True
        )
        if not flipped:
            _row, created = PlanProgress.objects.get_or_create(
                plan_id=plan_id, defaults={"rollup_pending": True}
            )
            if not created:
                return

        from apps.plans.jobs import plan_rollup as plan_rollup_job

        try:
            plan_rollup_job.apply_async(args=[plan_id], countdown=ROLLUP_DELAY_SECONDS)
        except Exception:
            # The update itself is saved, and the flag stays set: the sweep
            # (`plans_rollup_pending`, every few minutes) runs the roll-up once the broker
            # is back, and the updates in between coalesce into it.
            logger.exception("Could not queue the roll-up of plan %s", plan_id)

    transaction.on_commit(queue)


def tasks_flag_overdue(*, today: dt.date | None = None) -> tuple[int, int]:
    """Flag the tasks whose period is over and that are not done; unflag those that are
    done or got a later due date. Returns (flagged, cleared), the rows written.

    The rule is `progress.task_is_overdue`, called for every task (a few fields each, read
    in chunks), so the nightly flags, the roll-up's and every page that reads them agree."""
    today = today or timezone.localdate()
    flag, clear = [], []
    rows = Task.objects.order_by().values_list(
        "pk", "status", "due_date", "is_overdue", "plan__year_start", "plan__year_end"
    )
    for pk, status, due_date, flagged, year_start, year_end in rows.iterator(chunk_size=5000):
        _start, end = progress.task_period(year_start, year_end, due_date)
        overdue = progress.task_is_overdue(status=status, end=end, today=today)
        if overdue != flagged:
            (flag if overdue else clear).append(pk)
    # A task a user's save holds is left to the roll-up that save queues (`_unlocked`);
    # the counts are of the rows written.
    written = {True: 0, False: 0}
    for ids, value in ((flag, True), (clear, False)):
        for first in range(0, len(ids), 5000):
            with transaction.atomic():
                free = rows_lock_free(Task, ids[first : first + 5000])
                written[value] += Task.objects.filter(pk__in=free).update(is_overdue=value)
    return written[True], written[False]
