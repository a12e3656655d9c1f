"""Every change a person makes to a task goes through here."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.plans.models import Indicator, IndicatorReading, Task, TaskUpdate
from apps.plans.rules import timeline
from apps.plans.rules.progress import (
    NOTE_MAX_LENGTH,
    NOTE_TOO_LONG_MESSAGE,
    due_date_error,
    parent_progress,
    reading_date_error,
    task_status,
)
from apps.plans.services.owners import tasks_match_owners
from apps.plans.services.rollups import plan_rollup_schedule
from apps.plans.services.urges import urges_close

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.subdistricts.models import Department

PERCENT_RANGE_MESSAGE = "完成百分比必须在 0 到 100 之间"
DONE_NEEDS_100_MESSAGE = "状态为已完成时，完成百分比必须为 100%"
NO_CHANGES_MESSAGE = "没有需要保存的修改"
CONFLICT_MESSAGE = "该任务已被 {name} 于 {when} 修改，请核对最新内容后再保存。"

Reading = tuple[int, dt.date, Decimal]


def _conflict_error(task: Task) -> ValidationError:
    latest = (
        TaskUpdate.objects.filter(task=task, state__in=TaskUpdate.EFFECTIVE_STATES)
        .select_related("user")
        .first()
    )
    if latest is not None and latest.created_at >= task.updated_at - dt.timedelta(seconds=5):
        name = str(latest.user) if latest.user else "其他用户"
        when = latest.created_at
    else:
        # Changed outside the task page (admin, or a sub-task recomputed this percent):
        # simple-history knows who.
        record = task.history.select_related("history_user").first()
        user = record.history_user if record else None
        name = str(user) if user else "其他用户"
        when = record.history_date if record else task.updated_at
    message = CONFLICT_MESSAGE.format(
        name=name, when=timezone.localtime(when).strftime("%Y-%m-%d %H:%M")
    )
    return ValidationError(message, code="conflict")


def _validate(
    *,
    task: Task,
    status: str,
    percent: int,
    lead_department: Department | None,
    readings: list[Reading],
    due_date: dt.date | None = None,
    note: str = "",
) -> None:
    """The same rules the form checks, so that no caller can bypass them."""
    errors: dict[str, list[str]] = {}
    if due_date is not None and (
        problem := due_date_error(
            due_date, year_start=task.plan.year_start, year_end=task.plan.year_end
        )
    ):
        errors.setdefault("due_date", []).append(problem)
    if len(note) > NOTE_MAX_LENGTH:
        errors.setdefault("note", []).append(NOTE_TOO_LONG_MESSAGE)
    if lead_department is not None and lead_department.subdistrict_id != task.plan.subdistrict_id:
        errors.setdefault("lead_department", []).append("牵头科室必须属于该任务所在的单位。")
    if not 0 <= percent <= 100:
        errors.setdefault("percent", []).append(PERCENT_RANGE_MESSAGE)
    elif status == Task.Status.DONE and percent != 100:
        errors.setdefault("status", []).append(DONE_NEEDS_100_MESSAGE)
    today = timezone.localdate()
    known = {i.pk for i in task.indicators.all()}
    plan = task.plan
    for indicator_id, date, _value in readings:
        if indicator_id not in known:
            errors.setdefault("__all__", []).append("指标不属于该任务。")
        problem = reading_date_error(
            date, year_start=plan.year_start, year_end=plan.year_end, today=today
        )
        if problem:
            errors.setdefault("__all__", []).append(problem)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def task_update(
    *,
    task_id: int,
    user: User,
    version: int,
    status: str,
    percent: int | None,
    due_date: dt.date | None,
    lead_department: Department | None,
    responsible_person: str,
    note: str,
    readings: list[Reading],
    submission: TaskUpdate | None = None,
) -> TaskUpdate:
    """Save one submit of the task page as one TaskUpdate on the timeline.

    `submission`: a pending update (审核, services/reviews.py) being approved; it becomes
    the timeline entry instead of a new row.

    Optimistic locking: `version` is the version the user's form was loaded with. The row
    is locked and, if someone saved in between, the save is refused with a message naming
    who and when, so that nobody overwrites another person's update without seeing it.

    Indicator values become IndicatorReading rows (recorded by `user`) and are summarised
    in the TaskUpdate's `changes` next to the field changes ({"field", "label", "old",
    "new"}, Chinese display values).

    Status follows progress (rules/progress.py): a task above 0 % is never 未开始 (a
    typed 未开始 becomes 推进中, and the timeline says so). A task with sub-tasks takes its
    percent and status from its children (`parent_progress`), after every save and for
    each ancestor in turn: `percent` is ignored for it, and of a typed status only 滞后 or
    暂缓 stands (someone flagged the section).
    """
    task = (
        # of=("self",): PostgreSQL cannot lock the nullable side of the department join.
        Task.objects.select_for_update(of=("self",))
        .select_related("plan", "lead_department")
        .prefetch_related("indicators")
        .get(pk=task_id)
    )
    if task.version != version:
        raise _conflict_error(task)

    new_values, changes = task_proposal(
        task=task,
        status=status,
        percent=percent,
        due_date=due_date,
        lead_department=lead_department,
        responsible_person=responsible_person,
        note=note,
        readings=readings,
    )
    for field, value in new_values.items():
        setattr(task, field, value)
    indicators = {i.pk: i for i in task.indicators.all()}

    note = note.strip()
    if not changes and not note:
        raise ValidationError(NO_CHANGES_MESSAGE, code="no_changes")

    task.version += 1
    task.last_update_at = timezone.now()
    task._history_user = user
    task._change_reason = (note or "更新任务进展")[:100]
    task.save()

    IndicatorReading.objects.bulk_create(
        IndicatorReading(indicator_id=i, date=d, value=v, recorded_by=user) for i, d, v in readings
    )
    _indicators_store_latest(indicators, readings)
    if submission is None:
        update = TaskUpdate.objects.create(task=task, user=user, changes=changes, note=note)
    else:
        update = submission
        update.changes, update.note = changes, note
        update.save(update_fields=["changes", "note"])
    # 督办: an update answers the task's open 催办, and a changed 责任人 text names owners.
    urges_close(task_id=task.pk, update=update)
    if any(c.get("field") == "responsible_person" for c in changes):
        tasks_match_owners(tasks=[task], by=user)

    if task.parent_id is not None:
        task_recompute_ancestors(task_id=task.parent_id, user=user)
    # Traffic lights and plan totals follow a moment later, in a job (see rollups.py).
    plan_rollup_schedule(plan_id=task.plan_id)
    return update


def _indicators_store_latest(indicators: dict[int, Indicator], readings: list[Reading]) -> None:
    """Keep each indicator's latest value current at once, so the page the user lands on
    shows what they recorded; its traffic light follows with the plan's roll-up job."""
    changed = {}
    for indicator_id, date, value in readings:
        indicator = indicators[indicator_id]
        if indicator.latest_date is None or date >= indicator.latest_date:
            indicator.latest_date, indicator.latest_value = date, value
            changed[indicator_id] = indicator
    Indicator.objects.bulk_update(list(changed.values()), ["latest_date", "latest_value"])


@transaction.atomic
def task_recompute_ancestors(*, task_id: int, user: User | None = None) -> None:
    """Apply the roll-up rule (see `task_update`) to this task and each of its ancestors.

    A parent whose status or percent changes gets a new version, so a form opened on it
    before the change is refused rather than silently undoing it.
    """
    current_id: int | None = task_id
    while current_id is not None:
        parent = Task.objects.select_for_update().get(pk=current_id)
        children = list(parent.children.values_list("percent", "status"))
        if not children:
            return
        percent, status = parent_progress(children, parent.status)
        if (percent, status) == (parent.percent, parent.status):
            # Nothing above can change either.
            return
        parent.percent, parent.status = percent, status
        parent.version += 1
        parent._history_user = user
        parent._change_reason = "由下级任务汇总"
        parent.save()
        current_id = parent.parent_id


@transaction.atomic
def task_admin_save(*, task: Task, user: User) -> None:
    """Save an administrator's edit of a task's descriptive fields (title, text, due date,
    lead, responsible person). Status and percent are not among them: they change on the
    task page only (`task_update`). The edit gets a new version, so a task page opened
    before it refuses to overwrite it, and the plan's roll-up follows as after an update.
    (Due dates move the overdue flag and the traffic light.)"""
    if task.pk is not None:
        current = Task.objects.select_for_update().only("version").get(pk=task.pk)
        task.version = current.version + 1
    task._history_user = user
    task._change_reason = "管理后台修改"
    task.save()
    plan_rollup_schedule(plan_id=task.plan_id)


def indicator_admin_saved(*, plan_id: int) -> None:
    """An administrator changed an indicator's target or comparator: its light follows
    with the plan's roll-up."""
    plan_rollup_schedule(plan_id=plan_id)


def task_proposal(
    *,
    task: Task,
    status: str,
    percent: int | None,
    due_date: dt.date | None,
    lead_department: Department | None,
    responsible_person: str,
    note: str,
    readings: list[Reading],
) -> tuple[dict, list[dict[str, str]]]:
    """Check one submit against the task as it is now and work out the values it sets
    (the roll-up rule of `task_update`) and its timeline entries; the task is not
    changed. `task_update` applies them; a submit that waits for review
    (services/reviews.py) stores them, so both give the same messages and entries."""
    children = list(task.children.values_list("percent", "status"))
    if children:
        percent = task.percent
    _validate(
        task=task,
        status=status,
        percent=percent,
        lead_department=lead_department,
        readings=readings,
        due_date=due_date,
        note=note,
    )
    if children:
        percent, status = parent_progress(children, status)
    else:
        status = task_status(status, percent)

    new_values = {
        "status": status,
        "percent": percent,
        "due_date": due_date,
        "lead_department": lead_department,
        "responsible_person": responsible_person.strip(),
    }
    changes = timeline.task_changes({f: getattr(task, f) for f in new_values}, new_values)
    indicators = {i.pk: i for i in task.indicators.all()}
    changes += [
        timeline.reading_change(
            indicator_id=indicator_id,
            name=indicators[indicator_id].name,
            unit=indicators[indicator_id].unit,
            date=date,
            value=value,
        )
        for indicator_id, date, value in readings
    ]
    return new_values, changes
