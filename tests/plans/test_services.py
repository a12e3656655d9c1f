import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.plans.models import IndicatorReading, Task, TaskUpdate
from apps.plans.services import task_update
from tests.factories import DepartmentFactory, TaskFactory

pytestmark = pytest.mark.django_db


def _update(task, user, **overrides):
    kwargs = {
        "task_id": task.pk,
        "user": user,
        "version": task.version,
        "status": task.status,
        "percent": task.percent,
        "due_date": task.due_date,
        "lead_department": task.lead_department,
        "responsible_person": task.responsible_person,
        "note": "",
        "readings": [],
    }
    kwargs.update(overrides)
    return task_update(**kwargs)


def test_it_records_the_changes_the_readings_and_bumps_the_version(task_a, alice):
    indicator = task_a.indicators.get()
    day = dt.date(2023, 6, 30)  # a day of the plan's year

    update = _update(
        task_a,
        alice,
        status=Task.Status.IN_PROGRESS,
        percent=40,
        note="已走访80家",
        readings=[(indicator.pk, day, Decimal("80"))],
    )

    task_a.refresh_from_db()
    assert (task_a.status, task_a.percent, task_a.version) == ("in_progress", 40, 2)
    assert update.user == alice
    assert update.note == "已走访80家"
    assert {"field": "status", "label": "状态", "old": "未开始", "new": "推进中"} in update.changes
    assert {"field": "percent", "label": "完成百分比", "old": "0%", "new": "40%"} in update.changes
    assert any(c["new"] == f"80家次（{day.isoformat()}）" for c in update.changes)
    reading = IndicatorReading.objects.get()
    assert (reading.indicator, reading.value, reading.date) == (indicator, 80, day)
    assert reading.recorded_by == alice


def test_it_records_who_changed_the_task_in_its_history(task_a, alice):
    _update(task_a, alice, percent=10, note="开始走访")

    record = task_a.history.first()
    assert record.history_user == alice
    assert record.history_change_reason == "开始走访"


def test_it_refuses_a_stale_version_naming_who_saved_in_between(task_a, alice, bob):
    _update(task_a, bob, percent=30)
    saved_at = timezone.localtime(TaskUpdate.objects.get().created_at)

    with pytest.raises(ValidationError) as excinfo:
        _update(task_a, alice, version=1, percent=50, note="我的进展")

    assert excinfo.value.messages == [
        f"该任务已被 Bob 于 {saved_at:%Y-%m-%d %H:%M} 修改，请核对最新内容后再保存。"
    ]
    task_a.refresh_from_db()
    assert (task_a.percent, task_a.version) == (30, 2)
    assert TaskUpdate.objects.count() == 1


def test_it_refuses_a_submit_that_changes_nothing(task_a, alice):
    with pytest.raises(ValidationError, match="没有需要保存的修改"):
        _update(task_a, alice)

    assert not TaskUpdate.objects.exists()
    task_a.refresh_from_db()
    assert task_a.version == 1


def test_a_note_alone_is_worth_saving(task_a, alice):
    update = _update(task_a, alice, note="本周无新进展")

    assert update.changes == []


@pytest.mark.parametrize(
    ("status", "percent", "message"),
    [
        ("in_progress", 101, "完成百分比必须在 0 到 100 之间"),
        ("done", 80, "状态为已完成时，完成百分比必须为 100%"),
    ],
)
def test_it_rejects_an_inconsistent_status_or_percent(task_a, alice, status, percent, message):
    with pytest.raises(ValidationError, match=message):
        _update(task_a, alice, status=status, percent=percent)


def test_it_rejects_a_reading_dated_in_the_future(task_a, alice):
    indicator = task_a.indicators.get()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    with pytest.raises(ValidationError, match="日期不能晚于今天"):
        _update(task_a, alice, readings=[(indicator.pk, tomorrow, Decimal(1))])

    assert not IndicatorReading.objects.exists()


def test_it_rejects_a_lead_department_of_another_subdistrict(task_a, alice, subdistrict_b):
    other = DepartmentFactory(subdistrict=subdistrict_b)

    with pytest.raises(ValidationError, match="牵头科室必须属于该任务所在的单位"):
        _update(task_a, alice, lead_department=other)


def test_a_parent_percent_is_the_rounded_mean_of_its_children(alice):
    parent = TaskFactory()
    first = TaskFactory(parent=parent, percent=0)
    TaskFactory(parent=parent, percent=50)

    _update(first, alice, percent=25)

    parent.refresh_from_db()
    # (25 + 50) / 2 = 37.5, rounded half up.
    assert parent.percent == 38
    assert parent.version == 2
    assert parent.history.first().history_user == alice


def test_the_roll_up_reaches_every_ancestor(alice):
    root = TaskFactory()
    section = TaskFactory(parent=root)
    TaskFactory(parent=root, percent=100, status=Task.Status.DONE)
    leaf = TaskFactory(parent=section)

    _update(leaf, alice, status=Task.Status.DONE, percent=100)

    section.refresh_from_db()
    root.refresh_from_db()
    assert (section.percent, section.status) == (100, "done")
    assert (root.percent, root.status) == (100, "done")


def test_a_done_parent_goes_back_to_in_progress_when_a_child_is_reopened(alice):
    parent = TaskFactory(percent=100, status=Task.Status.DONE)
    child = TaskFactory(parent=parent, percent=100, status=Task.Status.DONE)

    _update(child, alice, status=Task.Status.IN_PROGRESS, percent=90)

    parent.refresh_from_db()
    assert (parent.percent, parent.status) == (90, "in_progress")


def test_it_ignores_a_typed_percent_for_a_parent(alice):
    parent = TaskFactory(percent=20)
    TaskFactory(parent=parent, percent=20)

    _update(parent, alice, percent=99, note="汇总")

    parent.refresh_from_db()
    assert parent.percent == 20


def test_a_stale_parent_form_names_who_changed_it_through_a_child(alice, bob):
    parent = TaskFactory()
    child = TaskFactory(parent=parent)
    _update(child, bob, percent=60)

    with pytest.raises(ValidationError, match="该任务已被 Bob 于"):
        _update(parent, alice, version=1, note="上级任务进展")
