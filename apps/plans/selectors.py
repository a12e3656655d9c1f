"""Reads of plans and tasks, shaped for the pages that show them."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import connections
from django.db.models import BooleanField, F, Func, Prefetch, Q, QuerySet, Value

from apps.plans.models import (
    Indicator,
    IndicatorReading,
    Plan,
    PlanProgress,
    Task,
    TaskQuerySet,
    TaskUpdate,
)

if TYPE_CHECKING:
    from apps.accounts.models import User


def task_list_queryset() -> TaskQuerySet:
    """The task table's rows before scoping, with the joins its columns need, so that a
    page costs the same number of queries for 5 rows or 500. List views scope it in
    `ObjectListView.get_queryset`.

    Only the columns the table shows are read: a plan's `source_text` (the whole document,
    megabytes) came along with every row and made one request of many rows use gigabytes."""
    return Task.objects.select_related("plan__subdistrict", "lead_department").only(
        *TASK_LIST_COLUMNS
    )


# What the task table and its export show (tables.TaskTable) and what its cells read.
TASK_LIST_COLUMNS = (
    "number",
    "title",
    "plan__title",
    "plan__subdistrict__name",
    "lead_department__name",
    "lead_text",
    "responsible_person",
    "status",
    "percent",
    "due_date",
    "is_overdue",
    "last_update_at",
)


def task_list_for_user(user: User) -> TaskQuerySet:
    """The tasks a user may see, shaped for the task table."""
    return task_list_queryset().for_user(user)


# Shorter queries than this search titles only: a one-character query matches most task
# texts, and no index can serve it.
SEARCH_MIN_LENGTH = 2
BIGRAM_LENGTH = 2


# Separates the title from the text in the search index (migration 0012): the pairs
# across the boundary hold it, and no query does.
SEARCH_SEPARATOR = "\x02"


class _HasBigrams(Func):
    """`(plans_bigrams(UPPER(title::text || chr(2) || text)) COLLATE "C") @> ARRAY[UPPER(pair),
    ..]`: the title or the text holds pairs of consecutive characters covering the query,
    ignoring case, in the very expression (and collation) of the search index of
    migration 0012 (PostgreSQL only). Necessary for containing the query; for two
    characters, sufficient."""

    output_field = BooleanField()

    def __init__(self, query: str):
        # The pairs that cover the query (1-2, 3-4, .., and the last two characters), not
        # every pair: the rows holding them are still all those containing the query, and
        # with fewer the planner's estimate stays near the truth (with all three pairs of
        # 垃圾分类 it expected 1 row of 2,139 and joined the 街道 by a scan per row).
        pairs = sorted({query[i : i + 2] for i in range(0, len(query) - 1, 2)} | {query[-2:]})
        super().__init__(F("title"), F("text"), *(Value(pair) for pair in pairs))

    def as_sql(self, compiler, connection, **extra_context):
        title, text, *pairs = (compiler.compile(e) for e in self.source_expressions)
        array = ", ".join(f"UPPER({sql})" for sql, _ in pairs)
        return (
            f"(plans_bigrams(UPPER({title[0]}::text || chr(2) || {text[0]})) "
            f'COLLATE "C") @> ARRAY[{array}]',
            [*title[1], *text[1], *(p for _, params in pairs for p in params)],
        )


def task_search(queryset: TaskQuerySet, query: str) -> TaskQuerySet:
    """The task search of the task list and the admin alike: the words appear in the
    title or the text, ignoring case (icontains). On PostgreSQL the bigram index of
    migration 0012 serves every query of two characters or more: it gives the tasks
    whose title or text holds each pair of the query's characters, and `icontains` is
    checked on those alone (for two characters the pair is the query: no check). A
    one-character query falls back to titles only."""
    query = query.strip()
    if not query:
        return queryset
    if len(query) < SEARCH_MIN_LENGTH:
        return queryset.filter(title__icontains=query)
    contains = Q(title__icontains=query) | Q(text__icontains=query)
    if connections[queryset.db].vendor != "postgresql":
        return queryset.filter(contains)
    # Kept apart from the check, the bigram condition is exactly the index's, so that
    # PostgreSQL does not compute the bigrams again on each row found.
    found = queryset.filter(_HasBigrams(query))
    if len(query) == BIGRAM_LENGTH and SEARCH_SEPARATOR not in query:
        return found
    if query.upper() == query.lower():
        # Nothing in the query has a case (Chinese, digits): matching it as written is the
        # same test without UPPER() over each text found (a third of a 垃圾分类 search).
        return found.filter(Q(title__contains=query) | Q(text__contains=query))
    return found.filter(contains)


def tasks_not_updated_for(queryset: TaskQuerySet, *, days: int, now: dt.datetime) -> TaskQuerySet:
    """The tasks nobody has updated for `days` days (N 天未更新), for the task table's
    filter and the weekly reminders alike: the last update a person saved
    (`last_update_at`), or the import when nobody ever has, is older than that.

    Not `updated_at`: a parent's recompute and an admin edit bump it, and neither is
    somebody reporting progress."""
    return queryset.filter(not_updated_q(days=days, now=now))


def not_updated_q(*, days: int, now: dt.datetime) -> Q:
    """`tasks_not_updated_for` as a condition, for a count or a flag beside others."""
    return not_updated_since_q(now - dt.timedelta(days=days))


def not_updated_since_q(cutoff) -> Q:
    """`not_updated_q` from its cutoff (a time, or an expression giving one)."""
    return Q(last_update_at__lt=cutoff) | Q(last_update_at__isnull=True, created_at__lt=cutoff)


# --- Task detail page (detail helper) ---------------------------------------------------


def task_detail_queryset() -> TaskQuerySet:
    """The task page's object before scoping (`ObjectDetailView.get_object` scopes it).
    Without the plan's source text: the whole document (tens of KB, stored compressed),
    which the page does not show."""
    return Task.objects.select_related("plan__subdistrict", "lead_department").defer(
        "plan__source_text"
    )


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


# The task page's timeline shows this many updates, newest first, and links to the rest: a
# task updated weekly for years has hundreds, which nobody reads on one page and which cost
# the page more than everything else on it.
TIMELINE_SHOWN = 20


def with_evidence_files(updates: QuerySet[TaskUpdate]) -> QuerySet[TaskUpdate]:
    """The updates with the 台账 files attached to each as a list, `evidence_files`, which
    the pages print (apps/evidence/html.py). A list rather than `prefetch_related("evidence")`:
    that builds a related queryset per update, 4 ms for a timeline of 20 that has no files."""
    return updates.prefetch_related(Prefetch("evidence", to_attr="evidence_files"))


# What the timeline prints of an update and of the people who wrote and reviewed it
# (apps/plans/html.py): a user row is wide, and two are joined per update.
TIMELINE_FIELDS = (
    "task_id",
    "created_at",
    "changes",
    "note",
    "state",
    "reviewed_at",
    "review_comment",
    "user__username",
    "user__display_name",
    "reviewed_by__username",
    "reviewed_by__display_name",
)


def task_update_list(task: Task, *, limit: int | None = None) -> list[TaskUpdate]:
    """The task's timeline, newest first (the newest `limit`, or all), with the people who
    wrote and reviewed it and the 台账 files attached to each update."""
    rows = with_evidence_files(
        task.updates.select_related("user", "reviewed_by").only(*TIMELINE_FIELDS)
    )
    return list(rows if limit is None else rows[:limit])


# --- Reports of a plan (Excel 推进情况表, Word 通报) ---------------------------------------


def plan_progress_for(plan: Plan) -> PlanProgress:
    """The stored roll-up; a plan whose roll-up never ran shows zeros until the job does."""
    try:
        return plan.progress
    except PlanProgress.DoesNotExist:
        return PlanProgress(plan=plan)


def plan_latest_notes(plan: Plan) -> dict[int, tuple[str, dt.datetime]]:
    """{task id: (its latest non-empty note, when it was saved)} for the plan's tasks."""
    notes: dict[int, tuple[str, dt.datetime]] = {}
    for task_id, note, created_at in (
        TaskUpdate.objects.filter(task__plan=plan, state__in=TaskUpdate.EFFECTIVE_STATES)
        .exclude(note="")
        .order_by("task_id", "-created_at", "-id")
        .values_list("task_id", "note", "created_at")
    ):
        notes.setdefault(task_id, (note, created_at))
    return notes


def plan_leaf_tasks_with_health(plan: Plan, health: str) -> list[Task]:
    """The plan's leaf tasks whose stored traffic light (the roll-up's) is `health`, in
    document order, with their lead departments and sections."""
    return list(
        plan.tasks.filter(health=health)
        .leaves()
        .select_related("lead_department", "parent")
        .order_by("path")
    )


def plan_indicator_list(plan: Plan) -> list[Indicator]:
    return list(
        Indicator.objects.filter(task__plan=plan)
        .select_related("task")
        .order_by("task__path", "order", "id")
    )


def plan_activity_between(plan: Plan, start: dt.date, end: dt.date) -> dict[str, int]:
    """What people reported on the plan from `start` to `end` (both included): the saved
    updates, the tasks they concern, and the indicator readings."""
    updates = TaskUpdate.objects.filter(
        task__plan=plan,
        state__in=TaskUpdate.EFFECTIVE_STATES,
        created_at__date__gte=start,
        created_at__date__lte=end,
    )
    return {
        "updates": updates.count(),
        "tasks": updates.values("task_id").distinct().count(),
        "readings": IndicatorReading.objects.filter(
            indicator__task__plan=plan, date__gte=start, date__lte=end
        ).count(),
    }
