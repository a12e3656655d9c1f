"""The one simulator of a plan's year, for the demo and for the synthetic city.

It works on plain states (no rows, no queries), week by week from the plan's start to
`until` or the plan's end: the active quarter of the leaf tasks is updated every week and
the rest every four weeks, each at its own pace and after its own late start; parents follow
their children by the roll-up rule (rules/progress.py, the same code the task service
runs); indicators get a reading every four weeks. Every update by a person is kept with its
timeline entry, and every change of a task's state with its time, so that a caller can
write TaskUpdate rows, simple-history rows or snapshots from them.

Made-up values are plausible, never contradictory: a task is 已完成 only at 100 %, and
once a task is done its indicators have reached their targets.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from apps.plans.rules import progress, timeline
from apps.plans.rules.rollup import IndicatorState, PlanNumbers, TaskState, plan_numbers
from apps.plans.rules.vocabulary import CEILINGS, Status

NOTES = (
    "已召开专题推进会，明确时间节点。",
    "完成阶段性工作，正在推进下一步。",
    "与相关科室协调，落实责任分工。",
    "已完成现场踏勘，方案在修改完善中。",
    "按计划推进，无异常情况。",
    "居民意见征询已完成，进入实施阶段。",
)
# What staff write when they flag a task themselves (a setback, see PlanSimulation.setbacks):
# 滞后 with its reason, and 暂缓 waiting for a decision.
SETBACKS = (
    (Status.DELAYED, "受审批流程影响，进度滞后，正在协调相关部门加快办理。"),
    (Status.SUSPENDED, "因上级政策调整，暂缓推进，待领导研究后决定。"),
)
WEEK = dt.timedelta(days=7)
# Share of leaf tasks updated every week; the others are updated every fourth week, when
# the indicators are reported too.
ACTIVE_SHARE = 0.25
SLOW_EVERY_WEEKS = 4


@dataclass
class SimTask:
    """One task's state as the simulation moves it; `key` is its id (or a stand-in)."""

    key: int
    parent_key: int | None
    percent: int = 0
    status: str = Status.NOT_STARTED
    due_date: dt.date | None = None
    theme: str = "other"
    version: int = 1
    last_update_at: dt.datetime | None = None
    children: list[SimTask] = field(default_factory=list)
    pace: float = 1.0
    delay: float = 0.0
    active: bool = False
    # (when, timeline changes, note) of each update a person made.
    updates: list[tuple[dt.datetime, list[dict], str]] = field(default_factory=list)
    # (when, percent, status, version, by_person) after every change of state.
    states: list[tuple[dt.datetime, int, str, int, bool]] = field(default_factory=list)


@dataclass
class SimIndicator:
    key: int
    task: SimTask
    name: str
    unit: str
    comparator: str
    target: float
    pace: float = 1.0
    readings: list[tuple[dt.date, float]] = field(default_factory=list)


def simulated_percent(current: int, pace: float, share: float) -> int:
    """A leaf task's percent once `share` of its period (less its late start) has passed,
    at its own pace; it never goes back."""
    return max(current, min(100, round(100 * pace * max(share, 0))))


def simulated_value(
    indicator: SimIndicator, *, share: float, done: bool, rng: random.Random
) -> float:
    """An indicator's reading: rates and ceilings hover around their target, counts grow
    with the elapsed share at the indicator's pace (up to 110 %). Once its task is done,
    a floor is reached and a ceiling held."""
    target = indicator.target
    if indicator.comparator in CEILINGS:
        value = target * rng.uniform(0.85, 0.98 if done else 1.05)
    elif progress.indicator_is_level(indicator.unit, indicator.name):
        value = target * rng.uniform(1.0 if done else 0.85, 1.05)
    else:
        value = target * min(1.1, indicator.pace * share)
        if done:
            value = max(value, target)
        if target == int(target):
            return round(value)  # a count of whole things (3 个车棚) is never 2.62
    return round(value) if target == int(target) and target >= 10 else round(value, 2)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


class PlanSimulation:
    """A plan's tasks and indicators moved through its year (see the module docstring).

    `tasks` in document order with their current state; `rng` draws every pace, start and
    note, so one seed gives one history."""

    def __init__(
        self,
        *,
        year_start: int,
        year_end: int,
        tasks: list[SimTask],
        indicators: list[SimIndicator],
        rng: random.Random,
    ):
        self.year_start, self.year_end = year_start, year_end
        self.tasks, self.indicators, self.rng = tasks, indicators, rng
        self.by_key = {t.key: t for t in tasks}
        for task in tasks:
            if task.parent_key is not None:
                self.by_key[task.parent_key].children.append(task)
        self.leaves = [t for t in tasks if not t.children]
        # Deepest first, so that a parent sees its children's new state.
        self.parents = sorted((t for t in tasks if t.children), key=self._depth, reverse=True)
        for task in self.leaves:
            task.pace = rng.uniform(0.7, 1.35)
            task.delay = rng.uniform(0.0, 0.15)
            task.active = rng.random() < ACTIVE_SHARE
        self.indicators_of: dict[int, list[SimIndicator]] = {}
        for indicator in indicators:
            indicator.pace = rng.uniform(0.55, 1.15)
            self.indicators_of.setdefault(indicator.task.key, []).append(indicator)

    def _depth(self, task: SimTask) -> int:
        depth = 0
        while task.parent_key is not None:
            task = self.by_key[task.parent_key]
            depth += 1
        return depth

    def _period(self, task: SimTask) -> tuple[dt.date, dt.date]:
        return progress.task_period(self.year_start, self.year_end, task.due_date)

    def run(self, *, until: dt.date, on_week: Callable[[dt.date], None] | None = None) -> None:
        """Simulate every week whose last day is before `until` and within the plan;
        `on_week(day)` is called at the end of each (the city takes its snapshots there)."""
        start, end = progress.plan_period(self.year_start, self.year_end)
        last = min(end, until - dt.timedelta(days=1))
        week, day = 0, start + WEEK
        while day <= last:
            week += 1
            slow_round = week % SLOW_EVERY_WEEKS == 0
            when = _at(day, 9 + week % 9)
            for task in self.leaves:
                if task.active or slow_round:
                    self._leaf_step(task, day, when)
            for task in self.parents:
                self._parent_step(task, when)
            if slow_round:
                for indicator in self.indicators:
                    self._reading(indicator, day)
            if on_week is not None:
                on_week(day)
            day += WEEK

    def _leaf_step(self, task: SimTask, day: dt.date, when: dt.datetime) -> None:
        share = progress.elapsed_share(*self._period(task), day) - task.delay
        percent = simulated_percent(task.percent, task.pace, share)
        if percent == task.percent:
            return
        status = Status.DONE if percent == 100 else Status.IN_PROGRESS
        old = {"status": task.status, "percent": task.percent}
        new = {"status": status, "percent": percent}
        task.updates.append((when, timeline.task_changes(old, new), self.rng.choice(NOTES)))
        task.percent, task.status = percent, status
        task.version += 1
        task.last_update_at = when
        task.states.append((when, percent, status, task.version, True))
        if status == Status.DONE:
            # Whoever marks a task done reports where its indicators ended.
            for indicator in self.indicators_of.get(task.key, []):
                self._reading(indicator, day)

    def _reading(self, indicator: SimIndicator, day: dt.date) -> None:
        if indicator.readings and indicator.readings[-1][0] == day:
            return
        share = progress.elapsed_share(*self._period(indicator.task), day)
        done = indicator.task.status == Status.DONE
        value = simulated_value(indicator, share=share, done=done, rng=self.rng)
        indicator.readings.append((day, value))

    def _parent_step(self, task: SimTask, when: dt.datetime) -> None:
        percent, status = progress.parent_progress(
            [(c.percent, c.status) for c in task.children], task.status
        )
        if (percent, status) == (task.percent, task.status):
            return
        task.percent, task.status = percent, status
        task.version += 1
        task.states.append((when, percent, status, task.version, False))

    def setbacks(self, day: dt.date) -> None:
        """A plan still under way has people who flag trouble themselves: one unfinished
        leaf task (drawn by the seed) is reported 滞后 and another 暂缓 on `day`, each with
        its reason, so that a demo on any date has tasks to chase (催办) and to review."""
        open_leaves = [t for t in self.leaves if t.status != Status.DONE]
        chosen = self.rng.sample(open_leaves, min(len(SETBACKS), len(open_leaves)))
        when = _at(day, 10)
        for task, (status, note) in zip(chosen, SETBACKS, strict=False):
            old = {"status": task.status, "percent": task.percent}
            task.updates.append((when, timeline.task_changes(old, {"status": status}), note))
            task.status = status
            task.version += 1
            task.last_update_at = when
            task.states.append((when, task.percent, status, task.version, True))
        for task in self.parents:
            self._parent_step(task, when)

    def numbers(self, day: dt.date) -> PlanNumbers:
        """The plan's numbers on `day` from the simulated state, as the roll-up computes
        them from rows."""
        return plan_numbers(
            year_start=self.year_start,
            year_end=self.year_end,
            tasks=[
                TaskState(t.key, t.parent_key, t.status, t.percent, t.due_date, t.theme)
                for t in self.tasks
            ],
            indicators=[
                IndicatorState(
                    i.key, i.task.key, i.name, i.unit, i.comparator, i.target, list(i.readings)
                )
                for i in self.indicators
            ],
            today=day,
        )
