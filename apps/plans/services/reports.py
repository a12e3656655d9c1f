"""Reports of a plan in the layouts offices hand in: the Excel 推进情况表 and the Word
工作推进情况通报 (services/bulletins.py). Made by a job because a large plan takes longer than
a page request should; the plan page follows the job through `plan_report_status`."""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from collections.abc import Iterator
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from apps.core.formatting import plain_number
from apps.plans.exports import PlanReportRow, plan_report_xlsx
from apps.plans.models import Plan, PlanReport, Task
from apps.plans.rules.vocabulary import HEALTH_LABELS, label
from apps.plans.selectors import plan_latest_notes
from apps.plans.services.bulletins import plan_bulletin_docx

logger = logging.getLogger(__name__)

FAILED_MESSAGE = "报表生成失败，请稍后重试或联系管理员。"
ALREADY_PENDING_MESSAGE = "该计划已有一份报表正在生成，生成后本页会出现下载链接。"
REVIEW_BULLETIN_MESSAGE = "工作回顾没有序时进度，不能生成工作推进情况通报。"
# A pending report older than this is taken for lost (its job outlived every time limit
# and redelivery) and no longer blocks a new request.
REPORT_PENDING_FOR_AT_MOST = dt.timedelta(minutes=30)


UNFINISHED = (PlanReport.Status.PENDING, PlanReport.Status.RUNNING)


@transaction.atomic
def plan_report_request(
    *,
    plan_id: int,
    user,
    kind: str = PlanReport.Kind.WORKBOOK,
    period: str = "",
) -> PlanReport:
    """Create a pending report (an Excel sheet, or a 通报 of the current month or quarter)
    and queue the job that fills it, after commit. At most one report of a plan is being
    made at a time, whatever its kind: a second request meanwhile is refused
    (ValidationError, code "report_pending"), so nobody can fill the queue."""
    # The plan's row is the lock that makes two simultaneous requests take turns.
    plan = Plan.objects.select_for_update().filter(pk=plan_id).first()
    if kind == PlanReport.Kind.BULLETIN:
        if plan is not None and plan.is_review:
            raise ValidationError(REVIEW_BULLETIN_MESSAGE, code="review_bulletin")
        period = period or PlanReport.Period.MONTH
    else:
        period = ""
    recent = timezone.now() - REPORT_PENDING_FOR_AT_MOST
    if PlanReport.objects.filter(
        plan_id=plan_id, status__in=UNFINISHED, created_at__gte=recent
    ).exists():
        raise ValidationError(ALREADY_PENDING_MESSAGE, code="report_pending")
    report = PlanReport.objects.create(plan_id=plan_id, requested_by=user, kind=kind, period=period)

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
    latest_notes = plan_latest_notes(plan)
    for task in tasks:
        progress = f"{task.get_status_display()}，完成{task.percent}%"
        if task.pk in latest_notes:
            progress += f"。{latest_notes[task.pk][0]}"
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


def plan_report_write(report: PlanReport, out: IO[bytes]) -> str:
    """Write the report's file (.xlsx or .docx) to `out`; returns the name it is downloaded
    under."""
    plan = report.plan
    stamp = f"{timezone.localtime():%Y%m%d%H%M}"
    if report.kind == PlanReport.Kind.BULLETIN:
        out.write(plan_bulletin_docx(plan, period=report.period, today=timezone.localdate()))
        return f"{plan.title}_工作推进情况通报_{stamp}.docx"
    plan_report_xlsx(plan, plan_report_rows(plan), out, generated_at=timezone.now())
    return f"{plan.title}_推进情况表_{stamp}.xlsx"


def plan_report_generate(*, report_id: int) -> PlanReport:
    """Fill a pending report with its file (.xlsx or .docx); a report that is already done
    is left as it is (safe to run twice). While it runs the report reads 正在生成 (the
    plan page shows it); a failure is recorded with a message people can read."""
    report = PlanReport.objects.select_related("plan__subdistrict").get(pk=report_id)
    if report.status == PlanReport.Status.DONE:
        return report
    plan = report.plan
    PlanReport.objects.filter(pk=report.pk).update(status=PlanReport.Status.RUNNING)
    # Written to a temporary file and handed to the storage from there: the workbook is
    # never held in memory whole, whatever the storage (disk here, object storage later).
    with tempfile.TemporaryFile() as out:
        try:
            name = plan_report_write(report, out)
            out.seek(0)
            report.file.save(name, File(out, name=name), save=False)
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
