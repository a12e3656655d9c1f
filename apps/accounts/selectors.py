"""Who may change which task: the write rule beside the scope that the user model keeps.

Views never decide scope themselves: querysets go through `for_user` (apps/core/querysets.py,
which reads `User.subdistrict_ids()`), writes through `User.can_write()` and, for a task,
`user_can_update_task`.
"""

from __future__ import annotations

from typing import Protocol

from apps.accounts.models import Membership, User


class _TaskLike(Protocol):
    """What the rule reads of a task (a Task with its plan)."""

    lead_department_id: int | None
    plan: object


def user_can_update_task(user: User, task: _TaskLike) -> bool:
    """Staff update their 街道's tasks; where a task has a lead department, only that
    department's staff and the 街道's leaders and admins may."""
    if getattr(user, "is_superuser", False):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    subdistrict_id = task.plan.subdistrict_id
    for membership in user.membership_list:
        if membership.subdistrict_id != subdistrict_id:
            continue
        if membership.role in (Membership.Role.LEADER, Membership.Role.ADMIN):
            return True
        if membership.role == Membership.Role.STAFF:
            return task.lead_department_id is None or (
                membership.department_id == task.lead_department_id
            )
    return False


def user_can_write_in(user: User, subdistrict_id: int) -> bool:
    """Whether the user edits in that unit (staff, leader or admin there; a superuser):
    what asking for a plan's report takes, as the job costs worker time."""
    if getattr(user, "is_superuser", False):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return any(
        m.subdistrict_id == subdistrict_id and m.role in Membership.WRITE_ROLES
        for m in user.membership_list
    )
