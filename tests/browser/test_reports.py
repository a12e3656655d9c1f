"""Reports from the plan page in a real browser: a leader asks for the Word 通报 of the
demo's current-year plan (and then the Excel sheet), the job runs elsewhere, and the page
turns the queued line into a download link without being reloaded."""

import io

import pytest
from django.utils import timezone
from docx import Document

from apps.demo.services import demo_password
from apps.plans.models import Plan, PlanReport
from apps.plans.services import plan_report_generate
from tests.browser.conftest import SCREENSHOTS, login

pytestmark = [pytest.mark.needs_parser]


@pytest.fixture
def jobs_held(monkeypatch):
    """Report jobs are recorded instead of run, so the page sees them queued; the test
    runs each one itself, as a worker would, while the page stays open."""
    queued: list[int] = []
    monkeypatch.setattr("apps.plans.jobs.plan_report_generate.delay", queued.append)
    return queued


def _main_frame_loads(page) -> list[str]:
    loads: list[str] = []
    page.on("framenavigated", lambda frame: frame == page.main_frame and loads.append(frame.url))
    return loads


def test_a_requested_bulletin_and_sheet_turn_into_download_links_without_a_reload(
    demo_data, new_page, live_server, jobs_held, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    plan = Plan.objects.get(year_start=timezone.localdate().year, title__contains="演示")
    page = new_page()
    login(page, live_server, "jiangpu_leader", password=demo_password())
    page.goto(f"{live_server.url}/plans/{plan.pk}/")

    page.select_option("#bulletin-period", "quarter")
    page.click("button:has-text('生成工作推进情况通报')")
    page.wait_for_url(f"**/plans/{plan.pk}/#reports")
    loads = _main_frame_loads(page)
    [bulletin_id] = jobs_held
    line = page.locator(f"[data-report-id='{bulletin_id}']")
    assert "排队中" in line.inner_text() and "工作推进情况通报" in line.inner_text()

    plan_report_generate(report_id=bulletin_id)
    link = line.get_by_role("link", name="下载")
    link.wait_for()
    assert loads == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#reports").screenshot(path=str(SCREENSHOTS / "plan_reports.png"))
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".docx")
    document = Document(io.BytesIO(open(download.value.path(), "rb").read()))
    assert document.paragraphs[0].text.endswith("季度工作推进情况通报")

    page.click("button:has-text('生成推进情况表')")
    page.wait_for_url(f"**/plans/{plan.pk}/#reports")
    loads = _main_frame_loads(page)
    sheet_id = jobs_held[-1]
    assert PlanReport.objects.get(pk=sheet_id).kind == PlanReport.Kind.WORKBOOK
    plan_report_generate(report_id=sheet_id)
    page.locator(f"[data-report-id='{sheet_id}']").get_by_role("link", name="下载").wait_for()
    assert loads == []
