"""The one write plans makes to 催办: an update closes the task's open ones. Sending and
escalating them is apps/supervision's."""

from __future__ import annotations

from django.utils import timezone

from apps.plans.models import TaskUpdate, Urge


def urges_close(*, task_id: int, update: TaskUpdate) -> int:
    """Close the task's open 催办 with this update (办结); returns how many."""
    return Urge.objects.filter(task_id=task_id, closed_at__isnull=True).update(
        closed_at=timezone.now(), closed_by=update
    )
