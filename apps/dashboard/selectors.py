"""Reads behind the dashboards: plain data from the roll-ups the jobs keep (PlanProgress,
PlanThemeProgress, Task.health, Indicator.latest_*), never aggregates over every task or
reading per request, so a page costs the same few queries for 2 街道 or 215."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import Count, DecimalField, Max, Q, Subquery, Sum
from django.db.models.functions import Extract
from django.utils import timezone

from apps.plans.models import (
    Indicator,
    IndicatorQuerySet,
    Plan,
    PlanProgress,
    PlanReport,
    PlanSnapshot,
    PlanThemeProgress,
    Task,
)
from apps.plans.rules import progress
from apps.plans.rules.themes import THEME_CHOICES
from apps.plans.rules.vocabulary import GOOD_HEALTH, Health

if TYPE_CHECKING:
    from apps.accounts.models import User

# How many late or at-risk tasks the plan page lists; the rest are one click away in the
# task table, filtered the same way.
ATTENTION_LIMIT = 30


def _counter(*dicts: dict[str, int]) -> Counter:
    total: Counter = Counter()
    for d in dicts:
        total.update(d)
    return total


def _share(good: int, total: int) -> float | None:
    return round(100 * good / total, 1) if total else None


def dashboard_years(user: User) -> list[int]:
    """The years that have plans the user may see, newest first."""
    spans = Plan.objects.for_user(user).order_by().values_list("year_start", "year_end")
    return sorted(
        {y for start, end in spans.distinct() for y in range(start, end + 1)}, reverse=True
    )


def dashboard_default_year(years: list[int], today: dt.date | None = None) -> int | None:
    """This year when it has plans, else the latest earlier year with plans, else the
    earliest later one."""
    today = today or timezone.localdate()
    if not years:
        return None
    earlier = [y for y in years if y <= today.year]
    return max(earlier) if earlier else min(years)


def _in_year_q(year: int, prefix: str = "") -> Q:
    """The plans covering `year` (a multi-year plan covers each of its years), as a
    condition on the plan or on a row reaching it through `prefix`."""
    return Q(**{f"{prefix}year_start__lte": year, f"{prefix}year_end__gte": year})


def _annual_in_year_q(year: int, prefix: str = "") -> Q:
    """The plans a year's comparisons add up: a look-back (工作回顾) reports a finished
    year's results and is shown beside them, never counted in them."""
    return _in_year_q(year, prefix) & Q(**{f"{prefix}is_review": False})


def _plans_in_year(user: User, year: int):
    return Plan.objects.for_user(user).filter(_in_year_q(year))


def _annual_plans_in_year(user: User, year: int):
    return Plan.objects.for_user(user).filter(_annual_in_year_q(year))


# --- Overview: one row per 街道 ---------------------------------------------------------


def rollup_stamp() -> str:
    """A value that changes whenever a roll-up is recomputed (`computed_at`) or a plan is
    added, edited or deleted: what the overview and the theme page are drawn from. One
    query over the plans and their roll-ups (a row each), so that a page can tell whether
    what it drew before is still right without drawing it again.

    On PostgreSQL the times are summed, not their maximum taken: two roll-ups running at
    once may commit in the other order than their times (or on workers whose clocks
    differ), and a later commit with an earlier time would leave the maximum unchanged.
    SQLite (development, tests) lets one writer in at a time and has no epoch to sum."""
    if connection.vendor == "postgresql":
        # Microseconds kept: Extract's integer output would drop them.
        exact = DecimalField(max_digits=32, decimal_places=6)
        edited = Sum(Extract("updated_at", "epoch"), output_field=exact)
        computed = Sum(Extract("progress__computed_at", "epoch"), output_field=exact)
    else:
        edited, computed = Max("updated_at"), Max("progress__computed_at")
    found = Plan.objects.order_by().aggregate(plans=Count("pk"), edited=edited, computed=computed)
    return _digest("{plans}|{edited}|{computed}".format(**found))


def scope_key(user: User) -> str:
    """The user's scope (the units they may see) as a short key, for caching what depends
    on nothing else of the user."""
    ids = user.subdistrict_ids()
    if ids is None:
        return "all"
    return _digest(",".join(map(str, sorted(ids))))


def _digest(text: str) -> str:
    """A short key for a stamp or scope: what the cache keys and compares, not the text."""
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


@dataclass
class SubdistrictRow:
    id: int
    name: str
    district: str
    plan_count: int = 0
    review_count: int = 0
    leaf_total: int = 0
    status_counts: Counter = field(default_factory=Counter)
    health_counts: Counter = field(default_factory=Counter)
    overdue_count: int = 0
    indicator_total: int = 0
    indicator_health_counts: Counter = field(default_factory=Counter)
    percent_sum: Decimal = Decimal(0)
    expected_sum: Decimal = Decimal(0)
    last_update_at: dt.datetime | None = None

    @property
    def percent(self) -> float:
        return round(float(self.percent_sum) / self.plan_count, 1) if self.plan_count else 0.0

    @property
    def expected_percent(self) -> float:
        return round(float(self.expected_sum) / self.plan_count, 1) if self.plan_count else 0.0

    @property
    def indicator_good(self) -> int:
        return sum(self.indicator_health_counts[h] for h in GOOD_HEALTH)

    @property
    def indicator_good_share(self) -> float | None:
        return _share(self.indicator_good, self.indicator_total)

    def health(self, code: str) -> int:
        """Leaf tasks with this computed traffic light (what the plan pages count)."""
        return self.health_counts[code]


def subdistrict_rows(user: User, year: int) -> list[SubdistrictRow]:
    """Each 街道 the user may see with plans in `year`, its annual plans' roll-ups summed
    and its look-backs counted beside them; one query whatever the number of plans."""
    rows: dict[int, SubdistrictRow] = {}
    # Plain tuples, not model instances: 1,000 plans across a city.
    progress_rows = (
        PlanProgress.objects.filter(plan__in=_plans_in_year(user, year))
        .order_by()
        .values_list(
            "plan__subdistrict_id",
            "plan__subdistrict__name",
            "plan__subdistrict__district",
            "plan__is_review",
            "leaf_total",
            "status_counts",
            "health_counts",
            "overdue_count",
            "indicator_total",
            "indicator_health_counts",
            "percent",
            "expected_percent",
            "last_update_at",
        )
    )
    for (
        sub_id,
        name,
        district,
        is_review,
        leaf_total,
        status_counts,
        health_counts,
        overdue,
        indicator_total,
        indicator_health,
        percent,
        expected,
        last_update,
    ) in progress_rows:
        row = rows.setdefault(sub_id, SubdistrictRow(sub_id, name, district))
        if is_review:
            row.review_count += 1
            continue
        row.plan_count += 1
        row.leaf_total += leaf_total
        row.status_counts.update(status_counts)
        row.health_counts.update(health_counts)
        row.overdue_count += overdue
        row.indicator_total += indicator_total
        row.indicator_health_counts.update(indicator_health)
        row.percent_sum += percent
        row.expected_sum += expected
        if last_update and (row.last_update_at is None or last_update > row.last_update_at):
            row.last_update_at = last_update
    return sorted(rows.values(), key=lambda r: (r.district, r.name))


# --- One 街道 ---------------------------------------------------------------------------


def subdistrict_plan_progress(user: User, subdistrict_id: int) -> list[PlanProgress]:
    """The 街道's plans (all years) with their roll-ups, newest first."""
    return list(
        PlanProgress.objects.filter(
            plan__in=Plan.objects.for_user(user).filter(subdistrict_id=subdistrict_id)
        )
        .select_related("plan")
        .order_by("-plan__year_start", "plan__title")
    )


# --- One plan ---------------------------------------------------------------------------


@dataclass
class SectionRow:
    task: Task
    expected: float


def plan_sections(plan: Plan, today: dt.date | None = None) -> list[SectionRow]:
    """The plan's top-level tasks with the expected progress of each one's own period."""
    today = today or timezone.localdate()
    rows = []
    for task in plan.tasks.filter(parent__isnull=True).order_by("path"):
        start, end = progress.task_period(plan.year_start, plan.year_end, task.due_date)
        rows.append(SectionRow(task, progress.expected_percent(start, end, today)))
    return rows


def plan_page_stamp(plan: Plan, progress_computed_at, today: dt.date) -> str:
    """A value that changes whenever the plan page's drawn parts would (sections, late
    tasks, indicators, snapshots and the figures of them), read in one query: the
    plan's own edit time and roll-up time (already loaded with the plan), its tasks' last
    change and number (archived ones included, so an archive counts), its snapshots'
    last day and number, and the day (序时进度 moves with it)."""
    tasks = Task.all_objects.filter(plan_id=plan.pk).order_by()
    snapshots = PlanSnapshot.objects.filter(plan_id=plan.pk).order_by()
    found = (
        Plan.objects.filter(pk=plan.pk)
        .annotate(
            tasks_changed=Subquery(
                tasks.values("plan_id").annotate(last=Max("updated_at")).values("last")
            ),
            tasks_n=Subquery(tasks.values("plan_id").annotate(n=Count("id")).values("n")),
            snapshots_last=Subquery(
                snapshots.values("plan_id").annotate(last=Max("date")).values("last")
            ),
            snapshots_n=Subquery(snapshots.values("plan_id").annotate(n=Count("id")).values("n")),
        )
        .values_list("tasks_changed", "tasks_n", "snapshots_last", "snapshots_n")
        .first()
    )
    return _digest(f"{plan.updated_at}|{progress_computed_at}|{found}|{today}")


def plan_snapshot_series(plan: Plan) -> list[PlanSnapshot]:
    return list(
        plan.snapshots.order_by("date").only("plan_id", "date", "percent", "expected_percent")
    )


def plan_ideal_line(plan: Plan) -> tuple[list[dt.date], list[float]]:
    start, end = progress.plan_period(plan.year_start, plan.year_end)
    return [start, end], [0.0, 100.0]


ATTENTION_HEALTH = (Health.OFF_TRACK, Health.AT_RISK)


def plan_attention_tasks(plan: Plan) -> tuple[list[Task], int]:
    """The plan's late and at-risk leaf tasks (滞后 first), at most ATTENTION_LIMIT, and
    how many there are in all."""
    tasks = (
        plan.tasks.filter(health__in=ATTENTION_HEALTH)
        .leaves()
        .select_related("lead_department")
        .order_by("-health", "path")  # "off_track" sorts after "at_risk"; reversed.
    )
    # Always counted, so the page costs the same queries whether or not the list is cut.
    return list(tasks[:ATTENTION_LIMIT]), tasks.count()


def plan_indicators(plan: Plan) -> list[Indicator]:
    return list(
        Indicator.objects.filter(task__plan=plan)
        .select_related("task")
        .order_by("task__path", "order", "id")
    )


def plan_reports(plan: Plan, limit: int = 5) -> list[PlanReport]:
    return list(plan.reports.select_related("requested_by")[:limit])


# --- One indicator ----------------------------------------------------------------------


def indicator_detail_queryset() -> IndicatorQuerySet:
    return Indicator.objects.select_related("task__plan__subdistrict", "task__lead_department")


@dataclass
class IndicatorChartData:
    readings: list[tuple[dt.date, float]]
    expected: list[tuple[dt.date, float]]
    forecast: list[tuple[dt.date, float]]
    period_start: dt.date
    period_end: dt.date
    level: bool

    @property
    def axis(self) -> tuple[dt.date, dt.date]:
        """The dates the chart spans: the period, widened to every reading (a reading
        after a task's due date is still inside its plan's year), so none is off the
        chart."""
        days = [d for d, _v in self.readings]
        return min([self.period_start, *days]), max([self.period_end, *days])


def indicator_readings(indicator: Indicator):
    return list(indicator.readings.select_related("recorded_by").order_by("date", "created_at"))


def indicator_chart_data(indicator: Indicator, readings) -> IndicatorChartData:
    """The series of the indicator chart: readings, the 序时 line from the period start to
    its end (by the rule, rules/progress.py), and the forecast from the last reading to the
    period end. A look-back's figures are results: no 序时 line and no forecast."""
    task = indicator.task
    plan = task.plan
    start, end = progress.task_period(plan.year_start, plan.year_end, task.due_date)
    level = progress.indicator_is_level(indicator.unit, indicator.name)
    points = [(r.date, float(r.value)) for r in readings]
    if plan.is_review:
        return IndicatorChartData(points, [], [], start, end, level)
    rule = {
        "target": float(indicator.target_value),
        "comparator": indicator.comparator,
        "level": level,
        "start": start,
        "end": end,
    }
    expected = [(day, progress.indicator_expected(**rule, today=day)) for day in (start, end)]
    forecast = []
    if indicator.forecast_value is not None and points and points[-1][0] < end:
        forecast = [points[-1], (end, float(indicator.forecast_value))]
    return IndicatorChartData(points, expected, forecast, start, end, level)


# --- Themes across 街道 ------------------------------------------------------------------


@dataclass
class ThemeMatrix:
    subdistricts: list[str]
    themes: list[tuple[str, str]]
    # values[i][j]: mean percent of 街道 i's leaf tasks of theme j (None: no such task).
    values: list[list[float | None]]
    counts: list[list[int]]


def theme_matrix(user: User, year: int) -> ThemeMatrix:
    """Mean percent per 街道 and theme, weighted by task count, from PlanThemeProgress."""
    sums: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0])
    names = set()
    for name, theme, percent, total in (
        PlanThemeProgress.objects.filter(plan__in=_annual_plans_in_year(user, year))
        .order_by()
        .values_list("plan__subdistrict__name", "theme", "percent", "leaf_total")
    ):
        names.add(name)
        cell = sums[(name, theme)]
        cell[0] += float(percent) * total
        cell[1] += total
    subdistricts = sorted(names)
    themes = [(code, label) for code, label in THEME_CHOICES]
    values, counts = [], []
    for name in subdistricts:
        row, count_row = [], []
        for code, _label in themes:
            total_percent, total = sums.get((name, code), (0.0, 0))
            row.append(round(total_percent / total, 1) if total else None)
            count_row.append(int(total))
        values.append(row)
        counts.append(count_row)
    return ThemeMatrix(subdistricts, themes, values, counts)


# The comparison table's columns (apps/dashboard/tables.py ThemeIndicatorTable), with the
# task and plan reached only for their keys.
THEME_INDICATOR_FIELDS = (
    "name",
    "target_value",
    "unit",
    "comparator",
    "latest_value",
    "expected_value",
    "forecast_value",
    "health",
    "task__plan__subdistrict__name",
)


def theme_indicator_queryset(user: User, year: int, theme: str, q: str = "") -> IndicatorQuerySet:
    """The indicators of one theme (and optionally matching a keyword such as 养老) across
    the 街道 the user may see, for the comparison table.

    Only the columns the table shows are read, not each row's task text and its plan's
    whole source document."""
    queryset = (
        # Conditions on the joined plan, not `plan IN (the user's plans of the year)`: the
        # scope is already the indicators', and with a second copy of it in a subquery the
        # count and the page's rows took 13 ms of SQL instead of 7.6 at 215 街道 (5 ms of
        # it planning the rows).
        Indicator.objects.for_user(user)
        .filter(_annual_in_year_q(year, "task__plan__"))
        .select_related("task__plan__subdistrict")
        .only(*THEME_INDICATOR_FIELDS)
        .order_by("task__plan__subdistrict__name", "task__path", "order")
    )
    if theme:
        queryset = queryset.filter(task__theme=theme)
    if q:
        queryset = queryset.filter(
            Q(name__icontains=q) | Q(source_text__icontains=q) | Q(task__title__icontains=q)
        )
    return queryset
