"""Writes of the 督办 loop: sending 催办, escalating the ones left unanswered, and the
weekly reminders and leaders' digest. Every message is a Notification (in-app, plus the
user's extra channels); the jobs write one key per recipient and period, so a second
run in the same period sends nothing."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Membership, User
from apps.accounts.selectors import REVIEW_ROLES, user_can_review
from apps.notifications.models import Notification
from apps.notifications.services import notify
from apps.plans.models import Task, TaskUpdate, Urge
from apps.plans.rules.urgency import URGENCY_LABELS, URGENT_DAYS
from apps.subdistricts.models import Subdistrict
from apps.supervision.selectors import OPEN, task_recipients, task_urgency_annotate

logger = logging.getLogger(__name__)

# Plans whose period ended this many days ago still get reminders (year-end reporting).
GRACE_DAYS = 90
URGE_MESSAGE_MAX = 1000


def user_can_urge(user: User, subdistrict_id: int) -> bool:
    """Who presses 催办: the unit's leaders and admins (the same people who review)."""
    return user_can_review(user, subdistrict_id)


@transaction.atomic
def urges_send(*, sender: User, task_ids: list[int], message: str, deadline: dt.date) -> list[Urge]:
    """催办 one task or a selection: one Urge per task, its answerers notified (owners,
    else the lead 科室's staff). All or nothing."""
    message = message.strip()
    if not message:
        raise ValidationError({"message": "请填写催办内容。"})
    if len(message) > URGE_MESSAGE_MAX:
        raise ValidationError({"message": f"催办内容不能超过 {URGE_MESSAGE_MAX} 字。"})
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": "反馈期限不能早于今天。"})
    tasks = list(Task.objects.filter(pk__in=task_ids).select_related("plan"))
    if not tasks or len(tasks) != len(set(task_ids)):
        raise ValidationError("请选择要催办的任务。")
    for task in tasks:
        if not user_can_urge(sender, task.plan.subdistrict_id):
            raise PermissionDenied("只有本单位的领导或管理员可以催办。")
    recipients = task_recipients(tasks)
    urges = []
    for task in tasks:
        urge = Urge.objects.create(task=task, sender=sender, message=message, deadline=deadline)
        for user in recipients[task.pk]:
            notify(
                recipient=user,
                kind=Notification.Kind.URGE,
                title=f"{sender} 催办：{task}（请于 {deadline:%Y-%m-%d} 前反馈）",
                body=message,
                url=task.get_absolute_url(),
                key=f"urge:{urge.pk}",
            )
        urges.append(urge)
    return urges


def urges_escalate(*, now: dt.datetime | None = None) -> int:
    """Tell the sender of every open 催办 whose deadline has passed (once each)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    overdue = Urge.objects.open().filter(
        deadline__lt=today, escalated_at__isnull=True, sender__isnull=False
    )
    count = 0
    for urge in overdue.select_related("task", "sender"):
        with transaction.atomic():
            notify(
                recipient=urge.sender,
                kind=Notification.Kind.ESCALATION,
                title=f"催办逾期未反馈：{urge.task}（期限 {urge.deadline:%Y-%m-%d}）",
                body=urge.message,
                url=urge.task.get_absolute_url(),
                key=f"escalation:{urge.pk}",
            )
            Urge.objects.filter(pk=urge.pk).update(escalated_at=now)
        count += 1
    logger.info("Urges escalated: %s", count)
    return count


def current_tasks(*, now: dt.datetime, subdistrict_id: int | None = None) -> list[Task]:
    """Open leaf tasks of current plans (of one unit, or all), with their urgency flags."""
    today = timezone.localdate(now)
    current_years = Q(plan__year_start__lte=today.year) & Q(
        plan__year_end__gte=(today - dt.timedelta(days=GRACE_DAYS)).year
    )
    rows = (
        Task.objects.filter(current_years, OPEN)
        .leaves()
        .select_related("plan__subdistrict", "lead_department")
    )
    if subdistrict_id is not None:
        rows = rows.filter(plan__subdistrict_id=subdistrict_id)
    return list(
        task_urgency_annotate(rows, now=now).order_by("plan__subdistrict_id", "plan_id", "path")
    )


REMINDER_TITLES = {
    Notification.Kind.STALE: f"您有 {{n}} 项任务超过 {URGENT_DAYS} 天未更新",
    Notification.Kind.DUE_SOON: f"您有 {{n}} 项任务将在 {URGENT_DAYS} 天内到期",
}
REMINDER_FLAGS = {Notification.Kind.STALE: "is_stale", Notification.Kind.DUE_SOON: "due_soon"}


def reminders_send(*, now: dt.datetime | None = None) -> dict[str, int]:
    """This week's reminders, unit by unit (a city has thousands of tasks): each answerer
    gets one notification listing their tasks not updated for URGENT_DAYS days and one
    listing those due within URGENT_DAYS days; each leader gets the unit's digest.
    Returns what was sent now."""
    now = now or timezone.now()
    year, week, _ = timezone.localdate(now).isocalendar()
    period = f"{year}-W{week:02d}"
    sent = {"stale": 0, "due_soon": 0, "digest": 0}
    for subdistrict in Subdistrict.objects.order_by("pk"):
        tasks = current_tasks(now=now, subdistrict_id=subdistrict.pk)
        recipients = task_recipients(tasks)
        per_user: dict[tuple[str, User], list[Task]] = defaultdict(list)
        for task in tasks:
            for kind, flag in REMINDER_FLAGS.items():
                if getattr(task, flag):
                    for user in recipients[task.pk]:
                        per_user[(kind, user)].append(task)
        for (kind, user), user_tasks in per_user.items():
            sent[kind] += bool(
                notify(
                    recipient=user,
                    kind=kind,
                    title=REMINDER_TITLES[kind].format(n=len(user_tasks)),
                    body="\n".join(f"· {t}（{subdistrict}）" for t in user_tasks),
                    url=reverse("supervision:my_tasks"),
                    key=f"{kind}:{period}:{subdistrict.pk}",
                )
            )
        sent["digest"] += digest_send(subdistrict=subdistrict, tasks=tasks, period=period)
    logger.info("Reminders sent: %s", sent)
    return sent


def digest_send(*, subdistrict: Subdistrict, tasks: list[Task], period: str) -> int:
    """The leaders' weekly digest of one unit: late, due soon, not updated, open 催办 and
    updates waiting for review."""
    leaders = Membership.objects.filter(
        subdistrict=subdistrict,
        role__in=REVIEW_ROLES,
        user__is_active=True,
    ).select_related("user")
    pending = TaskUpdate.objects.filter(
        state=TaskUpdate.State.PENDING, task__plan__subdistrict=subdistrict
    ).count()
    counts = {label: sum(getattr(t, flag) for t in tasks) for flag, label in URGENCY_LABELS.items()}
    counts["待审核更新"] = pending
    body = "；".join(f"{label} {n} 项" for label, n in counts.items())
    late = [t for t in tasks if t.is_late][:10]
    if late:
        body += "\n滞后任务：\n" + "\n".join(f"· {t}" for t in late)
    sent = 0
    for m in leaders:
        sent += bool(
            notify(
                recipient=m.user,
                kind=Notification.Kind.DIGEST,
                title=f"{subdistrict} 本周督办汇总",
                body=body,
                url=reverse("dashboard:overview"),
                key=f"digest:{period}:{subdistrict.pk}",
            )
        )
    return sent
