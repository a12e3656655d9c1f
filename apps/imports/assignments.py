"""Bulk assignment after an import: a leader or administrator sets 牵头科室, 责任人 and
截止日期 on many tasks at once (a 60-task plan in minutes, not one page per task).

A service module kept apart from the draft services: each task goes through the plans
app's `task_update`, so every assignment is validated, locked, versioned and shows on the
task's timeline exactly like an update made on the task page.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from apps.accounts.models import Membership
from apps.plans.models import Task
from apps.plans.services import task_update
from apps.subdistricts.models import Department

if TYPE_CHECKING:
    from apps.accounts.models import User

ASSIGN_ROLES = {Membership.Role.LEADER, Membership.Role.ADMIN}
BULK_NOTE = "批量分配"


def assign_subdistrict_ids(user: User) -> set[int] | None:
    """Units whose tasks the user may assign in bulk; None means all (superusers)."""
    if getattr(user, "is_superuser", False):
        return None
    return {m.subdistrict_id for m in user.membership_list if m.role in ASSIGN_ROLES}


def user_can_assign(user: User) -> bool:
    ids = assign_subdistrict_ids(user)
    return ids is None or bool(ids)


@transaction.atomic
def tasks_assign(
    *,
    user: User,
    task_ids: list[int],
    lead_department: Department | None = None,
    responsible_person: str = "",
    due_date: dt.date | None = None,
) -> int:
    """Set the given fields (blank ones stay as they are) on every task; returns how many
    changed. All or nothing: one refused task (another unit's 科室, a task outside the
    user's units) leaves every task as it was."""
    responsible_person = responsible_person.strip()
    if lead_department is None and not responsible_person and due_date is None:
        raise ValidationError("请至少填写牵头科室、责任人或截止日期中的一项。")
    allowed = assign_subdistrict_ids(user)
    tasks = list(Task.objects.filter(pk__in=task_ids).select_related("plan", "lead_department"))
    if not tasks or len(tasks) != len(set(task_ids)):
        raise ValidationError("请选择要分配的任务。")
    changed = 0
    for task in tasks:
        if allowed is not None and task.plan.subdistrict_id not in allowed:
            raise PermissionDenied("只有本单位的领导或管理员可以批量分配任务。")
        if lead_department is not None and lead_department.subdistrict_id != (
            task.plan.subdistrict_id
        ):
            raise ValidationError(f"“{task}”不属于{lead_department}所在的单位，不能由该科室牵头。")
        if (
            (due_date is None or due_date == task.due_date)
            and (lead_department is None or lead_department.pk == task.lead_department_id)
            and (not responsible_person or responsible_person == task.responsible_person)
        ):
            continue
        try:
            task_update(
                task_id=task.pk,
                user=user,
                version=task.version,
                status=task.status,
                percent=task.percent,
                due_date=due_date or task.due_date,
                lead_department=lead_department or task.lead_department,
                responsible_person=responsible_person or task.responsible_person,
                note=BULK_NOTE,
                readings=[],
            )
        except ValidationError as exc:
            if getattr(exc, "code", None) == "no_changes":
                continue
            raise
        changed += 1
    return changed
