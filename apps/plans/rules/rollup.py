"""A plan's numbers on one day, from plain states of its tasks and indicators: the
traffic light of each, the overdue flags, the totals and the theme rows that the
dashboards read. Pure: the roll-up service reads the rows and stores the result, the
snapshots rebuild past states from history, and the city generator simulates them; all
three compute here.

Counts are of leaf tasks (the items someone actually does; sections only aggregate them).
A plan's percent is the mean of its top-level sections' percents.

A look-back (工作回顾) reports what a finished year achieved: its figures are results, so
it has no 序时 target and no forecast (both None), and the dashboards show it beside the
annual plans of that year, never inside their totals.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from apps.plans.rules import progress
from apps.plans.rules.themes import OTHER
from apps.plans.rules.vocabulary import GOOD_HEALTH, Health, Status


def one_decimal(value: float) -> Decimal:
    """A percent as stored: 66.66 -> 66.7."""
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def four_decimals(value: float) -> Decimal:
    """A measured value as stored (the fields have four decimal places)."""
    return Decimal(str(value)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def stored_decimal(value: Decimal | float) -> Decimal:
    """A target as its column keeps it (four decimal places), for numbers computed before
    the row is stored that must equal those computed from the stored row."""
    return Decimal(str(value)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def like_target(value: float, target: Decimal) -> Decimal:
    """A computed value (序时目标, forecast) with the precision of its target, at least one
    decimal for small targets and at most two: 25.8091户 reads as 25.8户, not as data."""
    exponent = target.normalize().as_tuple().exponent
    places = min(2, max(0, -exponent if isinstance(exponent, int) else 0))
    if places == 0 and abs(target) < 100:
        places = 1
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@dataclass
class TaskState:
    """What the traffic light of one task needs; also rebuilt from history for snapshots."""

    id: int
    parent_id: int | None
    status: str
    percent: int
    due_date: dt.date | None
    theme: str = OTHER[0]


@dataclass
class IndicatorState:
    id: int
    task_id: int
    name: str
    unit: str
    comparator: str
    target: float
    readings: list[tuple[dt.date, float]] = field(default_factory=list)


@dataclass
class IndicatorResult:
    latest_value: float | None
    latest_date: dt.date | None
    expected: float | None  # None for a look-back
    forecast: progress.Forecast | None
    health: Health


@dataclass
class PlanNumbers:
    """A plan's numbers on one day, as PlanProgress and PlanSnapshot store them."""

    percent: Decimal
    expected_percent: Decimal
    leaf_total: int
    status_counts: dict[str, int]
    health_counts: dict[str, int]
    overdue_count: int
    indicator_total: int
    indicator_health_counts: dict[str, int]
    task_health: dict[int, Health]
    task_overdue: dict[int, bool]
    indicators: dict[int, IndicatorResult]
    themes: dict[str, dict]


def indicator_result(
    state: IndicatorState,
    *,
    start: dt.date,
    end: dt.date,
    today: dt.date,
    is_review: bool = False,
) -> IndicatorResult:
    level = progress.indicator_is_level(state.unit, state.name)
    readings = [(d, v) for d, v in state.readings if d <= today]
    latest_date, latest_value = readings[-1] if readings else (None, None)
    common = {"target": state.target, "comparator": state.comparator, "level": level}
    health = progress.indicator_health(
        **common, actual=latest_value, start=start, end=end, today=today
    )
    if is_review:
        return IndicatorResult(latest_value, latest_date, None, None, health)
    return IndicatorResult(
        latest_value=latest_value,
        latest_date=latest_date,
        expected=progress.indicator_expected(**common, start=start, end=end, today=today),
        forecast=progress.indicator_forecast(**common, readings=readings, start=start, end=end),
        health=health,
    )


def plan_numbers(
    *,
    year_start: int,
    year_end: int,
    tasks: list[TaskState],
    indicators: list[IndicatorState],
    today: dt.date,
    is_review: bool = False,
) -> PlanNumbers:
    """Everything the dashboards show about one plan on `today`, from plain states. The
    rollup uses the current rows; the snapshot uses the rows as they were on a past day."""
    plan_start, plan_end = progress.plan_period(year_start, year_end)
    parents = {t.parent_id for t in tasks if t.parent_id is not None}
    by_id = {t.id: t for t in tasks}

    task_health, task_overdue = {}, {}
    for t in tasks:
        start, end = progress.task_period(year_start, year_end, t.due_date)
        task_health[t.id] = progress.task_health(
            status=t.status, percent=t.percent, start=start, end=end, today=today
        )
        task_overdue[t.id] = progress.task_is_overdue(status=t.status, end=end, today=today)

    leaves = [t for t in tasks if t.id not in parents]
    top = [t for t in tasks if t.parent_id is None]
    percent = sum(t.percent for t in top) / len(top) if top else 0.0

    results = {}
    for ind in indicators:
        task = by_id.get(ind.task_id)
        start, end = progress.task_period(year_start, year_end, task.due_date if task else None)
        results[ind.id] = indicator_result(
            ind, start=start, end=end, today=today, is_review=is_review
        )

    themes: dict[str, dict] = defaultdict(
        lambda: {
            "leaf_total": 0,
            "done": 0,
            "percent_sum": 0,
            "health": Counter(),
            "ind": 0,
            "ind_good": 0,
        }
    )
    for t in leaves:
        row = themes[t.theme]
        row["leaf_total"] += 1
        row["done"] += t.status == Status.DONE
        row["percent_sum"] += t.percent
        row["health"][task_health[t.id].value] += 1
    for ind in indicators:
        task = by_id.get(ind.task_id)
        row = themes[task.theme if task else OTHER[0]]
        row["ind"] += 1
        row["ind_good"] += results[ind.id].health in GOOD_HEALTH

    return PlanNumbers(
        percent=one_decimal(percent),
        expected_percent=one_decimal(progress.expected_percent(plan_start, plan_end, today)),
        leaf_total=len(leaves),
        status_counts=dict(Counter(str(t.status) for t in leaves)),
        health_counts=dict(Counter(task_health[t.id].value for t in leaves)),
        overdue_count=sum(task_overdue[t.id] for t in leaves),
        indicator_total=len(indicators),
        indicator_health_counts=dict(Counter(r.health.value for r in results.values())),
        task_health=task_health,
        task_overdue=task_overdue,
        indicators=results,
        themes=dict(themes),
    )


def plan_totals(numbers: PlanNumbers) -> dict:
    """The numbers PlanProgress and PlanSnapshot both store, by field name."""
    return {
        "percent": numbers.percent,
        "expected_percent": numbers.expected_percent,
        "leaf_total": numbers.leaf_total,
        "status_counts": numbers.status_counts,
        "health_counts": numbers.health_counts,
        "overdue_count": numbers.overdue_count,
        "indicator_total": numbers.indicator_total,
        "indicator_health_counts": numbers.indicator_health_counts,
    }


def indicator_rollup_values(result: IndicatorResult, target: Decimal) -> dict:
    """An indicator's stored roll-up fields (INDICATOR_ROLLUP_FIELDS) from its result."""
    return {
        "latest_value": None if result.latest_value is None else four_decimals(result.latest_value),
        "latest_date": result.latest_date,
        "expected_value": None if result.expected is None else like_target(result.expected, target),
        "forecast_value": None
        if result.forecast is None
        else like_target(result.forecast.value, target),
        "forecast_met": None if result.forecast is None else result.forecast.met,
        "health": result.health.value,
    }


def theme_totals(numbers: PlanNumbers) -> dict[str, dict]:
    """{theme: the fields PlanThemeProgress stores} for the plan's themes."""
    return {
        theme: {
            "leaf_total": row["leaf_total"],
            "done_count": row["done"],
            "percent": one_decimal(row["percent_sum"] / row["leaf_total"])
            if row["leaf_total"]
            else Decimal(0),
            "health_counts": dict(row["health"]),
            "indicator_total": row["ind"],
            "indicator_good": row["ind_good"],
        }
        for theme, row in numbers.themes.items()
    }
