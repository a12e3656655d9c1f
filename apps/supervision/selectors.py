"""Reads of the 督办 loop: my tasks by urgency, who answers for a task, open 催办, the
review queue, and the counts in the navigation bar."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING

from django.db.models import (
    BooleanField,
    Case,
    DateField,
    DateTimeField,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.accounts.models import Membership, User
from apps.accounts.selectors import review_subdistrict_ids
from apps.core.statements import Prepared, Slot
from apps.notifications.models import Notification
from apps.plans.models import Task, TaskUpdate, Urge
from apps.plans.rules.timeline import compare_with_now
from apps.plans.rules.urgency import URGENCY_LABELS, URGENT_DAYS, urgency_reasons
from apps.plans.rules.vocabulary import Health, Status
from apps.plans.selectors import not_updated_since_q, with_evidence_files

if TYPE_CHECKING:
    from collections.abc import Iterable

# What /me/ shows at most of the 科室's tasks (a big 科室 has hundreds).
DEPARTMENT_LIMIT = 100
OPEN = ~Q(status__in=[Status.DONE, Status.SUSPENDED])


def urgency_moments(*, now: dt.datetime) -> dict[str, dt.date | dt.datetime]:
    """The dates the urgency rules compare with at `now`: today, the end of the "due soon"
    window and the "not updated since" cutoff."""
    today = timezone.localdate(now)
    return {
        "today": today,
        "soon": today + dt.timedelta(days=URGENT_DAYS),
        "stale_before": now - dt.timedelta(days=URGENT_DAYS),
    }


def urgency_conditions(*, now: dt.datetime) -> dict[str, Q]:
    """The four reasons a task is urgent (rules/urgency.py) as SQL conditions on a task,
    by flag: the one statement of them that the annotations and the counts both use."""
    return urgency_conditions_at(**urgency_moments(now=now))


def urgency_conditions_at(*, today, soon, stale_before) -> dict[str, Q]:
    """`urgency_conditions` from its moments, values or expressions standing for them
    (the navigation's prepared count, `nav_counts`)."""
    return {
        "is_late": Q(status=Status.DELAYED) | Q(health=Health.OFF_TRACK) | Q(is_overdue=True),
        "due_soon": Q(due_date__gte=today, due_date__lte=soon),
        "is_stale": not_updated_since_q(stale_before),
        "has_open_urge": Q(Exists(Urge.objects.open().filter(task_id=OuterRef("pk")))),
    }


def task_urgency_annotate(queryset: QuerySet[Task], *, now: dt.datetime) -> QuerySet[Task]:
    """Annotate the four reasons a task is urgent, in SQL, so that lists sort by them and
    show them (`urgency_reasons`)."""
    return queryset.annotate(
        **{
            flag: Case(
                When(condition, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
            for flag, condition in urgency_conditions(now=now).items()
        }
    )


# Most urgent first (the rule's order of reasons), then by due date and document order.
URGENCY_ORDER = [*(f"-{flag}" for flag in URGENCY_LABELS), "due_date", "plan_id", "path"]


def my_tasks(user: User, *, now: dt.datetime | None = None) -> dict[str, list[Task]]:
    """ "我的任务": {"mine": tasks I own, "department": my 科室's other tasks}, open ones,
    most urgent first."""
    now = now or timezone.now()
    base = task_urgency_annotate(
        Task.objects.for_user(user)
        .filter(OPEN)
        .select_related("plan__subdistrict", "lead_department"),
        now=now,
    ).order_by(*URGENCY_ORDER)
    mine = list(base.filter(owners=user))
    department_ids = user.department_ids()
    department = []
    if department_ids:
        department = list(
            base.filter(lead_department_id__in=department_ids).exclude(owners=user)[
                :DEPARTMENT_LIMIT
            ]
        )
    for task in [*mine, *department]:
        task.reasons = urgency_reasons(task)
    return {"mine": mine, "department": department}


def task_recipients(tasks: Iterable[Task]) -> dict[int, list[User]]:
    """{task id: who answers for it}: its owners, or, when it has none, the staff of its
    lead 科室. The one rule for 催办 and the reminders."""
    tasks = list(tasks)
    owners: dict[int, list[User]] = defaultdict(list)
    through = Task.owners.through
    for row in through.objects.filter(
        task_id__in=[t.pk for t in tasks], user__is_active=True
    ).select_related("user"):
        owners[row.task_id].append(row.user)
    department_ids = {t.lead_department_id for t in tasks if t.lead_department_id}
    staff: dict[int, list[User]] = defaultdict(list)
    for m in Membership.objects.filter(
        department_id__in=department_ids, role=Membership.Role.STAFF, user__is_active=True
    ).select_related("user"):
        staff[m.department_id].append(m.user)
    return {t.pk: owners.get(t.pk) or staff.get(t.lead_department_id, []) for t in tasks}


def urges_open_for_plan(plan_id: int) -> list[Urge]:
    """The plan page's list of open 催办."""
    return list(
        Urge.objects.open()
        .filter(task__plan_id=plan_id)
        .select_related("task", "sender")
        .order_by("deadline", "pk")
    )


def task_urges(task: Task) -> list[Urge]:
    return list(task.urges.select_related("sender", "closed_by__user"))


def task_pending_updates(task: Task) -> list[TaskUpdate]:
    """The task's pending updates with their 台账 files (the reviewer judges them
    together), each with its changes beside the task as it is now (`compare`)."""
    updates = list(
        with_evidence_files(
            task.updates.filter(state=TaskUpdate.State.PENDING).select_related("user")
        )
    )
    for update in updates:
        update.compare = compare_with_now(update.changes, task)
    return updates


def review_queue(user: User) -> QuerySet[TaskUpdate]:
    """Pending updates of the units the user reviews, oldest first."""
    return (
        pending_updates_of(review_subdistrict_ids(user))
        .select_related("task__plan__subdistrict", "user")
        .order_by("created_at", "pk")
    )


def pending_updates_of(subdistrict_ids: Iterable[int] | None) -> QuerySet[TaskUpdate]:
    """The pending updates of these units (None: of all): a reviewer's queue."""
    rows = TaskUpdate.objects.filter(state=TaskUpdate.State.PENDING)
    if subdistrict_ids is not None:
        rows = rows.filter(task__plan__subdistrict_id__in=subdistrict_ids)
    return rows


def review_queue_rows(user: User, *, limit: int) -> list[TaskUpdate]:
    """The queue's first `limit` rows with the 台账 files sent with each update."""
    return list(with_evidence_files(review_queue(user))[:limit])


def count_of(queryset: QuerySet) -> Subquery:
    """A queryset's row count as a scalar subquery."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted.values("n")[:1]), 0)


def _nav_counts_queryset(*, reviews: tuple[int, ...] | bool | None) -> QuerySet[User]:
    """The navigation's counts for the user `Slot("user")` at the moments of
    `urgency_moments` (slots too): unread notifications, my urgent open tasks and, unless
    `reviews` is False, the review queue of the units `reviews` (None: all)."""
    moments = {
        "today": Slot("today", DateField()),
        "soon": Slot("soon", DateField()),
        "stale_before": Slot("stale_before", DateTimeField()),
    }
    urgent = reduce(or_, urgency_conditions_at(**moments).values())
    subqueries = {
        "unread": count_of(
            Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        ),
        "urgent": count_of(Task.objects.filter(OPEN, urgent, owners=OuterRef("pk"))),
    }
    if reviews is not False:
        subqueries["reviews"] = count_of(pending_updates_of(reviews))
    return (
        User.objects.filter(pk=Slot("user", User._meta.pk))
        .annotate(**subqueries)
        .values(*subqueries)
    )


NAV_COUNTS = Prepared(_nav_counts_queryset)


def nav_counts(user: User, *, now: dt.datetime | None = None) -> dict[str, int]:
    """The navigation bar's numbers, in one query on every page: unread notifications,
    my own open tasks that are urgent (the /me/ rules) and, for reviewers, the queue.

    The statement is built once per process for each review scope (`NAV_COUNTS`, a
    `core.statements.Prepared`) and run with the user and today's moments: on every
    page, Django building it cost several times what running it does. The review count
    is asked for only from those who review (leaders and admins). The urgent count is
    asked for from everyone, viewers included: a member made a viewer keeps the tasks
    they owned, and /me/ and the reminders still count them."""
    now = now or timezone.now()
    counts = {"unread": 0, "urgent": 0, "reviews": 0}
    ids = review_subdistrict_ids(user)
    reviews = None if ids is None else (tuple(sorted(ids)) if ids else False)
    found = NAV_COUNTS.rows(
        {"reviews": reviews},
        {"user": user.pk, **urgency_moments(now=now)},
        using=User.objects.db,
    )
    return {**counts, **(found[0] if found else {}), "can_review": ids is None or bool(ids)}


def unit_members(subdistrict_id: int) -> QuerySet[User]:
    """Who may be a task's owner: the unit's staff, leaders and admins."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__in=Membership.objects.filter(
                subdistrict_id=subdistrict_id, role__in=Membership.WRITE_ROLES
            ),
        )
        .order_by("display_name", "username")
        .distinct()
    )
