"""Every page tells the same truth: the numbers a leader reads on one page are the numbers
the next page shows, because each comes from one rule (apps/plans/rules/)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.importer.services import document_import
from apps.plans.models import Indicator, Task
from apps.plans.rules.urgency import URGENT_DAYS
from apps.plans.services import plan_rollup
from apps.plans.services.reports import plan_report_rows
from apps.supervision.services import current_tasks
from tests.factories import (
    IndicatorFactory,
    IndicatorReadingFactory,
    PlanFactory,
    TaskFactory,
    UserFactory,
    update_task,
)

pytestmark = pytest.mark.django_db

MID_YEAR = dt.date(2026, 6, 30)


def _mixed_plan(subdistrict, *, title, year=2026, today=MID_YEAR):
    """A plan whose typed statuses and computed traffic lights differ: one task typed
    滞后, but three red (behind the 序时 line, past its due date, typed 滞后) and one
    yellow."""
    plan = PlanFactory(subdistrict=subdistrict, title=title, year_start=year)
    section = TaskFactory(plan=plan, title="板块")
    rows = [
        ("in_progress", 10, None),  # far behind the 序时 line: red
        ("not_started", 0, dt.date(year, 3, 1)),  # past its due date: red
        ("delayed", 60, None),  # typed 滞后: red
        ("in_progress", 35, None),  # 15 points behind: yellow
        ("done", 100, None),
        ("in_progress", 55, None),  # on track
    ]
    for status, percent, due in rows:
        TaskFactory(plan=plan, parent=section, status=status, percent=percent, due_date=due)
    plan_rollup(plan_id=plan.pk, today=today)
    return plan


def _overview_row(client, year, name):
    response = client.get(reverse("dashboard:overview"), {"year": year})
    return next(r for r in response.context["rows"] if r.name == name)


def _plan_page_counts(client, plan):
    response = client.get(reverse("dashboard:plan_detail", args=[plan.pk]))
    return {code: n for code, _label, n in response.context["health_rows"]}


def test_the_overviews_late_and_at_risk_counts_equal_the_plan_pages_for_the_year(
    client, dora, subdistrict_a
):
    plans = [
        _mixed_plan(subdistrict_a, title="江浦路街道2026年工作要点"),
        _mixed_plan(subdistrict_a, title="江浦路街道2026年专项行动"),
    ]
    client.force_login(dora)

    row = _overview_row(client, 2026, subdistrict_a.name)
    pages = [_plan_page_counts(client, plan) for plan in plans]

    for code in ("off_track", "at_risk", "on_track", "done"):
        assert row.health(code) == sum(page[code] for page in pages), code
    assert row.health("off_track") == 6  # not the 2 tasks typed 滞后
    figure = client.get(reverse("dashboard:overview"), {"year": 2026}).context["health_figure"]
    late = next(trace for trace in figure["data"] if trace["name"] == "滞后")
    assert late["x"] == [6]


def test_the_overview_table_has_the_traffic_light_columns_of_the_plan_page(
    client, dora, subdistrict_a
):
    _mixed_plan(subdistrict_a, title="江浦路街道2026年工作要点")
    client.force_login(dora)

    page = client.get(reverse("dashboard:overview"), {"year": 2026}).content.decode()

    for heading in ("已完成", "正常", "预警", "滞后", "未开始", "逾期"):
        assert f">{heading}</a></th>" in page
    assert ">推进中</a></th>" not in page
    assert Task.objects.filter(status="delayed").count() == 1


# --- 已逾期 -------------------------------------------------------------------------------


def test_the_overdue_filter_lists_exactly_the_tasks_the_dashboards_count_as_overdue(
    client, dora, subdistrict_a
):
    """Last year's plan is over: an unfinished task without a due date is overdue too."""
    today = timezone.localdate()
    plan = PlanFactory(subdistrict=subdistrict_a, year_start=today.year - 1)
    section = TaskFactory(plan=plan, title="板块")
    TaskFactory(plan=plan, parent=section, title="没有期限，未完成")
    TaskFactory(plan=plan, parent=section, title="过了期限", due_date=dt.date(today.year - 1, 5, 1))
    TaskFactory(plan=plan, parent=section, title="已完成", status="done", percent=100)
    plan_rollup(plan_id=plan.pk)
    client.force_login(dora)

    listed = client.get(reverse("plans:task_list"), {"overdue": "on"}).context["table"]
    overview = _overview_row(client, today.year - 1, subdistrict_a.name)
    plan_page = client.get(reverse("dashboard:plan_detail", args=[plan.pk]))

    assert len(listed.rows) == overview.overdue_count == 2
    assert plan_page.context["plan_progress"].overdue_count == 2
    assert {row.record.title for row in listed.rows} == {"没有期限，未完成", "过了期限"}


# --- N 天未更新 -----------------------------------------------------------------------------


def test_the_not_updated_filter_and_the_reminders_pick_the_same_tasks(client, bob, subdistrict_a):
    """A parent's recompute or an admin edit touches a row without anyone reporting, so
    neither the filter nor the reminders go by it; both go by the last real update."""
    now = timezone.now()
    plan = PlanFactory(subdistrict=subdistrict_a, year_start=timezone.localdate().year)
    long_ago = now - dt.timedelta(days=60)
    touched = TaskFactory(plan=plan, title="后台改过，但久未填报", status="in_progress")
    reported = TaskFactory(plan=plan, title="上周填报过", status="in_progress")
    never = TaskFactory(plan=plan, title="导入后从未填报")
    Task.objects.filter(pk=touched.pk).update(last_update_at=now - dt.timedelta(days=20))
    Task.objects.filter(pk=reported.pk).update(last_update_at=now - dt.timedelta(days=7))
    Task.objects.filter(plan=plan).update(created_at=long_ago)
    Task.objects.filter(pk=touched.pk).update(updated_at=now)  # an admin edit today
    client.force_login(bob)

    listed = client.get(reverse("plans:task_list"), {"stale_days": URGENT_DAYS})
    reminded = [t for t in current_tasks(now=now) if t.is_stale]

    titles = {row.record.title for row in listed.context["table"].rows}
    assert titles == {t.title for t in reminded} == {touched.title, never.title}
    assert reported.title not in titles


def test_the_last_update_column_shows_the_last_real_update_not_the_row_timestamp(
    client, bob, subdistrict_a
):
    plan = PlanFactory(subdistrict=subdistrict_a, year_start=timezone.localdate().year)
    reported = TaskFactory(plan=plan, title="填报过")
    when = timezone.make_aware(dt.datetime(2026, 3, 2, 9, 30))
    Task.objects.filter(pk=reported.pk).update(last_update_at=when)
    client.force_login(bob)

    table = client.get(reverse("plans:task_list")).context["table"]
    row = next(r for r in table.rows if r.record.pk == reported.pk)

    assert table.columns["last_update_at"].header == "最近更新"
    assert row.get_cell("last_update_at") == "2026-03-02 09:30"


# --- A parent's status --------------------------------------------------------------------


def test_a_section_at_97_percent_reads_in_progress_on_its_page_and_in_the_report(
    client, alice, plan_a, department_a
):
    section = TaskFactory(plan=plan_a, title="优化营商环境")
    first = TaskFactory(plan=plan_a, parent=section, lead_department=department_a)
    second = TaskFactory(plan=plan_a, parent=section, lead_department=department_a)
    update_task(first, alice, status="done", percent=100)
    update_task(second, alice, status="not_started", percent=94)  # typed, but begun

    section.refresh_from_db()
    second.refresh_from_db()
    assert (section.percent, section.status) == (97, "in_progress")
    assert second.status == "in_progress"
    rows = {row.title: row.progress for row in plan_report_rows(plan_a)}
    assert rows["优化营商环境"].startswith("推进中，完成97%")
    client.force_login(alice)
    page = client.get(reverse("plans:task_detail", args=[section.pk])).content.decode()
    meta = page.split('<p class="task-meta">', 1)[1].split("</p>", 1)[0]
    assert "推进中" in meta and "完成 97%" in meta


# --- 工作回顾 ------------------------------------------------------------------------------


def _plan_with_indicator(subdistrict, *, title, is_review, tasks=3):
    plan = PlanFactory(subdistrict=subdistrict, title=title, year_start=2024, is_review=is_review)
    section = TaskFactory(plan=plan, title="民生服务", theme="livelihood")
    for _n in range(tasks):
        leaf = TaskFactory(
            plan=plan, parent=section, theme="livelihood", status="done", percent=100
        )
    indicator = IndicatorFactory(task=leaf, name="新增养老床位", target_value=117, unit="张")
    IndicatorReadingFactory(indicator=indicator, date=dt.date(2024, 12, 31), value=117)
    plan_rollup(plan_id=plan.pk, today=dt.date(2025, 3, 1))
    return plan, indicator


def test_a_look_back_is_shown_beside_the_years_plans_not_inside_them(client, dora, subdistrict_b):
    _plan_with_indicator(subdistrict_b, title="塘桥街道2024年工作要点", is_review=False)
    review, _indicator = _plan_with_indicator(
        subdistrict_b, title="塘桥街道2024年工作回顾", is_review=True, tasks=5
    )
    client.force_login(dora)

    overview = client.get(reverse("dashboard:overview"), {"year": 2024})
    row = next(r for r in overview.context["rows"] if r.name == subdistrict_b.name)
    assert (row.plan_count, row.review_count) == (1, 1)
    assert (row.leaf_total, row.indicator_total) == (3, 1)
    assert ">工作回顾</a></th>" in overview.content.decode()

    themes = client.get(reverse("dashboard:theme_comparison"), {"year": 2024})
    matrix = themes.context["matrix"]
    column = [code for code, _label in matrix.themes].index("livelihood")
    assert matrix.counts[matrix.subdistricts.index(subdistrict_b.name)][column] == 3
    assert review.pk not in {r.record.task.plan_id for r in themes.context["table"].rows}


def test_a_look_back_shows_no_expected_target_or_forecast(client, dora, subdistrict_b):
    review, indicator = _plan_with_indicator(
        subdistrict_b, title="塘桥街道2024年工作回顾", is_review=True
    )
    indicator.refresh_from_db()
    client.force_login(dora)

    assert (indicator.expected_value, indicator.forecast_value) == (None, None)
    page = client.get(reverse("dashboard:indicator_detail", args=[indicator.pk]))
    assert [t["name"] for t in page.context["figure"]["data"]] == [
        "目标值（不少于117张）",
        "实际值",
    ]
    assert "<dt>序时目标</dt>" not in page.content.decode()
    plan_page = client.get(reverse("dashboard:plan_detail", args=[review.pk])).content.decode()
    assert "<dt>序时进度</dt>" not in plan_page and "预测期末值" not in plan_page
    subdistrict_page = client.get(reverse("dashboard:subdistrict_detail", args=[subdistrict_b.pk]))
    assert "回顾</small>" in subdistrict_page.content.decode()


# --- Indicator readings -------------------------------------------------------------------


def test_a_reading_outside_the_plan_period_is_refused_with_the_period_named(client, alice, task_a):
    indicator = task_a.indicators.get()
    client.force_login(alice)
    page = client.get(reverse("plans:task_detail", args=[task_a.pk]))
    form = page.context["form"]
    date_field = form[f"indicator_{indicator.pk}_date"]

    # A 2023 plan read in a later year offers its last day, not today.
    assert date_field.value() == dt.date(2023, 12, 31)
    assert "日期须在 2023-01-01 至 2023-12-31 之间" in page.content.decode()

    response = client.post(
        reverse("plans:task_detail", args=[task_a.pk]),
        {
            "version": task_a.version,
            "status": "in_progress",
            "percent": 50,
            "due_date": "",
            "lead_department": task_a.lead_department_id,
            "responsible_person": "",
            "note": "",
            f"indicator_{indicator.pk}_value": "120",
            f"indicator_{indicator.pk}_date": "2024-01-15",
        },
    )

    assert response.status_code == 200
    assert "日期须在计划期内（2023-01-01 至 2023-12-31）" in response.content.decode()
    assert not indicator.readings.exists()
    with pytest.raises(ValidationError, match="日期须在计划期内"):
        update_task(task_a, alice, readings=[(indicator.pk, dt.date(2022, 12, 31), Decimal(1))])


def test_every_accepted_reading_is_on_the_chart_with_its_note(client, alice, task_a):
    indicator = task_a.indicators.get()
    Task.objects.filter(pk=task_a.pk).update(due_date=dt.date(2023, 6, 30))
    update_task(task_a, alice, readings=[(indicator.pk, dt.date(2023, 3, 31), Decimal(50))])
    # Reported after the task's due date, still in the plan's year, with a note.
    IndicatorReadingFactory(
        indicator=indicator, date=dt.date(2023, 9, 30), value=210, note="年中执行情况表"
    )
    plan_rollup(plan_id=task_a.plan_id, today=dt.date(2023, 10, 1))
    client.force_login(alice)

    page = client.get(reverse("dashboard:indicator_detail", args=[indicator.pk]))

    actual = next(t for t in page.context["figure"]["data"] if t["name"] == "实际值")
    assert [str(d)[:10] for d in actual["x"]] == ["2023-03-31", "2023-09-30"]
    assert [row[0] for row in actual["customdata"]] == ["—", "年中执行情况表"]
    start, end = page.context["figure"]["layout"]["xaxis"]["range"]
    assert str(start)[:10] <= "2023-03-31" and str(end)[:10] >= "2023-09-30"
    assert "年中执行情况表" in page.content.decode()


# --- 超过 and 低于 ------------------------------------------------------------------------


@pytest.mark.needs_parser
def test_more_than_and_below_are_gt_and_lt_from_the_document_to_every_page(
    client, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    document = tmp_path / "江浦路街道2026年工作要点.txt"
    document.write_text(
        "江浦路街道2026年工作要点\n一、平安建设\n"
        "全年开展安全生产检查超过100家次，城镇登记失业率低于4%，新增就业岗位大于1200个。\n",
        encoding="utf-8",
    )
    document_import(path=document)
    indicators = {i.name: i for i in Indicator.objects.select_related("task__plan")}
    root = UserFactory(username="root", is_superuser=True)
    client.force_login(root)

    assert {name: i.comparator for name, i in indicators.items()} == {
        "安全生产检查": "gt",
        "城镇登记失业率": "lt",
        "新增就业岗位": "gt",
    }
    checks, jobless = indicators["安全生产检查"], indicators["城镇登记失业率"]
    assert (str(checks), str(jobless)) == ("安全生产检查超过100家次", "城镇登记失业率低于4%")
    task_page = client.get(reverse("plans:task_detail", args=[checks.task_id])).content.decode()
    assert "超过 100家次" in task_page and "低于 4%" in task_page
    chart = client.get(reverse("dashboard:indicator_detail", args=[checks.pk])).context["figure"]
    assert chart["data"][0]["name"] == "目标值（超过100家次）"
    plan = checks.task.plan
    report = {r.title: r.indicators for r in plan_report_rows(plan)}["平安建设"]
    assert "目标超过100家次" in report and "目标低于4%" in report
    themes = client.get(reverse("dashboard:theme_comparison"), {"year": 2026, "theme": ""})
    targets = [row.get_cell("target") for row in themes.context["table"].rows]
    assert "超过100家次" in targets and "低于4%" in targets
