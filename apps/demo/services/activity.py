"""Made-up progress for the demo's imported plans: the simulator's history written as the
rows people and jobs would have left (TaskUpdate, simple-history, IndicatorReading), then
the roll-up and weekly snapshots rebuilt from them.

Everything is written with bulk inserts and dated in the past. Never used on real data:
only `demo_setup` calls it.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import Membership
from apps.demo.services.simulation import PlanSimulation, SimIndicator, SimTask
from apps.plans.models import Indicator, IndicatorReading, Plan, Task, TaskUpdate
from apps.plans.rules.progress import plan_period
from apps.plans.services import plan_rollup, snapshot_take

DEMO_SEED = 2024
SNAPSHOT_EVERY_DAYS = 7
BATCH = 2000
# A plan under way today had its setbacks (simulation.SETBACKS) reported this long ago.
SETBACK_DAYS_AGO = dt.timedelta(days=2)


@dataclass
class SimulatedCounts:
    updates: int = 0
    readings: int = 0
    history: int = 0


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


@cache
def _history_fields() -> tuple[type, frozenset[str]]:
    # Looked up once: every access to Task.history builds a new manager.
    model = Task.history.model
    return model, frozenset(f.attname for f in model._meta.concrete_fields)


def _history_row(task: Task, when: dt.datetime, user, reason: str):
    model, tracked = _history_fields()
    return model(
        **{
            f.attname: getattr(task, f.attname)
            for f in Task._meta.concrete_fields
            if f.attname in tracked
        },
        history_date=when,
        history_type="~",
        history_user=user,
        history_change_reason=reason,
    )


def _backdate(plan: Plan, begun: dt.datetime) -> None:
    """The plan was imported on its first day, so snapshots of its whole year exist."""
    Plan.objects.filter(pk=plan.pk).update(created_at=begun)
    plan.created_at = begun
    Task.objects.filter(plan=plan).update(created_at=begun)
    Task.history.model.objects.filter(plan_id=plan.pk, history_type="+").update(history_date=begun)


@transaction.atomic
def plan_history_simulate(plan: Plan, *, today: dt.date, seed: int, user=None) -> SimulatedCounts:
    """Simulate work on `plan` from its start to `today` (or its end) and write it."""
    counts = SimulatedCounts()
    start, end = plan_period(plan.year_start, plan.year_end)
    if min(end, today) <= start:
        return counts
    _backdate(plan, timezone.make_aware(dt.datetime.combine(start, dt.time(9))))

    rows = {t.pk: t for t in Task.objects.filter(plan=plan).order_by("path")}
    tasks = [
        SimTask(
            key=t.pk,
            parent_key=t.parent_id,
            percent=t.percent,
            status=t.status,
            due_date=t.due_date,
            theme=t.theme,
            version=t.version,
        )
        for t in rows.values()
    ]
    by_key = {t.key: t for t in tasks}
    indicators = [
        SimIndicator(i.pk, by_key[i.task_id], i.name, i.unit, i.comparator, float(i.target_value))
        for i in Indicator.objects.filter(task__plan=plan).order_by("task_id", "order", "id")
    ]
    rng = random.Random(f"{seed}:{plan.content_hash}:{plan.year_start}:{plan.is_review}")
    simulation = PlanSimulation(
        year_start=plan.year_start,
        year_end=plan.year_end,
        tasks=tasks,
        indicators=indicators,
        rng=rng,
    )
    simulation.run(until=today + dt.timedelta(days=1))
    setback_day = today - SETBACK_DAYS_AGO
    if start < setback_day and today <= end:
        simulation.setbacks(setback_day)

    updates, history, readings = [], [], []
    for sim in tasks:
        row = rows[sim.key]
        updates += [
            TaskUpdate(task=row, user=user, created_at=when, changes=changes, note=note)
            for when, changes, note in sim.updates
        ]
        for when, percent, status, version, by_person in sim.states:
            row.percent, row.status, row.version = percent, status, version
            reason = "更新任务进展" if by_person else "由下级任务汇总"
            history.append(_history_row(row, when, user if by_person else None, reason))
        row.last_update_at = sim.last_update_at
    for sim in indicators:
        readings += [
            IndicatorReading(
                indicator_id=sim.key,
                date=day,
                value=Decimal(str(value)),
                recorded_by=user,
                created_at=timezone.make_aware(dt.datetime.combine(day, dt.time(17))),
            )
            for day, value in sim.readings
        ]

    with dated_in_the_past(TaskUpdate, IndicatorReading):
        TaskUpdate.objects.bulk_create(updates, batch_size=BATCH)
        IndicatorReading.objects.bulk_create(readings, batch_size=BATCH)
    Task.history.model.objects.bulk_create(history, batch_size=BATCH)
    Task.objects.bulk_update(
        list(rows.values()), ["percent", "status", "version", "last_update_at"], batch_size=BATCH
    )
    counts.updates, counts.history, counts.readings = len(updates), len(history), len(readings)
    return counts


def demo_activity_create(*, today: dt.date | None = None) -> int:
    """Give each seed plan that nobody has updated a made-up history of updates and
    readings (the seeds' years are past, so an untouched demo would be all red), then its
    roll-up and weekly snapshots. Returns how many plans got one. Idempotent: a plan with
    any update is left alone. Reviews (工作回顾) are done already."""
    today = today or timezone.localdate()
    users = {
        m.subdistrict_id: m.user
        for m in Membership.objects.filter(role=Membership.Role.STAFF).select_related("user")
    }
    simulated = []
    for plan in Plan.objects.filter(is_review=False).order_by("pk"):
        if TaskUpdate.objects.filter(task__plan=plan).exists():
            continue
        plan_history_simulate(
            plan, today=today, seed=DEMO_SEED, user=users.get(plan.subdistrict_id)
        )
        plan_rollup(plan_id=plan.pk, today=today)
        simulated.append(plan)
    days: dict[dt.date, list[int]] = defaultdict(list)
    for plan in simulated:
        start, end = plan_period(plan.year_start, plan.year_end)
        day = start
        while day <= min(end, today - dt.timedelta(days=1)):
            days[day].append(plan.pk)
            day += dt.timedelta(days=SNAPSHOT_EVERY_DAYS)
    for day, plan_ids in sorted(days.items()):
        snapshot_take(day=day, plan_ids=plan_ids)
    return len(simulated)
