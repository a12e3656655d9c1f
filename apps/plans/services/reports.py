"""Excel reports of a plan in the layout offices hand in (推进情况表), made by a job because
a large plan takes longer than a page request should."""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from apps.core.formatting import plain_number
from apps.plans.exports import PlanReportRow, plan_report_xlsx
from apps.plans.models import Plan, PlanReport, Task, TaskUpdate
from apps.plans.rules.vocabulary import HEALTH_LABELS, label

logger = logging.getLogger(__name__)

FAILED_MESSAGE = "报表生成失败，请稍后重试或联系管理员。"
ALREADY_PENDING_MESSAGE = "该计划已有一份报表正在生成，请稍后刷新本页下载。"
# A pending report older than this is taken for lost (its job outlived every time limit
# and redelivery) and no longer blocks a new request.
REPORT_PENDING_FOR_AT_MOST = dt.timedelta(minutes=30)


@transaction.atomic
def plan_report_request(*, plan_id: int, user) -> PlanReport:
    """Create a pending report and queue the job that fills it, after commit. At most one
    report of a plan is pending at a time: a second request while one is being made is
    refused (ValidationError, code "report_pending"), so nobody can fill the queue."""
    # The plan's row is the lock that makes two simultaneous requests take turns.
    Plan.objects.select_for_update().filter(pk=plan_id).first()
    recent = timezone.now() - REPORT_PENDING_FOR_AT_MOST
    if PlanReport.objects.filter(
        plan_id=plan_id, status=PlanReport.Status.PENDING, created_at__gte=recent
    ).exists():
        raise ValidationError(ALREADY_PENDING_MESSAGE, code="report_pending")
    report = PlanReport.objects.create(plan_id=plan_id, requested_by=user)

    def queue() -> None:
        from apps.plans.jobs import plan_report_generate as plan_report_generate_job

        try:
            plan_report_generate_job.delay(report.pk)
        except Exception:
            # The broker is down: say so on the report rather than leave it 排队中 forever
            # (and answer the person's request with an error page).
            logger.exception("Could not queue report %s of plan %s", report.pk, plan_id)
            PlanReport.objects.filter(pk=report.pk).update(
                status=PlanReport.Status.FAILED,
                error=FAILED_MESSAGE,
                finished_at=timezone.now(),
            )

    transaction.on_commit(queue)
    return report


def _indicator_text(indicator) -> str:
    target = f"{indicator.get_comparator_display()}{plain_number(indicator.target_value)}"
    if indicator.latest_value is None:
        actual = "未填报"
    else:
        actual = f"{plain_number(indicator.latest_value)}{indicator.unit}"
    health = label(HEALTH_LABELS, indicator.health)
    return f"{indicator.name}：目标{target}{indicator.unit}，实际{actual}（{health}）"


# Tasks read from the database at a time while a report is written.
REPORT_CHUNK = 1000


def plan_report_rows(plan: Plan) -> Iterator[PlanReportRow]:
    """The report's rows in document order, read in chunks as the workbook is written."""
    tasks = (
        Task.objects.filter(plan=plan)
        .select_related("lead_department")
        .prefetch_related("indicators")
        .order_by("path")
        .iterator(chunk_size=REPORT_CHUNK)
    )
    latest_notes = {}
    for task_id, note in (
        TaskUpdate.objects.filter(task__plan=plan)
        .exclude(note="")
        .order_by("task_id", "-created_at", "-id")
        .values_list("task_id", "note")
    ):
        latest_notes.setdefault(task_id, note)
    for task in tasks:
        progress = f"{task.get_status_display()}，完成{task.percent}%"
        if note := latest_notes.get(task.pk):
            progress += f"。{note}"
        yield PlanReportRow(
            number=task.number,
            depth=task.depth,
            title=task.title if task.title else task.text[:80],
            department=task.lead_label,
            person=task.responsible_person,
            due=task.due_date,
            progress=progress,
            indicators="\n".join(_indicator_text(i) for i in task.indicators.all()),
        )


def plan_report_generate(*, report_id: int) -> PlanReport:
    """Fill a pending report with its .xlsx; a report that is already done is left as it
    is (safe to run twice). A failure is recorded with a message people can read."""
    report = PlanReport.objects.select_related("plan__subdistrict").get(pk=report_id)
    if report.status == PlanReport.Status.DONE:
        return report
    plan = report.plan
    name = f"{plan.title}_推进情况表_{timezone.localtime():%Y%m%d%H%M}.xlsx"
    # Written to a temporary file and handed to the storage from there: the workbook is
    # never held in memory whole, whatever the storage (disk here, object storage later).
    with tempfile.TemporaryFile(suffix=".xlsx") as workbook:
        try:
            plan_report_xlsx(plan, plan_report_rows(plan), workbook, generated_at=timezone.now())
            workbook.seek(0)
            report.file.save(name, File(workbook, name=name), save=False)
        except Exception:
            logger.exception("Report %s of plan %s failed", report_id, plan.pk)
            report.status = PlanReport.Status.FAILED
            report.error = FAILED_MESSAGE
            report.finished_at = timezone.now()
            report.save(update_fields=["status", "error", "finished_at"])
            raise
    report.status = PlanReport.Status.DONE
    report.error = ""
    report.finished_at = timezone.now()
    report.save(update_fields=["file", "status", "error", "finished_at"])
    return report
