"""Reads of plans and tasks, shaped for the pages that show them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from apps.plans.models import Indicator, Task, TaskQuerySet, TaskUpdate

if TYPE_CHECKING:
    from apps.accounts.models import User


def task_list_queryset() -> TaskQuerySet:
    """The task table's rows before scoping, with the joins its columns need, so that a
    page costs the same number of queries for 5 rows or 500. List views scope it in
    `ObjectListView.get_queryset`."""
    return Task.objects.select_related("plan__subdistrict", "lead_department")


def task_list_for_user(user: User) -> TaskQuerySet:
    """The tasks a user may see, shaped for the task table."""
    return task_list_queryset().for_user(user)


# --- Task detail page (detail helper) ---------------------------------------------------


def task_detail_queryset() -> TaskQuerySet:
    """The task page's object before scoping (`ObjectDetailView.get_object` scopes it)."""
    return Task.objects.select_related("plan__subdistrict", "lead_department")


def task_ancestors(task: Task) -> list[Task]:
    """The sections above a task, outermost first, in one query: their paths are the
    prefixes of the task's path."""
    parts = task.path.split(".")
    prefixes = [".".join(parts[:i]) for i in range(1, len(parts))]
    if not prefixes:
        return []
    return list(Task.objects.filter(plan_id=task.plan_id, path__in=prefixes).order_by("path"))


def task_children(task: Task) -> list[Task]:
    return list(task.children.order_by("path"))


def indicator_list_with_latest_reading(task: Task) -> list[Indicator]:
    """The task's indicators; `latest_value` and `latest_date` are kept on the row by
    `task_update` (None when no value has been recorded yet)."""
    return list(task.indicators.order_by("order", "id"))


def task_update_list(task: Task) -> list[TaskUpdate]:
    """The task's timeline, newest first, with the people who wrote it."""
    return list(task.updates.select_related("user"))
