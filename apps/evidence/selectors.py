"""Reads of 台账 files: by task, by plan, one file within the user's scope."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from apps.evidence.models import Evidence


def _archive_queryset() -> QuerySet[Evidence]:
    # What the contents sheet prints for each file, in one query; the file rows are read in
    # chunks by the archive writer.
    return Evidence.objects.select_related("update__task", "uploaded_by").order_by(
        "update__task__path", "update__created_at", "id"
    )


def evidence_for_task(task_id: int, *, update_states: Iterable[str]) -> QuerySet[Evidence]:
    """A task's 台账: the files of its updates in `update_states`, oldest first.

    The caller (plans) names the states whose values the task holds: a file sent with an
    update still waiting for review, or returned, is not yet part of the record an
    inspection is given (it stays on the timeline beside its update)."""
    return _archive_queryset().filter(update__task_id=task_id, update__state__in=update_states)


def evidence_for_plan(plan_id: int, *, update_states: Iterable[str]) -> QuerySet[Evidence]:
    """A plan's 台账, task by task in document order (states as for `evidence_for_task`)."""
    return _archive_queryset().filter(
        update__task__plan_id=plan_id, update__state__in=update_states
    )


def evidence_for_user(user) -> QuerySet[Evidence]:
    """The files `user` may download: those of the units they see."""
    return Evidence.objects.for_user(user)
