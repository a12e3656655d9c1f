"""The Word 工作推进情况通报 of a plan for the current month or quarter: what the offices
circulate. Its statuses are the roll-up's (rules/progress.py via `plan_rollup`: the
stored `Task.health`, `Indicator.health`, `PlanProgress`) and their words the vocabulary's,
so the 通报 says exactly what the plan page says; this module only writes sentences.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from apps.core.formatting import plain_number
from apps.plans.documents import Bulletin, Part, Subheading, Table, bulletin_docx
from apps.plans.models import Plan, PlanProgress, PlanReport
from apps.plans.rules import progress
from apps.plans.rules.vocabulary import HEALTH_LABELS, Health, label
from apps.plans.selectors import (
    plan_activity_between,
    plan_indicator_list,
    plan_latest_notes,
    plan_leaf_tasks_with_health,
    plan_progress_for,
)

CHINESE_DIGITS = "〇一二三四五六七八九十"
PART_NUMBERS = ("一", "二", "三", "四", "五")
INDICATOR_HEADER = ["序号", "指标", "目标", "最新实际值", "序时目标", "状态"]
INDICATOR_INTRO = (
    "各项量化指标的目标、最新实际值、序时目标（按时间进度应达到的数值）和进度状态如下表。"
)
NEXT_STEPS_PLACEHOLDER = "（此处由起草人填写下一步工作安排。）"
# A 通报 lists at most this many tasks of one light; a plan with more says how many more.
LIST_LIMIT = 200
SENTENCE_ENDS = ("。", "！", "？", "；", ".", "!", "?")


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def month_shift(day: dt.date, months: int) -> dt.date:
    """The first day of the month `months` after (negative: before) the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def period_bounds(period: str, today: dt.date) -> tuple[dt.date, dt.date, str]:
    """(first day, last day, name as in the title) of the month or quarter that `period`
    names, counted from `today`: this one or the one before."""
    if period in (PlanReport.Period.QUARTER, PlanReport.Period.PREVIOUS_QUARTER):
        start = month_shift(today, -((today.month - 1) % 3))
        if period == PlanReport.Period.PREVIOUS_QUARTER:
            start = month_shift(start, -3)
        end = month_shift(start, 3) - dt.timedelta(days=1)
        quarter = (start.month - 1) // 3 + 1
        return start, end, f"{start.year}年第{CHINESE_DIGITS[quarter]}季度"
    start = month_shift(today, -1 if period == PlanReport.Period.PREVIOUS_MONTH else 0)
    end = month_shift(start, 1) - dt.timedelta(days=1)
    return start, end, f"{start.year}年{start.month}月"


def overall_paragraphs(plan: Plan, numbers: PlanProgress, today: dt.date) -> list[str]:
    percent, expected = numbers.percent, numbers.expected_percent
    difference = percent - expected
    if difference > 0:
        against = f"快于序时进度{plain_number(difference)}个百分点"
    elif difference < 0:
        against = f"慢于序时进度{plain_number(-difference)}个百分点"
    else:
        against = "与序时进度持平"
    # The plan as a whole is judged by the rule that judges a task's gap.
    overall = label(HEALTH_LABELS, progress.gap_health(float(expected - percent)))
    counts = "，".join(
        f"{text}{numbers.health_counts.get(code, 0)}项" for code, text in HEALTH_LABELS.items()
    )
    indicator_counts = "，".join(
        f"{text}{numbers.indicator_health_counts.get(code, 0)}项"
        for code, text in HEALTH_LABELS.items()
    )
    return [
        f"截至{chinese_date(today)}，《{plan.title}》共有任务{numbers.leaf_total}项，"
        f"整体完成度{plain_number(percent)}%，序时进度{plain_number(expected)}%，"
        f"{against}，总体进度{overall}。",
        f"从进度状态看，{counts}；其中已逾期{numbers.overdue_count}项。",
        f"计划共有量化指标{numbers.indicator_total}项：{indicator_counts}。",
    ]


def task_lines(plan: Plan, health: Health, notes: dict) -> tuple[list[str], list]:
    tasks = plan_leaf_tasks_with_health(plan, health)
    lines = []
    for n, task in enumerate(tasks[:LIST_LIMIT], start=1):
        facts = [f"牵头：{task.lead_label or '未明确'}"]
        if task.responsible_person:
            facts.append(f"责任人：{task.responsible_person}")
        due = f"，截止{chinese_date(task.due_date)}" if task.due_date else ""
        facts.append(f"完成{task.percent}%{due}{'，已逾期' if task.is_overdue else ''}")
        if task.pk in notes:
            note, when = notes[task.pk]
            ending = "" if note.endswith(SENTENCE_ENDS) else "。"
            latest = f"最新进展（{chinese_date(timezone.localtime(when).date())}）：{note}{ending}"
        else:
            latest = "尚未报送进展。"
        where = f"{task.parent.number if task.parent else ''}{task.number}".rstrip(".．、")
        lines.append(f"{n}. {task.title}（{where}）。{'；'.join(facts)}。{latest}")
    if len(tasks) > LIST_LIMIT:
        lines.append(f"另有{len(tasks) - LIST_LIMIT}项，详见系统任务列表。")
    return lines, tasks


def indicator_table(plan: Plan) -> Table:
    rows = []
    for n, indicator in enumerate(plan_indicator_list(plan), start=1):
        unit = indicator.unit

        def value(v, unit=unit):
            return "—" if v is None else f"{plain_number(v)}{unit}"

        rows.append(
            [
                str(n),
                indicator.name,
                f"{indicator.get_comparator_display()}{plain_number(indicator.target_value)}{unit}",
                "未填报" if indicator.latest_value is None else value(indicator.latest_value),
                value(indicator.expected_value),
                label(HEALTH_LABELS, indicator.health),
            ]
        )
    return Table(header=INDICATOR_HEADER, rows=rows)


def plan_bulletin(plan: Plan, *, period: str, today: dt.date) -> Bulletin:
    """The 通报's text for the month or quarter of `today`."""
    unit = plan.subdistrict.name
    start, end, period_name = period_bounds(period, today)
    end = min(end, today)
    numbers = plan_progress_for(plan)
    activity = plan_activity_between(plan, start, end)
    notes = plan_latest_notes(plan)
    overall = overall_paragraphs(plan, numbers, today)
    overall.append(
        f"{chinese_date(start)}至{chinese_date(end)}，共有{activity['tasks']}项任务"
        f"报送进展{activity['updates']}条，填报指标数据{activity['readings']}次。"
    )
    attention: list = []
    late_departments: list[str] = []
    for number, health in (("一", Health.OFF_TRACK), ("二", Health.AT_RISK)):
        lines, tasks = task_lines(plan, health, notes)
        word = label(HEALTH_LABELS, health)
        attention.append(Subheading(f"（{number}）{word}任务（{len(tasks)}项）"))
        attention += lines or [f"目前没有{word}的任务。"]
        for task in tasks:
            if task.lead_label and task.lead_label not in late_departments:
                late_departments.append(task.lead_label)
    late, at_risk = label(HEALTH_LABELS, Health.OFF_TRACK), label(HEALTH_LABELS, Health.AT_RISK)
    next_steps = []
    if late_departments:
        next_steps.append(
            f"请{'、'.join(late_departments)}等牵头单位对照上述{late}、{at_risk}任务，"
            "分析原因，明确整改措施和完成时限，并在系统中及时报送进展。"
        )
    next_steps.append(NEXT_STEPS_PLACEHOLDER)
    headings = ["总体进展", f"{late}和{at_risk}任务", "指标完成情况", "下一步工作"]
    blocks = [
        overall,
        attention,
        [INDICATOR_INTRO, indicator_table(plan)],
        next_steps,
    ]
    return Bulletin(
        title=f"{unit}{period_name}工作推进情况通报",
        issuer=unit,
        date_text=chinese_date(today),
        opening=f"按照《{plan.title}》的工作安排，现将{period_name}各项工作推进情况通报如下。",
        parts=[
            Part(f"{PART_NUMBERS[i]}、{heading}", part_blocks)
            for i, (heading, part_blocks) in enumerate(zip(headings, blocks, strict=True))
        ],
        signature=unit,
    )


def plan_bulletin_docx(plan: Plan, *, period: str, today: dt.date) -> bytes:
    return bulletin_docx(plan_bulletin(plan, period=period, today=today))
