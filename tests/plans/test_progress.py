"""The traffic-light rule at its boundaries. Pure functions: no database.

Most periods here are 100 or 200 days long, so that one day is exactly 1 % or 0.5 % of the
period and the gaps land exactly on the thresholds (10 and 25 points).
"""

import datetime as dt

import pytest

from apps.plans.rules.progress import (
    Health,
    expected_percent,
    indicator_expected,
    indicator_forecast,
    indicator_health,
    indicator_is_level,
    parent_progress,
    task_health,
    task_is_overdue,
    task_period,
    task_status,
)

START = dt.date(2025, 1, 1)
END_100 = START + dt.timedelta(days=100)
END_200 = START + dt.timedelta(days=200)


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


def health_of_task(*, status="in_progress", percent=0, today, end=END_100):
    return task_health(status=status, percent=percent, start=START, end=end, today=today)


def health_of_indicator(actual, target, comparator="gte", *, level=False, today, end=END_100):
    return indicator_health(
        actual=actual,
        target=target,
        comparator=comparator,
        level=level,
        start=START,
        end=end,
        today=today,
    )


# --- Expected progress (序时进度) ---------------------------------------------------------


def test_it_expects_nothing_on_the_first_day():
    assert expected_percent(START, END_100, START) == 0


def test_it_expects_nothing_before_the_period_starts():
    assert expected_percent(START, END_100, day(-30)) == 0


def test_it_expects_everything_on_the_last_day_and_after():
    assert expected_percent(START, END_100, END_100) == 100
    assert expected_percent(START, END_100, day(130)) == 100


def test_it_expects_the_elapsed_share_in_the_middle():
    assert expected_percent(START, END_100, day(37)) == 37
    assert expected_percent(START, END_200, day(101)) == 50.5


def test_it_expects_the_elapsed_share_of_a_calendar_year_to_one_decimal():
    # 2023-07-01 is day 181 of a 364-day span: 49.725… %
    assert expected_percent(dt.date(2023, 1, 1), dt.date(2023, 12, 31), dt.date(2023, 7, 1)) == 49.7


def test_it_runs_a_task_without_a_due_date_to_the_end_of_the_plan():
    assert task_period(2023, 2025, None) == (dt.date(2023, 1, 1), dt.date(2025, 12, 31))


def test_it_gives_a_due_date_before_the_plan_year_a_period_of_at_least_one_day():
    assert task_period(2024, 2024, dt.date(2023, 6, 30)) == (
        dt.date(2024, 1, 1),
        dt.date(2024, 1, 1),
    )


# --- Task health ------------------------------------------------------------------------


def test_it_calls_a_task_on_track_at_a_gap_of_exactly_10_points():
    assert health_of_task(percent=40, today=day(50)) == Health.ON_TRACK


def test_it_calls_a_task_at_risk_just_past_a_gap_of_10_points():
    # Expected 50.5 %, reported 40 %: a gap of 10.5.
    assert health_of_task(percent=40, today=day(101), end=END_200) == Health.AT_RISK


def test_it_calls_a_task_at_risk_at_a_gap_of_exactly_25_points():
    assert health_of_task(percent=25, today=day(50)) == Health.AT_RISK


def test_it_calls_a_task_off_track_just_past_a_gap_of_25_points():
    # Expected 50.5 %, reported 25 %: a gap of 25.5.
    assert health_of_task(percent=25, today=day(101), end=END_200) == Health.OFF_TRACK


def test_it_calls_a_task_ahead_of_schedule_on_track():
    assert health_of_task(percent=90, today=day(50)) == Health.ON_TRACK


def test_it_calls_a_done_task_done_even_after_its_due_date():
    assert health_of_task(status="done", percent=100, today=day(150)) == Health.DONE


def test_it_calls_a_task_marked_delayed_off_track_whatever_its_percent():
    assert health_of_task(status="delayed", percent=90, today=day(10)) == Health.OFF_TRACK


def test_it_calls_a_suspended_task_at_risk_whatever_its_percent():
    assert health_of_task(status="suspended", percent=90, today=day(10)) == Health.AT_RISK


def test_it_calls_a_task_off_track_the_day_after_its_period_ends():
    assert health_of_task(percent=95, today=day(101)) == Health.OFF_TRACK


def test_it_calls_a_task_on_track_on_its_last_day_within_the_gap():
    assert health_of_task(percent=95, today=END_100) == Health.ON_TRACK


def test_it_calls_a_task_not_started_while_nothing_was_reported_and_it_is_early():
    assert health_of_task(status="not_started", percent=0, today=day(10)) == Health.NOT_STARTED


def test_it_calls_a_started_task_at_zero_percent_on_track_when_it_is_early():
    assert health_of_task(status="in_progress", percent=0, today=day(10)) == Health.ON_TRACK


def test_it_calls_an_unstarted_task_at_risk_once_the_gap_passes_10_points():
    assert health_of_task(status="not_started", percent=0, today=day(11)) == Health.AT_RISK


def test_it_flags_a_task_overdue_only_after_its_last_day_and_never_when_done():
    assert not task_is_overdue(status="in_progress", end=END_100, today=END_100)
    assert task_is_overdue(status="in_progress", end=END_100, today=day(101))
    assert not task_is_overdue(status="done", end=END_100, today=day(101))


# --- Indicator health -------------------------------------------------------------------


def test_it_treats_percent_units_and_rates_as_levels_and_counts_as_cumulative():
    assert indicator_is_level("%", "垃圾分类达标率")
    assert indicator_is_level(" ％ ", "覆盖面")
    assert indicator_is_level("", "就业困难人员就业率")
    assert not indicator_is_level("家次", "走访企业")
    assert not indicator_is_level("万元", "税收")


def test_it_ramps_a_cumulative_target_with_the_elapsed_period():
    expected = indicator_expected(
        target=200, comparator="gte", level=False, start=START, end=END_100, today=day(25)
    )
    assert expected == 50


def test_it_holds_a_level_target_and_a_ceiling_at_all_times():
    common = {"start": START, "end": END_100, "today": day(25)}
    assert indicator_expected(target=95, comparator="gte", level=True, **common) == 95
    assert indicator_expected(target=100, comparator="lte", level=False, **common) == 100


@pytest.mark.parametrize(
    ("actual", "health"),
    [
        (90, Health.ON_TRACK),  # 90 % of the 100 due by day 50: shortfall 10
        (89, Health.AT_RISK),
        (75, Health.AT_RISK),  # shortfall 25
        (74, Health.OFF_TRACK),
    ],
)
def test_it_compares_a_cumulative_indicator_with_its_target_to_date(actual, health):
    assert health_of_indicator(actual, 200, today=day(50)) == health


def test_it_calls_a_cumulative_indicator_done_as_soon_as_the_target_is_met():
    assert health_of_indicator(200, 200, today=day(50)) == Health.DONE


def test_it_calls_an_exact_target_that_was_exceeded_done():
    assert health_of_indicator(25, 23, "eq", today=day(50)) == Health.DONE


@pytest.mark.parametrize(
    ("actual", "level", "today"),
    [
        (None, False, 5),  # no reading, early
        (None, False, 30),  # no reading, late
        (1200, False, 50),  # reached
        (1300, False, 50),  # exceeded
        (500, False, 50),  # a shortfall within the gap
        (300, False, 50),  # a shortfall past it
        (1150, False, 101),  # short after the period
        (1200, True, 50),  # a level target held
        (1100, True, 50),  # a level target not held
    ],
)
def test_it_judges_an_approximate_target_as_an_exact_one(actual, level, today):
    approx = health_of_indicator(actual, 1200, "approx", level=level, today=day(today))

    assert approx == health_of_indicator(actual, 1200, "eq", level=level, today=day(today))


def test_it_expects_and_forecasts_an_approximate_target_as_an_exact_one():
    def expected(comparator):
        return indicator_expected(
            target=1200, comparator=comparator, level=False, start=START, end=END_100, today=day(50)
        )

    assert expected("approx") == expected("eq") == 600
    assert forecast([(50, 600)], target=1200, comparator="approx").met
    assert not forecast([(50, 590)], target=1200, comparator="approx").met


def test_it_does_not_count_reaching_a_gt_target_as_meeting_it():
    assert health_of_indicator(200, 200, "gt", today=day(101)) == Health.OFF_TRACK


def test_it_calls_a_cumulative_indicator_short_of_target_after_the_period_off_track():
    assert health_of_indicator(199, 200, today=day(101)) == Health.OFF_TRACK


def test_it_keeps_a_level_indicator_that_meets_its_target_on_track_until_the_period_ends():
    assert health_of_indicator(96, 95, level=True, today=day(50)) == Health.ON_TRACK
    assert health_of_indicator(96, 95, level=True, today=day(101)) == Health.DONE


@pytest.mark.parametrize(
    ("actual", "health"),
    [
        (86, Health.ON_TRACK),  # 90.5 % of 95 at once, not of a ramp
        (80, Health.AT_RISK),  # 84.2 %
        (70, Health.OFF_TRACK),  # 73.7 %
    ],
)
def test_it_compares_a_level_indicator_with_its_full_target_from_the_start(actual, health):
    assert health_of_indicator(actual, 95, level=True, today=day(5)) == health


@pytest.mark.parametrize(
    ("actual", "health"),
    [
        (80, Health.ON_TRACK),
        (90, Health.ON_TRACK),  # exactly 90 % of the ceiling
        (91, Health.AT_RISK),
        (100, Health.AT_RISK),  # at the ceiling: still held
        (101, Health.OFF_TRACK),
    ],
)
def test_it_warns_when_a_ceiling_is_within_10_percent_and_fails_it_when_exceeded(actual, health):
    assert health_of_indicator(actual, 100, "lte", today=day(50)) == health


def test_it_fails_a_strict_ceiling_that_is_reached():
    assert health_of_indicator(100, 100, "lt", today=day(50)) == Health.OFF_TRACK


def test_it_calls_a_ceiling_held_over_the_whole_period_done():
    assert health_of_indicator(95, 100, "lte", today=day(101)) == Health.DONE
    assert health_of_indicator(120, 100, "lte", today=day(101)) == Health.OFF_TRACK


@pytest.mark.parametrize(
    ("elapsed_days", "health"),
    [
        (10, Health.NOT_STARTED),
        (11, Health.AT_RISK),
        (25, Health.AT_RISK),
        (26, Health.OFF_TRACK),
    ],
)
def test_it_judges_an_indicator_without_readings_by_the_elapsed_share(elapsed_days, health):
    assert health_of_indicator(None, 200, today=day(elapsed_days)) == health


# --- Forecast ---------------------------------------------------------------------------


def forecast(readings, target=200, comparator="gte", *, level=False):
    return indicator_forecast(
        readings=[(day(d), v) for d, v in readings],
        target=target,
        comparator=comparator,
        level=level,
        start=START,
        end=END_100,
    )


def test_it_forecasts_along_the_least_squares_line_through_the_readings():
    # Slope 1 through the mean (20, 23.33): 23.33 + 80 at day 100.
    result = forecast([(10, 10), (20, 30), (30, 30)], target=100)

    assert result.value == 103.3333
    assert result.on == END_100
    assert result.met


def test_it_forecasts_one_cumulative_reading_from_zero_at_the_start():
    result = forecast([(25, 50)])

    assert result.value == 200
    assert result.met


def test_it_says_a_forecast_misses_a_target_the_trend_does_not_reach():
    assert not forecast([(50, 60)]).met


def test_it_makes_no_forecast_without_readings_or_from_one_reading_on_the_first_day():
    assert forecast([]) is None
    assert forecast([(0, 50)]) is None


def test_it_never_forecasts_a_cumulative_count_below_its_last_reading():
    # The trend points down (a correction after an over-count); the count stays at 50.
    assert forecast([(10, 100), (20, 40), (30, 50)]).value == 50


def test_it_takes_a_single_level_reading_as_its_own_forecast():
    result = forecast([(40, 96)], target=95, level=True)

    assert result.value == 96
    assert result.met


def test_it_lets_a_level_forecast_fall_but_not_below_zero():
    assert forecast([(10, 90), (20, 80)], target=95, level=True).value == 0
    assert forecast([(10, 90), (20, 88)], target=95, level=True).value == 72


def test_it_forecasts_a_ceiling_against_its_limit():
    # 30 complaints by day 30: a steady pace gives 100 by the end, within 不超过 120.
    assert forecast([(30, 30)], target=120, comparator="lte").met
    assert not forecast([(30, 30)], target=90, comparator="lte").met


# --- A parent follows its children --------------------------------------------------------


def test_a_parent_stays_at_99_until_its_last_child_is_done():
    # (100 + 99) / 2 = 99.5 rounds to 100, which would read as finished.
    assert parent_progress([(100, "done"), (99, "in_progress")], "in_progress") == (
        99,
        "in_progress",
    )
    # A child at 100 % that nobody has marked 已完成 is not done either.
    assert parent_progress([(100, "done"), (100, "in_progress")], "in_progress")[0] == 99
    assert parent_progress([(100, "done"), (100, "done")], "in_progress") == (100, "done")


@pytest.mark.parametrize("typed", ["not_started", "in_progress", "done"])
def test_a_parent_above_0_percent_is_never_not_started(typed):
    percent, status = parent_progress([(97, "in_progress"), (96, "in_progress")], typed)

    assert (percent, status) == (97, "in_progress")


def test_a_parent_is_not_started_while_none_of_its_children_has_begun():
    assert parent_progress([(0, "not_started"), (0, "not_started")], "in_progress") == (
        0,
        "not_started",
    )


@pytest.mark.parametrize("flag", ["delayed", "suspended"])
def test_a_section_someone_marked_late_or_suspended_keeps_the_mark_until_done(flag):
    assert parent_progress([(40, "in_progress"), (0, "not_started")], flag) == (20, flag)
    assert parent_progress([(100, "done")], flag) == (100, "done")


def test_a_task_above_0_percent_is_at_least_in_progress():
    assert task_status("not_started", 5) == "in_progress"
    assert task_status("not_started", 0) == "not_started"
    assert task_status("delayed", 5) == "delayed"
