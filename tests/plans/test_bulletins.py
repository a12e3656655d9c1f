"""The Word 通报's period and sentences (the demo's whole 通报 is checked in
tests/demo/test_current_plan.py)."""

import datetime as dt
import io

import pytest
from docx import Document

from apps.plans.models import PlanReport
from apps.plans.services import plan_rollup
from apps.plans.services.bulletins import period_bounds, plan_bulletin_docx
from tests.factories import TaskUpdateFactory

Period = PlanReport.Period


@pytest.mark.parametrize(
    ("period", "today", "bounds"),
    [
        (Period.MONTH, dt.date(2026, 12, 2), ("2026-12-01", "2026-12-31", "2026年12月")),
        (Period.PREVIOUS_MONTH, dt.date(2026, 1, 5), ("2025-12-01", "2025-12-31", "2025年12月")),
        (Period.PREVIOUS_MONTH, dt.date(2026, 3, 31), ("2026-02-01", "2026-02-28", "2026年2月")),
        (Period.QUARTER, dt.date(2026, 5, 15), ("2026-04-01", "2026-06-30", "2026年第二季度")),
        (Period.QUARTER, dt.date(2026, 12, 31), ("2026-10-01", "2026-12-31", "2026年第四季度")),
        (
            Period.PREVIOUS_QUARTER,
            dt.date(2026, 1, 5),
            ("2025-10-01", "2025-12-31", "2025年第四季度"),
        ),
    ],
)
def test_a_bulletin_covers_this_or_the_previous_month_or_quarter(period, today, bounds):
    start, end, name = period_bounds(period, today)
    assert (start.isoformat(), end.isoformat(), name) == bounds


@pytest.mark.django_db
def test_the_bulletin_counts_the_updates_of_its_period_and_compares_with_the_expected(
    plan_a, task_a
):
    TaskUpdateFactory(task=task_a, note="十一月的进展")
    task_a.updates.update(created_at=dt.datetime(2023, 11, 20, 10, tzinfo=dt.UTC))
    task_a.percent, task_a.status = 20, "in_progress"
    task_a.save()
    plan_rollup(plan_id=plan_a.pk, today=dt.date(2023, 12, 5))

    content = plan_bulletin_docx(plan_a, period=Period.PREVIOUS_MONTH, today=dt.date(2023, 12, 5))

    lines = [p.text for p in Document(io.BytesIO(content)).paragraphs]
    assert lines[0].endswith("2023年11月工作推进情况通报")
    assert "2023年11月1日至2023年11月30日，共有1项任务报送进展1条，填报指标数据0次。" in lines
    overall = next(line for line in lines if line.startswith("截至2023年12月5日"))
    assert "慢于序时进度" in overall and "总体进度滞后" in overall
    assert any("十一月的进展" in line for line in lines)


@pytest.mark.django_db
def test_a_control_character_pasted_into_a_note_does_not_fail_the_bulletin(plan_a, task_a):
    TaskUpdateFactory(task=task_a, note="已走访\x08企业\x0b20家")
    task_a.status = "delayed"
    task_a.save()
    plan_rollup(plan_id=plan_a.pk, today=dt.date(2023, 12, 5))

    content = plan_bulletin_docx(plan_a, period=Period.MONTH, today=dt.date(2023, 12, 5))

    text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    assert "已走访企业20家" in text
