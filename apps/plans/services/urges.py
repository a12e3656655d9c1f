"""The writes plans makes to 催办: an update closes the task's open ones, a returned one
opens them again. Sending and escalating them is apps/supervision's."""

from __future__ import annotations

from django.utils import timezone

from apps.plans.models import TaskUpdate, Urge


def urges_close(*, task_id: int, update: TaskUpdate) -> int:
    """Close the task's open 催办 with this update (办结); returns how many."""
    return Urge.objects.filter(task_id=task_id, closed_at__isnull=True).update(
        closed_at=timezone.now(), closed_by=update
    )


def urges_reopen(*, updates: list[TaskUpdate]) -> int:
    """A returned update (审核) did not answer the 催办 it closed on submit: they are open
    again, on the task page and /me/, and escalate at their deadline as if unanswered."""
    return Urge.objects.filter(closed_by__in=updates).update(closed_at=None, closed_by=None)
