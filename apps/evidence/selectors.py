"""Reads of 台账 files: by task, by plan, one file within the user's scope."""

from __future__ import annotations

from django.db.models import QuerySet

from apps.evidence.models import Evidence


def _archive_queryset() -> QuerySet[Evidence]:
    # What the contents sheet prints for each file, in one query; the file rows are read in
    # chunks by the archive writer.
    return Evidence.objects.select_related("update__task", "uploaded_by").order_by(
        "update__task__path", "update__created_at", "id"
    )


def evidence_for_task(task_id: int) -> QuerySet[Evidence]:
    """A task's 台账: the files of all its updates, oldest first."""
    return _archive_queryset().filter(update__task_id=task_id)


def evidence_for_plan(plan_id: int) -> QuerySet[Evidence]:
    """A plan's 台账, task by task in document order."""
    return _archive_queryset().filter(update__task__plan_id=plan_id)


def evidence_for_user(user) -> QuerySet[Evidence]:
    """The files `user` may download: those of the units they see."""
    return Evidence.objects.for_user(user)
