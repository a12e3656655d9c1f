"""序时进度 and the traffic-light rule: the one place that decides whether a task or an
indicator is on track. Plain Python (no Django), so the boundaries are tested directly.

Expected progress (序时进度)
    The share of a period already elapsed, in percent: 0 on the first day, 100 on the last
    day and after. A task's period runs from its plan's start (1 January of the first year)
    to its due date, or to the plan's end (31 December of the last year) when it has none.

Task health
    1. 已完成 (done)           the task's status is 已完成.
    2. 滞后 (off_track)        the period is over and the task is not done (overdue), or
                               staff set the status to 滞后.
    3. 预警 (at_risk)          the status is 暂缓 (suspended: someone must decide).
    4. Otherwise the gap = expected - percent decides:
         gap ≤ 10 points      正常 (on_track), or 未开始 (not_started) while nothing has been
                              reported yet (status 未开始 and 0 %);
         gap ≤ 25 points      预警 (at_risk);
         gap > 25 points      滞后 (off_track).

Indicator health (latest actual A against target T with its comparator)
    Cumulative indicators (counts: 户, 家次, 个, 万元 …) grow over the period, so the target
    to date is T × expected share. Level indicators (rates: unit % or ‰, or 率 in the name)
    are held at all times, so the target to date is T itself.
    - No reading yet: 未开始 while the elapsed share is ≤ 10 %, then 预警 up to 25 %, then 滞后.
    - A ceiling (不超过/低于 T): above it 滞后; within 10 % of it 预警; else 正常; once the
      period is over and the ceiling held, 已完成.
    - A floor or an exact target (不少于/超过/等于 T): met → 已完成 for cumulative ones (and
      for level ones once the period is over; 正常 before). Not met after the period → 滞后.
      Otherwise, with A as a percentage of the target to date, the task gap rule applies
      (shortfall ≤ 10 points 正常, ≤ 25 预警, else 滞后).
    - An approximate target (约/左右 T, comparator "approx") is judged exactly as 等于 T:
      a plan that says "1200 个左右" is reached at 1200, and a tolerance below it would be a
      number no document gives, so any one we picked would be ours, not the plan's.

Forecast
    A least-squares line through the readings (for a cumulative indicator with one reading,
    through that reading and zero at the period start), evaluated at the period end.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from apps.plans.rules.vocabulary import CEILINGS, Comparator, Health, Status

# The gap rule's two thresholds, in percentage points (see the module docstring).
ON_TRACK_GAP = 10
AT_RISK_GAP = 25
CEILING_WARNING_SHARE = 0.9

LEVEL_UNITS = frozenset({"%", "％", "‰"})


def plan_period(year_start: int, year_end: int) -> tuple[dt.date, dt.date]:
    return dt.date(year_start, 1, 1), dt.date(year_end, 12, 31)


def task_period(
    year_start: int, year_end: int, due_date: dt.date | None
) -> tuple[dt.date, dt.date]:
    start, end = plan_period(year_start, year_end)
    if due_date is not None:
        # A due date before the plan year (a typo, or a carried-over task) still gives a
        # period of at least one day.
        end = max(due_date, start)
    return start, end


FUTURE_DATE_MESSAGE = "日期不能晚于今天"
OUTSIDE_PERIOD_MESSAGE = "日期须在计划期内（{start} 至 {end}）"


def reading_date_error(
    date: dt.date, *, year_start: int, year_end: int, today: dt.date
) -> str | None:
    """Why an indicator reading cannot carry `date`, or None: a reading is what was
    measured on a day of its plan's period, and not in the future. (A reading dated
    elsewhere would be left off the plan's chart while the page header showed it.)"""
    if date > today:
        return FUTURE_DATE_MESSAGE
    start, end = plan_period(year_start, year_end)
    if not start <= date <= end:
        return OUTSIDE_PERIOD_MESSAGE.format(start=start.isoformat(), end=end.isoformat())
    return None


DUE_DATE_YEARS_AROUND_PLAN = 5
DUE_DATE_MESSAGE = "截止日期须在 {start} 至 {end} 之间"
NOTE_MAX_LENGTH = 5000
NOTE_TOO_LONG_MESSAGE = f"进展情况最多 {NOTE_MAX_LENGTH} 字"


def due_date_error(date: dt.date, *, year_start: int, year_end: int) -> str | None:
    """Why a task cannot be due on `date`, or None: within a few years of its plan's period
    (a date such as 0001-01-01 is a typo, and it would stretch every chart's axis)."""
    start = dt.date(max(year_start - DUE_DATE_YEARS_AROUND_PLAN, 1), 1, 1)
    end = dt.date(min(year_end + DUE_DATE_YEARS_AROUND_PLAN, 9999), 12, 31)
    if not start <= date <= end:
        return DUE_DATE_MESSAGE.format(start=start.isoformat(), end=end.isoformat())
    return None


def reading_default_date(*, year_start: int, year_end: int, today: dt.date) -> dt.date:
    """The date a new reading form offers: today, or the nearest day of the plan period
    (the last day, for a plan of a past year)."""
    start, end = plan_period(year_start, year_end)
    return min(max(today, start), end)


def elapsed_share(start: dt.date, end: dt.date, today: dt.date) -> float:
    """0.0 before or on the first day, 1.0 on the last day and after."""
    if today >= end:
        return 1.0
    if today <= start:
        return 0.0
    return (today - start).days / (end - start).days


def expected_percent(start: dt.date, end: dt.date, today: dt.date) -> float:
    return round(100 * elapsed_share(start, end, today), 1)


def gap_health(gap: float) -> Health:
    """The light for a shortfall of `gap` percentage points behind where one should be."""
    if gap <= ON_TRACK_GAP:
        return Health.ON_TRACK
    if gap <= AT_RISK_GAP:
        return Health.AT_RISK
    return Health.OFF_TRACK


def task_health(
    *, status: str, percent: int, start: dt.date, end: dt.date, today: dt.date
) -> Health:
    """See the module docstring."""
    if status == Status.DONE:
        return Health.DONE
    if today > end or status == Status.DELAYED:
        return Health.OFF_TRACK
    if status == Status.SUSPENDED:
        return Health.AT_RISK
    gap = expected_percent(start, end, today) - percent
    health = gap_health(gap)
    if health == Health.ON_TRACK and status == Status.NOT_STARTED and percent == 0:
        return Health.NOT_STARTED
    return health


# A task's percent never reads 100 before every part of it is done.
PARENT_CAP = 99


def task_status(status: str, percent: int) -> str:
    """未开始 means nothing done yet: a task above 0 % is at least 推进中 (what a person
    typed otherwise stands)."""
    if status == Status.NOT_STARTED and percent > 0:
        return Status.IN_PROGRESS
    return status


def parent_progress(children: list[tuple[int, str]], status: str) -> tuple[int, str]:
    """The (percent, status) of a task with sub-tasks, from its direct children's
    (percent, status). The percent is their mean rounded half up (12.5 -> 13), at most 99
    until every child is done (100 % means finished). The status follows the children:
    已完成 when every child is, 未开始 while none has begun (all 未开始 at 0 %), else
    推进中, unless someone marked the section 滞后 or 暂缓, which stays until it is done."""
    mean = Decimal(sum(p for p, _s in children)) / Decimal(len(children))
    percent = int(mean.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if all(s == Status.DONE for _p, s in children):
        return percent, Status.DONE
    percent = min(percent, PARENT_CAP)
    if all(s == Status.NOT_STARTED and p == 0 for p, s in children):
        return percent, Status.NOT_STARTED
    if status in (Status.DELAYED, Status.SUSPENDED):
        return percent, status
    return percent, Status.IN_PROGRESS


def task_is_overdue(*, status: str, end: dt.date, today: dt.date) -> bool:
    return status != Status.DONE and today > end


# --- Indicators ------------------------------------------------------------------------


def indicator_is_level(unit: str, name: str) -> bool:
    """Rates are held at all times; everything else accumulates over the period."""
    return unit.strip() in LEVEL_UNITS or "率" in name


def target_met(actual: float, target: float, comparator: str) -> bool:
    if comparator == Comparator.LTE:
        return actual <= target
    if comparator == Comparator.LT:
        return actual < target
    if comparator == Comparator.GT:
        return actual > target
    # gte, eq and approx (judged as eq, see the module docstring): an exact target that is
    # exceeded ("完成23户", 25 done) is met too.
    return actual >= target


def indicator_expected(
    *, target: float, comparator: str, level: bool, start: dt.date, end: dt.date, today: dt.date
) -> float:
    """The value the indicator should have reached by `today` (序时目标)."""
    if level or comparator in CEILINGS:
        return target
    return target * elapsed_share(start, end, today)


def indicator_health(
    *,
    actual: float | None,
    target: float,
    comparator: str,
    level: bool,
    start: dt.date,
    end: dt.date,
    today: dt.date,
) -> Health:
    """See the module docstring."""
    share = elapsed_share(start, end, today)
    over = today > end
    if actual is None:
        return gap_health(100 * share) if share * 100 > ON_TRACK_GAP else Health.NOT_STARTED
    if comparator in CEILINGS:
        if not target_met(actual, target, comparator):
            return Health.OFF_TRACK
        if over:
            return Health.DONE
        if target > 0 and actual > CEILING_WARNING_SHARE * target:
            return Health.AT_RISK
        return Health.ON_TRACK
    if target_met(actual, target, comparator):
        return Health.DONE if (over or not level) else Health.ON_TRACK
    if over:
        return Health.OFF_TRACK
    expected = indicator_expected(
        target=target, comparator=comparator, level=level, start=start, end=end, today=today
    )
    if expected <= 0:
        return Health.ON_TRACK
    achieved = 100 * actual / expected
    return gap_health(100 - achieved)


@dataclass(frozen=True)
class Forecast:
    value: float
    on: dt.date
    met: bool


def indicator_forecast(
    *,
    readings: list[tuple[dt.date, float]],
    target: float,
    comparator: str,
    level: bool,
    start: dt.date,
    end: dt.date,
) -> Forecast | None:
    """The value expected at the period end from the trend of the readings, or None when
    there is no trend to speak of (no reading; one reading of a level indicator is its own
    forecast)."""
    if not readings:
        return None
    points = sorted(readings)
    if len(points) == 1:
        if level:
            value = points[0][1]
            return Forecast(value=value, on=end, met=target_met(value, target, comparator))
        if points[0][0] <= start:
            return None
        points = [(start, 0.0), *points]
    xs = [(d - start).days for d, _v in points]
    ys = [v for _d, v in points]
    n = len(xs)
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    spread = sum((x - mean_x) ** 2 for x in xs)
    if spread == 0:
        slope = 0.0
    else:
        slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread
    value = mean_y + slope * ((end - start).days - mean_x)
    if not level and value < ys[-1]:
        # A cumulative count does not go down.
        value = ys[-1]
    value = max(value, 0.0)
    return Forecast(value=round(value, 4), on=end, met=target_met(value, target, comparator))
