"""Requests that once took a worker's whole memory: a huge page of the task list and the
export of a plan whose document is megabytes long (issue 14, item 1); and text that a
spreadsheet would run as a formula (item 3)."""

import datetime as dt
import tracemalloc
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from apps.core import views as core_views
from apps.plans.models import Plan
from tests.factories import TaskFactory

pytestmark = pytest.mark.django_db

URL = "/tasks/"


def test_a_huge_per_page_is_held_to_the_largest_page(client, dora, plan_a, monkeypatch):
    monkeypatch.setattr(core_views, "MAX_PER_PAGE", 3)
    TaskFactory.create_batch(5, plan=plan_a)
    client.force_login(dora)

    response = client.get(URL, {"per_page": "100000"})

    assert response.status_code == 200
    assert len(response.context["table"].paginated_rows) == 3


@pytest.mark.parametrize("per_page", ["0", "-5", "abc"])
def test_a_nonsense_per_page_still_shows_a_page(client, dora, task_a, per_page):
    client.force_login(dora)

    assert client.get(URL, {"per_page": per_page}).status_code == 200


@pytest.mark.parametrize("params", [{}, {"_export": "xlsx"}])
def test_the_task_list_never_reads_the_plans_document_or_the_task_text(
    client, dora, task_a, params
):
    client.force_login(dora)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
        if params:
            response.getvalue()

    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "source_text" not in sql
    assert '"plans_task"."text"' not in sql


def test_exporting_a_plan_with_a_large_document_takes_little_memory(client, dora, plan_a):
    # 2 MB of document: read once per row, 80 rows came to hundreds of megabytes.
    Plan.objects.filter(pk=plan_a.pk).update(source_text="街" * 1_000_000)
    TaskFactory.create_batch(80, plan=plan_a, text="内容" * 5000)
    client.force_login(dora)

    tracemalloc.start()
    try:
        response = client.get(URL, {"_export": "xlsx", "per_page": "100000"})
        body = response.getvalue()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert load_workbook(BytesIO(body)).active.max_row == 81
    assert peak < 30 * 1024 * 1024


def test_the_plan_report_is_written_row_by_row_not_held_in_memory(plan_a, tmp_path):
    # A workbook held whole took about 10 MB for these 3,000 rows (60 MB of Python objects
    # for a 9,000-task plan, bench/report_memory.py); written as it goes, well under 3 MB.
    from apps.plans.exports import PlanReportRow, plan_report_xlsx

    rows = (
        PlanReportRow(
            number=f"{n}.",
            depth=n % 3,
            title="推进重点工作" * 8,
            department="服务办",
            person="张三",
            due=dt.date(2026, 12, 31),
            progress="进行中，完成40%。" + "已召开推进会" * 20,
            indicators="新增就业岗位：目标≥1200个，实际800个（正常）",
        )
        for n in range(3000)
    )
    generated_at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

    with (tmp_path / "report.xlsx").open("wb") as out:
        tracemalloc.start()
        try:
            plan_report_xlsx(plan_a, rows, out, generated_at=generated_at)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()

    sheet = load_workbook(tmp_path / "report.xlsx").active
    assert sheet.max_row == 3 + 3000
    assert peak < 3 * 1024 * 1024


# --- Formula injection (item 3) -------------------------------------------------------------

HOSTILE = '=HYPERLINK("http://evil.example","点我")'


@pytest.mark.parametrize("text", [HOSTILE, "+1+2", "-1+2", "@SUM(A1)"])
def test_the_task_export_writes_formula_like_text_as_text(client, dora, plan_a, text):
    TaskFactory(plan=plan_a, responsible_person=text)
    client.force_login(dora)

    sheet = load_workbook(BytesIO(client.get(URL, {"_export": "xlsx"}).getvalue())).active

    headers = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=headers.index("责任人") + 1)
    assert cell.data_type == "s"
    assert cell.value == text


def test_the_plan_report_writes_formula_like_text_as_text(plan_a):
    from apps.plans.exports import PlanReportRow, plan_report_xlsx

    row = PlanReportRow(
        number="1.",
        depth=1,
        title="=1+1",
        department="@科室",
        person=HOSTILE,
        due=None,
        progress="-进行中",
        indicators="+3",
    )
    body = BytesIO()
    plan_report_xlsx(plan_a, [row], body, generated_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))

    cells = next(load_workbook(body).active.iter_rows(min_row=4))
    texts = [c for c in cells if c.value is not None]
    assert all(c.data_type == "s" for c in texts)
    assert HOSTILE in [c.value for c in texts]
