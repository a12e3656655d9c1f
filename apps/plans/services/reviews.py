"""审核: where a unit reviews updates, a staff member's submit waits for a leader.

The task's fields stay the approved state (every roll-up and dashboard reads them, so
they count approved progress only); the submit is stored as a PENDING TaskUpdate with
its `proposed` values and the timeline entries it would make. Approval applies those
values through `task_update` itself, so an approved update is validated, versioned and
rolled up exactly like one saved without review. Returning keeps the row, with the
leader's comment, for the staff member to read and submit again.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Membership
from apps.accounts.selectors import REVIEW_ROLES, update_needs_review, user_can_review
from apps.notifications.models import Notification
from apps.notifications.services import notifications_settle, notify
from apps.plans.models import Task, TaskUpdate
from apps.plans.services.tasks import NO_CHANGES_MESSAGE, Reading, task_proposal, task_update
from apps.plans.services.urges import urges_close, urges_reopen
from apps.subdistricts.models import Department

if TYPE_CHECKING:
    from apps.accounts.models import User

SUBMITTED_MESSAGE = "已提交，待领导审核后生效"
RETURN_NEEDS_COMMENT = "退回时请填写审核意见，说明需要补充或修改什么。"
OWN_UPDATE_MESSAGE = "不能审核自己提交的更新。"
NOT_PENDING_MESSAGE = "该更新已审核过。"


@transaction.atomic
def task_update_submit(
    *,
    task_id: int,
    user: User,
    version: int,
    status: str,
    percent: int | None,
    due_date: dt.date | None,
    lead_department: Department | None,
    responsible_person: str,
    note: str,
    readings: list[Reading],
) -> TaskUpdate:
    """The task page's submit: applied at once (`task_update`) unless it needs review,
    when it is stored as pending, answers the open 催办 and tells the unit's leaders."""
    task = Task.objects.select_related("plan__subdistrict", "lead_department").get(pk=task_id)
    kwargs = {
        "status": status,
        "percent": percent,
        "due_date": due_date,
        "lead_department": lead_department,
        "responsible_person": responsible_person,
        "note": note,
        "readings": readings,
    }
    if not update_needs_review(user, task):
        return task_update(task_id=task_id, user=user, version=version, **kwargs)

    new_values, changes = task_proposal(task=task, **kwargs)
    note = note.strip()
    if not changes and not note:
        raise ValidationError(NO_CHANGES_MESSAGE, code="no_changes")
    update = TaskUpdate.objects.create(
        task=task,
        user=user,
        changes=changes,
        note=note,
        state=TaskUpdate.State.PENDING,
        proposed={
            **new_values,
            "due_date": due_date.isoformat() if due_date else None,
            "lead_department": lead_department.pk if lead_department else None,
            "readings": [[i, d.isoformat(), str(v)] for i, d, v in readings],
        },
    )
    urges_close(task_id=task.pk, update=update)
    _reviewers_notify(task=task, update=update)
    return update


def review_key(update: TaskUpdate) -> str:
    """The key of the leaders' "待审核" notifications of one update."""
    return f"review:{update.pk}"


def _unit_reviewers(subdistrict_ids: set[int]):
    return Membership.objects.filter(
        subdistrict_id__in=subdistrict_ids, role__in=REVIEW_ROLES, user__is_active=True
    )


def _reviewed_settle(rows: list[TaskUpdate]) -> None:
    """The unit's other leaders need not look at these any more."""
    units = {row.task.plan.subdistrict_id for row in rows}
    notifications_settle(
        recipients=_unit_reviewers(units).values("user_id"),
        keys=[review_key(row) for row in rows],
    )


def _reviewers_notify(*, task: Task, update: TaskUpdate) -> None:
    leaders = _unit_reviewers({task.plan.subdistrict_id}).select_related("user")
    for membership in leaders:
        notify(
            recipient=membership.user,
            kind=Notification.Kind.REVIEW_PENDING,
            title=f"{update.user} 提交了“{task}”的更新，待审核",
            url=reverse("supervision:review_list"),
            key=review_key(update),
        )


def _pending_for_review(*, reviewer: User, update_ids: list[int]) -> list[TaskUpdate]:
    """The pending updates named, locked; 404-like refusal for other units' ids is the
    view's job (it looks them up scoped); here a reviewer outside the unit is refused."""
    rows = list(
        TaskUpdate.objects.select_for_update(of=("self",))
        .select_related("task__plan__subdistrict", "user")
        .filter(pk__in=update_ids)
        .order_by("created_at", "pk")
    )
    if not rows:
        raise ValidationError("请选择要审核的更新。")
    for row in rows:
        if row.state != TaskUpdate.State.PENDING:
            raise ValidationError(NOT_PENDING_MESSAGE)
        if not user_can_review(reviewer, row.task.plan.subdistrict_id):
            raise PermissionDenied("只有本单位的领导或管理员可以审核。")
        if row.user_id == reviewer.pk:
            raise PermissionDenied(OWN_UPDATE_MESSAGE)
    return rows


def _submitted_values(*, task: Task, row: TaskUpdate) -> dict:
    """The task's fields as approval sets them: what the submitter changed (the fields in
    the pending update's `changes`), and for every other field the task's value now, so
    that approving never undoes what someone else saved while the update waited."""
    p = row.proposed
    changed = {c.get("field") for c in row.changes}
    department_id = p["lead_department"]
    submitted = {
        "status": p["status"],
        "percent": p["percent"],
        "due_date": dt.date.fromisoformat(p["due_date"]) if p["due_date"] else None,
        "lead_department": (
            Department.objects.get(pk=department_id)
            if department_id and "lead_department" in changed
            else None
        ),
        "responsible_person": p["responsible_person"],
    }
    return {
        field: value if field in changed else getattr(task, field)
        for field, value in submitted.items()
    }


@transaction.atomic
def updates_approve(*, reviewer: User, update_ids: list[int]) -> int:
    """Approve pending updates (all or none): each is applied by `task_update` as its
    submitter's update, against the task as it is now."""
    rows = _pending_for_review(reviewer=reviewer, update_ids=update_ids)
    for row in rows:
        task = Task.objects.select_related("lead_department").get(pk=row.task_id)
        try:
            task_update(
                task_id=task.pk,
                user=row.user,
                version=task.version,
                **_submitted_values(task=task, row=row),
                note=row.note,
                readings=[
                    (i, dt.date.fromisoformat(d), Decimal(v))
                    for i, d, v in row.proposed["readings"]
                ],
                submission=row,
            )
        except ValidationError as exc:
            if getattr(exc, "code", None) != "no_changes":
                raise
        row.state = TaskUpdate.State.APPROVED
        row.reviewed_by, row.reviewed_at = reviewer, timezone.now()
        row.save(update_fields=["state", "reviewed_by", "reviewed_at"])
        notify(
            recipient=row.user,
            kind=Notification.Kind.REVIEW_APPROVED,
            title=f"您对“{row.task}”的更新已审核通过",
            url=row.task.get_absolute_url(),
        )
    _reviewed_settle(rows)
    return len(rows)


@transaction.atomic
def updates_return(*, reviewer: User, update_ids: list[int], comment: str) -> int:
    """Return pending updates with a comment; the task stays as it was."""
    comment = comment.strip()
    if not comment:
        raise ValidationError(RETURN_NEEDS_COMMENT)
    rows = _pending_for_review(reviewer=reviewer, update_ids=update_ids)
    now = timezone.now()
    for row in rows:
        row.state = TaskUpdate.State.RETURNED
        row.reviewed_by, row.reviewed_at, row.review_comment = reviewer, now, comment
        row.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_comment"])
        notify(
            recipient=row.user,
            kind=Notification.Kind.REVIEW_RETURNED,
            title=f"您对“{row.task}”的更新被退回",
            body=f"审核意见：{comment}",
            url=row.task.get_absolute_url(),
        )
    urges_reopen(updates=rows)
    _reviewed_settle(rows)
    return len(rows)
