import datetime as dt
from unittest import mock

import pytest
from kombu.exceptions import OperationalError
from openpyxl import load_workbook

from apps.plans.models import PlanReport
from apps.plans.services import plan_report_generate, plan_report_request
from tests.factories import TaskFactory, TaskUpdateFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def queued():
    """The report jobs queued, instead of sending them to a broker."""
    with mock.patch("apps.plans.jobs.plan_report_generate.delay") as delay:
        yield delay


@pytest.fixture
def report(plan_a, task_a, bob, queued, django_capture_on_commit_callbacks):
    """A report of plan_a requested by its leader, after alice reported on task_a."""
    task_a.status, task_a.percent, task_a.responsible_person = "in_progress", 40, "Alice"
    task_a.due_date = dt.date(2023, 11, 30)
    task_a.save()
    visits = task_a.indicators.get()
    visits.latest_value, visits.health = 80, "at_risk"
    visits.save()
    TaskUpdateFactory(task=task_a, note="已走访80家次")
    TaskUpdateFactory(task=task_a, note="")  # a later update without a note
    TaskFactory(plan=plan_a, number="(二)", title="", text="增进民生福祉，营造高品质生活")
    with django_capture_on_commit_callbacks(execute=True):
        return plan_report_request(plan_id=plan_a.pk, user=bob)


def sheet_rows(report):
    sheet = load_workbook(report.file.path).active
    return [list(row) for row in sheet.iter_rows(min_row=3, values_only=True)]


def test_a_request_queues_one_job_for_the_new_report_after_commit(report, queued):
    assert report.status == PlanReport.Status.PENDING
    queued.assert_called_once_with(report.pk)


def test_it_writes_the_plan_as_an_xlsx_with_the_usual_columns(report, media_root):
    plan_report_generate(report_id=report.pk)

    report.refresh_from_db()
    assert report.status == PlanReport.Status.DONE
    assert report.finished_at is not None
    assert report.file.name.endswith(".xlsx")
    assert (media_root / report.file.name).is_file()
    assert sheet_rows(report)[0] == [
        "序号",
        "任务",
        "牵头科室",
        "责任人",
        "完成时限",
        "进展情况",
        "指标完成情况",
    ]


def test_it_writes_one_row_per_task_in_document_order(report):
    plan_report_generate(report_id=report.pk)

    rows = sheet_rows(PlanReport.objects.get(pk=report.pk))[1:]
    assert rows == [
        ["(一)", "优化经济质效", None, None, None, "未开始，完成0%", None],
        [
            "1.",
            "　加强招商引资谋篇布局",
            "管理办",
            "Alice",
            dt.datetime(2023, 11, 30),
            "推进中，完成40%。已走访80家次",
            "走访企业：目标不少于200家次，实际80家次（预警）",
        ],
        ["(二)", "增进民生福祉，营造高品质生活", None, None, None, "未开始，完成0%", None],
    ]


def test_generating_twice_keeps_the_first_file(report, media_root):
    first = plan_report_generate(report_id=report.pk).file.name

    second = plan_report_generate(report_id=report.pk).file.name

    assert second == first
    assert [p.name for p in media_root.rglob("*.xlsx")] == [first.rsplit("/", 1)[-1]]


def test_a_failure_marks_the_report_failed_with_a_message_people_can_read(report):
    with mock.patch(
        "apps.plans.services.reports.plan_report_xlsx", side_effect=RuntimeError("disk full")
    ):
        with pytest.raises(RuntimeError):
            plan_report_generate(report_id=report.pk)

    report.refresh_from_db()
    assert report.status == PlanReport.Status.FAILED
    assert report.error == "报表生成失败，请稍后重试或联系管理员。"
    assert not report.file


def test_a_request_while_the_queue_is_down_marks_the_report_failed(
    plan_a, bob, queued, django_capture_on_commit_callbacks
):
    queued.side_effect = OperationalError("Error 111 connecting to 127.0.0.1:6379.")

    with django_capture_on_commit_callbacks(execute=True):
        report = plan_report_request(plan_id=plan_a.pk, user=bob)

    report.refresh_from_db()
    assert report.status == PlanReport.Status.FAILED
    assert report.error == "报表生成失败，请稍后重试或联系管理员。"


def test_the_report_names_the_lead_as_written_when_no_department_is_linked(plan_a, task_a):
    from apps.plans.services.reports import plan_report_rows

    TaskFactory(plan=plan_a, number="(二)", title="推进旧改", lead_text="区建管委")

    departments = {row.title: row.department for row in plan_report_rows(plan_a)}

    assert departments == {
        "优化经济质效": "",
        "加强招商引资谋篇布局": "管理办",
        "推进旧改": "区建管委",
    }
