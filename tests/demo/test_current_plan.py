"""demo_setup loads a demonstration plan of the current year with a made-up history up to
today, so that 序时 tracking, reminders, 催办 and the 通报 have something current to act on;
the Word 通报 of that plan says what the plan page says."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from docx import Document

from apps.accounts.models import User
from apps.demo.services.current import DEMO_MARK, demo_current_text
from apps.plans.models import Indicator, IndicatorReading, Plan, PlanReport, Task, TaskUpdate
from apps.plans.rules.vocabulary import HEALTH_LABELS, Health
from apps.plans.services import plan_report_generate, plan_report_request

pytestmark = [pytest.mark.django_db, pytest.mark.needs_parser]

# A fixed "today" keeps the made-up history the same on every run (and on any real date).
TODAY = dt.date(2026, 6, 15)


def demo_setup(*args):
    call_command("demo_setup", f"--today={TODAY.isoformat()}", *args, stdout=io.StringIO())


def current_plan() -> Plan:
    return Plan.objects.get(year_start=TODAY.year, is_review=False)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def demo():
    demo_setup()
    return current_plan()


def test_the_demo_has_a_plan_of_the_current_year_marked_as_a_demonstration():
    call_command("demo_setup", "--no-activity", stdout=io.StringIO())

    year = timezone.localdate().year
    plan = Plan.objects.get(year_start=year, year_end=year, is_review=False)
    assert plan.title.endswith(DEMO_MARK) and "演示" in plan.title
    assert plan.source_name.startswith("演示-")
    assert str(year) in plan.title and "2023" not in plan.source_text
    assert plan.tasks.count() > 10 and Indicator.objects.filter(task__plan=plan).exists()


def test_the_demonstration_text_moves_only_the_seeds_year():
    text = "江浦路街道2023年工作要点 2023-03-30\n完成23户适老化改造，2023年底前完成。"
    assert demo_current_text(text, 2026) == (
        "江浦路街道2026年工作要点 2026-03-30\n完成23户适老化改造，2026年底前完成。"
    )


def test_the_current_plan_has_a_history_up_to_today_with_late_at_risk_and_on_track_tasks(demo):
    updates = TaskUpdate.objects.filter(task__plan=demo)
    dates = [timezone.localdate(d) for d in updates.values_list("created_at", flat=True)]
    assert min(dates) >= dt.date(TODAY.year, 1, 1) and max(dates) < TODAY
    assert max(dates) >= TODAY - dt.timedelta(days=7)
    readings = IndicatorReading.objects.filter(indicator__task__plan=demo)
    assert readings.exists() and max(readings.values_list("date", flat=True)) < TODAY
    snapshots = list(demo.snapshots.order_by("date"))
    assert len(snapshots) >= 20 and snapshots[-1].date >= TODAY - dt.timedelta(days=7)
    # 序时 is tracked on today's date: the plan is a little less than half-way.
    assert 44 < demo.progress.expected_percent < 47
    lights = set(
        Task.objects.filter(plan=demo, children__isnull=True).values_list("health", flat=True)
    )
    assert {Health.OFF_TRACK, Health.AT_RISK, Health.ON_TRACK} <= lights
    # Someone reported a setback with its reason, as the 催办 and the review will show.
    flagged = Task.objects.get(plan=demo, status=Task.Status.DELAYED)
    assert flagged.updates.order_by("-created_at").first().note


def test_demo_accounts_have_addresses_and_reminders_go_to_them(demo):
    addresses = dict(User.objects.values_list("username", "email"))
    assert addresses["jiangpu_staff"] == "jiangpu_staff@example.org"
    assert all(addresses.values())

    # demo_setup has sent the demo day's reminders and digest (apps/demo/services/supervision.py),
    # on the site and, to anyone with an address, by e-mail.
    recipients = {to for message in mail.outbox for to in message.to}
    assert recipients and all(to.endswith("@example.org") for to in recipients)


def _fingerprint() -> list:
    plan = current_plan()
    return [
        list(plan.tasks.order_by("path").values_list("percent", "status", "health")),
        list(
            TaskUpdate.objects.filter(task__plan=plan)
            .order_by("created_at", "task__path")
            .values_list("task__path", "created_at", "note")
        ),
        list(plan.snapshots.order_by("date").values_list("date", "percent")),
    ]


def test_the_made_up_history_is_the_same_for_the_same_day():
    demo_setup()
    first = _fingerprint()
    Plan.objects.all().delete()
    User.objects.all().delete()

    demo_setup()

    assert _fingerprint() == first


# --- The Word 通报 of the demo's current plan -----------------------------------------------


def bulletin_of(plan: Plan, period: str = PlanReport.Period.MONTH) -> Document:
    user = User.objects.get(username="jiangpu_leader")
    report = plan_report_request(
        plan_id=plan.pk, user=user, kind=PlanReport.Kind.BULLETIN, period=period
    )
    report = plan_report_generate(report_id=report.pk)
    assert report.status == PlanReport.Status.DONE and report.file.name.endswith(".docx")
    with report.file.open("rb") as handle:
        return Document(io.BytesIO(handle.read()))


def test_the_bulletin_names_the_unit_and_period_and_lists_the_late_tasks(demo, media_root):
    today = timezone.localdate()
    document = bulletin_of(demo)

    lines = [p.text for p in document.paragraphs]
    assert lines[0] == f"江浦路街道{today.year}年{today.month}月工作推进情况通报"
    assert f"{today.year}年{today.month}月{today.day}日" in lines[1]
    assert any(line.startswith("一、总体进展") for line in lines)
    overall = next(line for line in lines if line.startswith("截至"))
    progress = demo.progress
    assert f"整体完成度{progress.percent.normalize():f}%" in overall
    late = Task.objects.filter(plan=demo, health=Health.OFF_TRACK, children__isnull=True)
    assert late.exists()
    body = "\n".join(lines)
    late_heading = f"（一）{HEALTH_LABELS[Health.OFF_TRACK]}任务（{late.count()}项）"
    assert late_heading in lines
    for task in late:
        assert task.title in body
        assert task.lead_label in body
    assert lines[-1] == f"{today.year}年{today.month}月{today.day}日"
    assert lines[-2] == "江浦路街道"


def test_the_bulletins_indicator_table_has_target_actual_and_expected_values(demo, media_root):
    document = bulletin_of(demo, period=PlanReport.Period.QUARTER)

    assert "季度工作推进情况通报" in document.paragraphs[0].text
    table = document.tables[0]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["序号", "指标", "目标", "最新实际值", "序时目标", "状态"]
    indicators = list(
        Indicator.objects.filter(task__plan=demo).order_by("task__path", "order", "id")
    )
    assert [r[1] for r in rows[1:]] == [i.name for i in indicators]
    for row, indicator in zip(rows[1:], indicators, strict=True):
        assert row[5] == indicator.get_health_display()
        assert row[2].endswith(f"{indicator.target_value.normalize():f}{indicator.unit}")
        if indicator.expected_value is not None:
            assert row[4] == f"{indicator.expected_value.normalize():f}{indicator.unit}"


def test_the_bulletin_is_written_in_fangsong_sanhao_with_a_xiaobiaosong_title(demo, media_root):
    document = bulletin_of(demo)

    title = document.paragraphs[0].runs[0]
    assert title.font.size.pt == 22
    assert title._element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
    ).startswith("方正小标宋")
    body = next(p for p in document.paragraphs if p.text.startswith("截至"))
    assert body.runs[0].font.size.pt == 16 and body.runs[0].font.name.startswith("仿宋")
