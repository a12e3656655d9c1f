"""The weekly 催办 (reminder) e-mails.

Who gets one: for every 街道, the leaf tasks of its current plans that are not done and
have not been updated for `STALE_DAYS` days (no update at all counts from the import).
Each such task goes to its responsible person: the 街道's members whose name or user name
equals the task's 责任人, or, when nobody matches, the staff of its lead department. Every
leader of the 街道 gets one summary of all of them. Members without an e-mail address
cannot be reminded; the summary lists their tasks all the same.

Each e-mail is recorded (Reminder, unique per recipient, 街道, kind and week) in the same
transaction as it is sent, so a second run in the same week sends nothing more.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Membership, User
from apps.plans.models import Reminder, Task
from apps.plans.selectors import tasks_not_updated_for

logger = logging.getLogger(__name__)

STALE_DAYS = 14
# Plans whose period ended this many days ago still get reminders (year-end reporting).
GRACE_DAYS = 90


def _task_url(task: Task) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("plans:task_detail", args=[task.pk])


def stale_tasks(*, now: dt.datetime) -> list[Task]:
    """The tasks to remind about (see the module docstring), oldest update first."""
    today = timezone.localdate(now)
    current_years = Q(plan__year_start__lte=today.year) & Q(
        plan__year_end__gte=(today - dt.timedelta(days=GRACE_DAYS)).year
    )
    stale = tasks_not_updated_for(Task.objects.all(), days=STALE_DAYS, now=now)
    return list(
        stale.filter(current_years, children__isnull=True)
        .exclude(status__in=[Task.Status.DONE, Task.Status.SUSPENDED])
        .select_related("plan__subdistrict", "lead_department")
        .order_by("plan__subdistrict_id", "last_update_at", "plan_id", "path")
    )


def _recipients_by_task(tasks: list[Task]) -> tuple[dict[int, list[User]], dict[int, list]]:
    """{task id: users to remind} and {subdistrict id: leader memberships}."""
    subdistrict_ids = {t.plan.subdistrict_id for t in tasks}
    members = list(
        Membership.objects.filter(subdistrict_id__in=subdistrict_ids, user__is_active=True)
        .exclude(role=Membership.Role.VIEWER)
        .select_related("user")
    )
    by_name: dict[tuple[int, str], list[User]] = defaultdict(list)
    by_department: dict[int, list[User]] = defaultdict(list)
    leaders: dict[int, list[User]] = defaultdict(list)
    for m in members:
        for name in {m.user.display_name.strip(), m.user.username}:
            if name:
                by_name[(m.subdistrict_id, name)].append(m.user)
        if m.department_id and m.role == Membership.Role.STAFF:
            by_department[m.department_id].append(m.user)
        if m.role == Membership.Role.LEADER:
            leaders[m.subdistrict_id].append(m.user)
    recipients = {}
    for task in tasks:
        named = by_name.get((task.plan.subdistrict_id, task.responsible_person.strip()), [])
        recipients[task.pk] = named or by_department.get(task.lead_department_id, [])
    return recipients, leaders


def _send_once(
    *,
    user: User,
    subdistrict_id: int,
    kind: str,
    week_start: dt.date,
    tasks: list[Task],
    subject: str,
    template: str,
    context: dict,
) -> bool:
    if not user.email:
        return False
    try:
        with transaction.atomic():
            Reminder.objects.create(
                recipient=user,
                subdistrict_id=subdistrict_id,
                kind=kind,
                week_start=week_start,
                task_ids=[t.pk for t in tasks],
            )
            body = render_to_string(template, {"user": user, "tasks": tasks, **context})
            # Inside the transaction: if sending fails, the record is rolled back and the
            # next run tries again.
            send_mail(subject, body, None, [user.email])
    except IntegrityError:
        return False  # Already sent this week.
    return True


def reminders_send(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Send this week's reminders; returns {"personal": n, "summary": n} sent now."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    week_start = today - dt.timedelta(days=today.weekday())
    tasks = stale_tasks(now=now)
    recipients, leaders = _recipients_by_task(tasks)
    for task in tasks:
        task.url = _task_url(task)
        # Names, not users: the summary joins them with |join under autoescape off, which
        # silently prints the list's repr ("[<User: …>]") when the items are not strings.
        task.reminded = [str(u) for u in recipients[task.pk] if u.email]

    sent = {"personal": 0, "summary": 0}
    by_subdistrict: dict[int, list[Task]] = defaultdict(list)
    for task in tasks:
        by_subdistrict[task.plan.subdistrict_id].append(task)
    for subdistrict_id, subdistrict_tasks in by_subdistrict.items():
        subdistrict = subdistrict_tasks[0].plan.subdistrict
        per_user: dict[User, list[Task]] = defaultdict(list)
        for task in subdistrict_tasks:
            for user in recipients[task.pk]:
                per_user[user].append(task)
        context = {"subdistrict": subdistrict, "stale_days": STALE_DAYS, "site": settings.SITE_NAME}
        for user, user_tasks in per_user.items():
            sent["personal"] += _send_once(
                user=user,
                subdistrict_id=subdistrict_id,
                kind=Reminder.Kind.PERSONAL,
                week_start=week_start,
                tasks=user_tasks,
                subject=f"【催办】{subdistrict.name}：您有 {len(user_tasks)} 项任务超过 {STALE_DAYS} 天未更新",
                template="emails/reminder_personal.txt",
                context=context,
            )
        for leader in leaders.get(subdistrict_id, []):
            sent["summary"] += _send_once(
                user=leader,
                subdistrict_id=subdistrict_id,
                kind=Reminder.Kind.SUMMARY,
                week_start=week_start,
                # Grouped by department in the e-mail.
                tasks=sorted(subdistrict_tasks, key=lambda t: (t.lead_department_id or 0, t.pk)),
                subject=f"【催办汇总】{subdistrict.name}：{len(subdistrict_tasks)} 项任务超过 {STALE_DAYS} 天未更新",
                template="emails/reminder_summary.txt",
                context=context,
            )
    logger.info("Reminders sent: %s", sent)
    return sent
