import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError

from apps.plans.models import Task
from tests.factories import (
    DepartmentFactory,
    IndicatorFactory,
    IndicatorReadingFactory,
    MembershipFactory,
    PlanFactory,
    SubdistrictFactory,
    TaskFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_it_rejects_a_percent_above_100():
    with pytest.raises(IntegrityError):
        TaskFactory(percent=101)


def test_it_accepts_a_percent_of_100():
    assert TaskFactory(percent=100).percent == 100


def test_it_rejects_a_plan_that_ends_before_it_starts():
    with pytest.raises(IntegrityError):
        PlanFactory(year_start=2025, year_end=2022)


def test_it_rejects_importing_the_same_text_for_the_same_years_twice():
    plan = PlanFactory()

    with pytest.raises(IntegrityError):
        PlanFactory(source_text=plan.source_text, subdistrict=plan.subdistrict)


def test_it_rejects_two_tasks_at_the_same_path_of_a_plan():
    task = TaskFactory(order=1)

    with pytest.raises(IntegrityError):
        TaskFactory(plan=task.plan, order=1)


def test_it_orders_tasks_in_document_order():
    plan = PlanFactory()
    second = TaskFactory(plan=plan, order=2)
    first = TaskFactory(plan=plan, order=1)
    child = TaskFactory(parent=first, order=1)

    assert list(plan.tasks.all()) == [first, child, second]
    assert child.path == "0001.0001"
    assert child.depth == 1


def test_a_user_is_shown_by_display_name():
    assert str(UserFactory(username="alice", display_name="王丽")) == "王丽"


def test_a_user_without_display_name_is_shown_by_username():
    assert str(UserFactory(username="bob", display_name="")) == "bob"


def test_a_membership_is_shown_with_user_subdistrict_and_role():
    membership = MembershipFactory(
        user=UserFactory(display_name="王丽"),
        subdistrict=SubdistrictFactory(name="江浦路街道"),
        role="leader",
    )

    assert str(membership) == "王丽 · 江浦路街道 · 单位领导"


def test_a_subdistrict_is_shown_by_name():
    assert str(SubdistrictFactory(name="塘桥街道")) == "塘桥街道"


def test_a_department_is_shown_with_its_subdistrict():
    department = DepartmentFactory(subdistrict=SubdistrictFactory(name="塘桥街道"), name="党政办")

    assert str(department) == "塘桥街道 · 党政办"


def test_a_plan_is_shown_by_title():
    assert str(PlanFactory(title="江浦路街道2023年工作要点")) == "江浦路街道2023年工作要点"


def test_a_task_is_shown_with_its_number():
    assert str(TaskFactory(number="(一)", title="优化经济质效")) == "(一) 优化经济质效"


def test_an_indicator_is_shown_as_a_target():
    indicator = IndicatorFactory(
        name="新增就业岗位", comparator="gte", target_value=Decimal("1200"), unit="个"
    )

    assert str(indicator) == "新增就业岗位不少于1200个"


def test_a_reading_is_shown_with_its_date_and_value():
    reading = IndicatorReadingFactory(
        indicator=IndicatorFactory(name="走访企业"), date=dt.date(2024, 12, 31), value="4.60"
    )
    reading.refresh_from_db()

    assert str(reading) == "走访企业 2024-12-31：4.6"


@pytest.mark.django_db
def test_a_task_links_to_its_page_the_one_way_every_notification_and_redirect_does():
    from django.urls import reverse

    task = TaskFactory()

    assert task.get_absolute_url() == reverse("plans:task_detail", args=[task.pk])


def test_leaves_are_the_tasks_with_nothing_below_them_archived_rows_included():
    section = TaskFactory()
    item = TaskFactory(parent=section)
    emptied = TaskFactory(plan=section.plan)
    TaskFactory(parent=emptied, archived_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))

    leaves = set(Task.objects.filter(plan=section.plan).leaves())

    assert leaves == {item}
