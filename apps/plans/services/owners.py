"""责任人 as people: a task's owners are accounts of its unit.

The documents and the bulk assignment write 责任人 as text ("王科员、李主任"); each name
that is exactly the display name or user name of one member of the task's unit becomes an
owner. Fuzzy matching would risk making the wrong person answerable, so a name that
matches nobody (or two people) stays text only and the task falls back to its lead
科室's staff for reminders and 催办.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING

from django.db import transaction

from apps.accounts.models import Membership, User
from apps.notifications.models import Notification
from apps.notifications.services import notify
from apps.plans.models import Task

if TYPE_CHECKING:
    from collections.abc import Iterable

NAME_SEPARATORS = re.compile(r"[、，,；;/\s]+")


def responsible_names(text: str) -> list[str]:
    """The names in a 责任人 text, in order."""
    return [name for name in NAME_SEPARATORS.split(text.strip()) if name]


def unit_members_by_name(subdistrict_ids: Iterable[int]) -> dict[tuple[int, str], list[User]]:
    """{(unit id, name): members} for the units' staff, leaders and admins (viewers are
    never answerable), by display name and by user name."""
    by_name: dict[tuple[int, str], list[User]] = defaultdict(list)
    members = (
        Membership.objects.filter(subdistrict_id__in=set(subdistrict_ids), user__is_active=True)
        .exclude(role=Membership.Role.VIEWER)
        .select_related("user")
    )
    for m in members:
        for name in {m.user.display_name.strip(), m.user.username}:
            if name:
                by_name[(m.subdistrict_id, name)].append(m.user)
    return by_name


def owners_from_text(
    text: str, subdistrict_id: int, by_name: dict[tuple[int, str], list[User]]
) -> list[User]:
    found: list[User] = []
    for name in responsible_names(text):
        users = by_name.get((subdistrict_id, name), [])
        if len(users) == 1 and users[0] not in found:
            found.append(users[0])
    return found


def owners_notify_assigned(*, task: Task, users: Iterable[User], by: User | None) -> int:
    """Tell the new owners (never the person who assigned themselves)."""
    sent = 0
    url = task.get_absolute_url()
    for user in users:
        if by is not None and user.pk == by.pk:
            continue
        sent += bool(
            notify(
                recipient=user,
                kind=Notification.Kind.ASSIGNED,
                title=f"您被指定为任务“{task}”的责任人",
                body=f"{task.plan}",
                url=url,
            )
        )
    return sent


@transaction.atomic
def task_owners_set(*, task: Task, users: list[User], by: User | None) -> list[User]:
    """Make exactly `users` the task's owners; the new ones are notified. Every owner must
    be a non-viewer member of the task's unit. Returns the users added."""
    allowed = {
        m.user_id
        for m in Membership.objects.filter(subdistrict_id=task.plan.subdistrict_id).exclude(
            role=Membership.Role.VIEWER
        )
    }
    users = [u for u in users if u.pk in allowed]
    current = set(task.owners.values_list("pk", flat=True))
    added = [u for u in users if u.pk not in current]
    task.owners.set(users)
    owners_notify_assigned(task=task, users=added, by=by)
    return added


@transaction.atomic
def tasks_match_owners(*, tasks: list[Task], by: User | None = None) -> int:
    """Add, to each task, the owners its 责任人 text names (see the module docstring);
    owners already set stay. Returns how many owners were added."""
    tasks = [t for t in tasks if t.responsible_person.strip()]
    if not tasks:
        return 0
    by_name = unit_members_by_name(t.plan.subdistrict_id for t in tasks)
    through = Task.owners.through
    existing = set(
        through.objects.filter(task_id__in=[t.pk for t in tasks]).values_list("task_id", "user_id")
    )
    added = 0
    for task in tasks:
        new = [
            user
            for user in owners_from_text(task.responsible_person, task.plan.subdistrict_id, by_name)
            if (task.pk, user.pk) not in existing
        ]
        if new:
            task.owners.add(*new)
            owners_notify_assigned(task=task, users=new, by=by)
            added += len(new)
    return added


def plan_match_owners(*, plan_id: int) -> int:
    """After an import: match the plan's 责任人 texts to accounts."""
    tasks = list(
        Task.objects.filter(plan_id=plan_id).exclude(responsible_person="").select_related("plan")
    )
    return tasks_match_owners(tasks=tasks)
