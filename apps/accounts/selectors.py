"""Who may see and change what: the one place the scope rules live.

Views never decide scope themselves: querysets go through `for_user` (which calls
`subdistrict_ids_for_user`), and writes through `user_can_update_task`. Memberships are
read once per request and cached on the user object, so scoping costs one query.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from apps.accounts.models import Membership

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.plans.models import Task

WRITE_ROLES = {Membership.Role.STAFF, Membership.Role.LEADER, Membership.Role.ADMIN}


def memberships_for_user(user: User) -> list[Membership]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_memberships_cache", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user))
        user._memberships_cache = cached
    return cached


def subdistrict_ids_for_user(user: User) -> set[int] | None:
    """The sub-districts a user may see; None means every one (superusers)."""
    if getattr(user, "is_superuser", False):
        return None
    return {m.subdistrict_id for m in memberships_for_user(user)}


def user_can_write(user: User) -> bool:
    """Whether the user may change anything at all (viewers never may)."""
    if getattr(user, "is_superuser", False):
        return True
    return any(m.role in WRITE_ROLES for m in memberships_for_user(user))


def user_can_update_task(user: User, task: Task) -> bool:
    """Staff update their 街道's tasks; where a task has a lead department, only that
    department's staff and the 街道's leaders and admins may."""
    if getattr(user, "is_superuser", False):
        return True
    subdistrict_id = task.plan.subdistrict_id
    for membership in memberships_for_user(user):
        if membership.subdistrict_id != subdistrict_id:
            continue
        if membership.role in (Membership.Role.LEADER, Membership.Role.ADMIN):
            return True
        if membership.role == Membership.Role.STAFF:
            return task.lead_department_id is None or (
                membership.department_id == task.lead_department_id
            )
    return False


def department_ids_for_user(user: User) -> set[int]:
    """The departments a staff user belongs to (their default task list)."""
    return {m.department_id for m in memberships_for_user(user) if m.department_id}
