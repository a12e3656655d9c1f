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


# 审核 and 催办: the unit's leaders and admins review its updates and press its late tasks.
REVIEW_ROLES = frozenset({Membership.Role.LEADER, Membership.Role.ADMIN})


class _PlanLike(Protocol):
    subdistrict_id: int
    subdistrict: object


class _ReviewedTaskLike(Protocol):
    """What the review rule reads of a task (a Task with its plan and unit)."""

    plan: _PlanLike


def update_needs_review(user: User, task: _ReviewedTaskLike) -> bool:
    """Whether this user's update of this task waits for review: the unit has review on
    (`Subdistrict.updates_need_review`) and the user is staff there; leaders' and admins'
    own updates apply at once."""
    if getattr(user, "is_superuser", False) or not task.plan.subdistrict.updates_need_review:
        return False
    return any(
        m.subdistrict_id == task.plan.subdistrict_id and m.role == Membership.Role.STAFF
        for m in user.membership_list
    )


def user_can_review(user: User, subdistrict_id: int) -> bool:
    """Leaders and admins of the unit (and superusers) review its updates and send 催办."""
    if getattr(user, "is_superuser", False):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return any(
        m.subdistrict_id == subdistrict_id and m.role in REVIEW_ROLES for m in user.membership_list
    )


def review_subdistrict_ids(user: User) -> set[int] | None:
    """The units whose updates the user reviews; None means all (superusers)."""
    if getattr(user, "is_superuser", False):
        return None
    if not getattr(user, "is_authenticated", False):
        return set()
    return {m.subdistrict_id for m in user.membership_list if m.role in REVIEW_ROLES}
