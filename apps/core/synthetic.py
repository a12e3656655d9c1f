"""Synthetic progress: a plausible history of updates and indicator readings for plans that
nobody has worked on in this system, for the demo and for the city-scale benchmark.

Everything is written with bulk inserts and dated in the past: TaskUpdate rows (the
timeline), simple-history rows (what snapshots rebuild a past day from), IndicatorReading
rows, and the tasks' final state. Deterministic for a given seed. Never used on real data:
`demo_setup` and `generate_city` call it, nothing else.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from django.db import transaction
from django.utils import timezone

from apps.plans.models import Indicator, IndicatorReading, Plan, Task, TaskUpdate
from apps.plans.rules import progress
from apps.plans.rules.vocabulary import CEILINGS

NOTES = (
    "已召开专题推进会，明确时间节点。",
    "完成阶段性工作，正在推进下一步。",
    "与相关科室协调，落实责任分工。",
    "已完成现场踏勘，方案在修改完善中。",
    "按计划推进，无异常情况。",
    "居民意见征询已完成，进入实施阶段。",
)
BATCH = 2000


@dataclass
class SimulatedCounts:
    updates: int = 0
    readings: int = 0
    history: int = 0


def simulated_percent(current: int, pace: float, share: float) -> int:
    """A leaf task's percent once `share` of its period (less its late start) has passed,
    at its own pace; it never goes back."""
    return max(current, min(100, round(100 * pace * max(share, 0))))


def simulated_value(
    indicator: Indicator, *, pace: float, share: float, rng: random.Random
) -> float:
    """An indicator's simulated reading: rates and ceilings hover around their target,
    counts grow with the elapsed share at the indicator's pace (up to 110 %)."""
    target = float(indicator.target_value)
    if (
        progress.indicator_is_level(indicator.unit, indicator.name)
        or indicator.comparator in CEILINGS
    ):
        return target * rng.uniform(0.85, 1.05)
    return target * min(1.1, pace * share)


@contextmanager
def dated_in_the_past(*models) -> Iterator[None]:
    """Let bulk inserts keep the `created_at` they are given: auto_now_add would stamp
    every simulated row with today's date."""
    fields = [m._meta.get_field("created_at") for m in models]
    for f in fields:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f in fields:
            f.auto_now_add = True


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@cache
def _history_fields() -> tuple[type, frozenset[str]]:
    # Looked up once: every access to Task.history builds a new manager.
    model = Task.history.model
    return model, frozenset(f.attname for f in model._meta.concrete_fields)


def _history_row(task: Task, when: dt.datetime, user, history_type: str = "~"):
    model, tracked = _history_fields()
    row = model(
        **{
            f.attname: getattr(task, f.attname)
            for f in Task._meta.concrete_fields
            if f.attname in tracked
        },
        history_date=when,
        history_type=history_type,
        history_user=user,
        history_change_reason="更新任务进展" if history_type == "~" else "导入",
    )
    return row


@transaction.atomic
def plan_history_simulate(
    plan: Plan, *, today: dt.date, seed: int, cadence_days: int = 30, user=None
) -> SimulatedCounts:
    """Simulate work on `plan` from its start to `today` (or its end), one round of updates
    every `cadence_days`. The plan and its tasks are dated back to the plan's start."""
    counts = SimulatedCounts()
    start, end = progress.plan_period(plan.year_start, plan.year_end)
    last = min(end, today)
    if last <= start:
        return counts
    rng = random.Random(f"{seed}:{plan.content_hash}:{plan.year_start}:{plan.is_review}")
    begun = _at(start, 9)
    Plan.objects.filter(pk=plan.pk).update(created_at=begun)
    plan.created_at = begun

    tasks = list(Task.objects.filter(plan=plan).order_by("-depth", "path"))
    Task.objects.filter(plan=plan).update(created_at=begun)
    Task.history.model.objects.filter(plan_id=plan.pk, history_type="+").update(history_date=begun)
    children: dict[int, list[Task]] = {}
    for task in tasks:
        if task.parent_id:
            children.setdefault(task.parent_id, []).append(task)
    leaves = [t for t in tasks if t.pk not in children]
    pace = {t.pk: rng.uniform(0.75, 1.35) for t in leaves}
    delay = {t.pk: rng.uniform(0.0, 0.15) for t in leaves}
    indicators = list(Indicator.objects.filter(task__plan=plan))
    ind_pace = {i.pk: rng.uniform(0.5, 1.15) for i in indicators}
    by_id = {t.pk: t for t in tasks}

    updates, history, readings = [], [], []
    day = start + dt.timedelta(days=cadence_days)
    while day <= last:
        when = _at(day, rng.randint(9, 17))
        for task in leaves:
            task_start, task_end = progress.task_period(
                plan.year_start, plan.year_end, task.due_date
            )
            share = progress.elapsed_share(task_start, task_end, day) - delay[task.pk]
            percent = simulated_percent(task.percent, pace[task.pk], share)
            if percent == task.percent:
                continue
            status = Task.Status.DONE if percent == 100 else Task.Status.IN_PROGRESS
            changes = [
                {
                    "field": "percent",
                    "label": "完成百分比",
                    "old": f"{task.percent}%",
                    "new": f"{percent}%",
                }
            ]
            task.percent, task.status = percent, status
            task.version += 1
            task.last_update_at = when
            updates.append(
                TaskUpdate(
                    task=task, user=user, created_at=when, changes=changes, note=rng.choice(NOTES)
                )
            )
            history.append(_history_row(task, when, user))
        for task in tasks:  # deepest first, so children are current
            kids = children.get(task.pk)
            if not kids:
                continue
            percent, status = progress.parent_progress(
                [(k.percent, k.status) for k in kids], task.status
            )
            if (percent, status) != (task.percent, task.status):
                task.percent, task.status = percent, status
                task.version += 1
                history.append(_history_row(task, when, None))
        for indicator in indicators:
            task = by_id[indicator.task_id]
            task_start, task_end = progress.task_period(
                plan.year_start, plan.year_end, task.due_date
            )
            share = progress.elapsed_share(task_start, task_end, day)
            target = float(indicator.target_value)
            value = simulated_value(indicator, pace=ind_pace[indicator.pk], share=share, rng=rng)
            value = round(value) if target == int(target) and target >= 10 else round(value, 2)
            readings.append(
                IndicatorReading(
                    indicator=indicator,
                    date=day,
                    value=Decimal(str(value)),
                    recorded_by=user,
                    note="",
                    created_at=when,
                )
            )
        day += dt.timedelta(days=cadence_days)

    with dated_in_the_past(TaskUpdate, IndicatorReading):
        TaskUpdate.objects.bulk_create(updates, batch_size=BATCH)
        IndicatorReading.objects.bulk_create(readings, batch_size=BATCH)
    Task.history.model.objects.bulk_create(history, batch_size=BATCH)
    Task.objects.bulk_update(
        tasks, ["percent", "status", "version", "last_update_at"], batch_size=BATCH
    )
    counts.updates, counts.history, counts.readings = len(updates), len(history), len(readings)
    return counts
