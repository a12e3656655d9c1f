"""The demo's 督办 loop: the demo staff member owns some tasks, the demo leader has sent a
催办, and this week's reminders and digest are out, so that /me/ and the notification
list show something from the first login. Idempotent like the rest of demo_setup."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.plans.models import Task, Urge
from apps.plans.services import task_owners_set
from apps.supervision.services import reminders_send, urges_send

DEMO_STAFF = "jiangpu_staff"
DEMO_LEADER = "jiangpu_leader"
OWNED_TASKS = 6
URGE_MESSAGE = "请于本周五前在任务页报送最新进展和指标完成值。"


@transaction.atomic
def demo_supervision_create(*, today: dt.date | None = None) -> dict[str, int]:
    """Returns what was added now: {"owned": n, "urges": n, "reminders": n}. `today` is
    the demo's day (demo_setup --today), so the 催办 deadline and the week's reminders fit
    the made-up history."""
    today = today or timezone.localdate()
    staff = User.objects.filter(username=DEMO_STAFF).first()
    leader = User.objects.filter(username=DEMO_LEADER).first()
    if staff is None or leader is None:
        return {"owned": 0, "urges": 0, "reminders": 0}
    added = {"owned": 0, "urges": 0}
    if not Task.objects.filter(owners=staff).exists():
        tasks = list(
            Task.objects.filter(
                plan__subdistrict__name="江浦路街道",
                plan__is_review=False,
                lead_department_id__in=staff.department_ids(),
            )
            .leaves()
            .exclude(status=Task.Status.DONE)
            .select_related("plan")
            .order_by("-plan__year_start", "plan_id", "path")[:OWNED_TASKS]
        )
        for task in tasks:
            task_owners_set(task=task, users=[staff], by=leader)
        added["owned"] = len(tasks)
    if not Urge.objects.filter(sender=leader).exists():
        first = Task.objects.filter(owners=staff).order_by("plan_id", "path").first()
        if first is not None:
            deadline = max(today, timezone.localdate()) + dt.timedelta(days=3)
            urges_send(sender=leader, task_ids=[first.pk], message=URGE_MESSAGE, deadline=deadline)
            added["urges"] = 1
    morning = timezone.make_aware(dt.datetime.combine(today, dt.time(8, 30)))
    sent = reminders_send(now=min(morning, timezone.now()))
    return {**added, "reminders": sum(sent.values())}
