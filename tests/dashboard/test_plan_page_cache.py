"""The plan page keeps its drawn parts (sections, late tasks, indicators, snapshots,
figures) until the plan changes (`selectors.plan_page_stamp`): what users notice is that
it is never stale, whatever changed."""

import datetime as dt

import pytest
from django.urls import reverse

from apps.plans.models import Task
from apps.plans.services import plan_rollup
from apps.plans.services.snapshots import snapshot_take
from tests.factories import IndicatorFactory, PlanFactory, TaskFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 30)


@pytest.fixture
def plan(subdistrict_a):
    plan = PlanFactory(subdistrict=subdistrict_a, year_start=2026, title="江浦路街道要点")
    section = TaskFactory(plan=plan, order=1, title="板块一")
    for n in range(3):
        TaskFactory(plan=plan, parent=section, order=n + 1, title=f"任务{n}", percent=0)
    plan_rollup(plan_id=plan.pk, today=TODAY)
    return plan


def _page(client, plan) -> str:
    return client.get(reverse("dashboard:plan_detail", args=[plan.pk])).content.decode()


def test_a_recomputed_rollup_shows_on_the_next_load(client, bob, plan):
    client.force_login(bob)
    assert "滞后和预警的任务（3 项）" in _page(client, plan)

    Task.objects.filter(plan=plan, parent__isnull=False).update(
        status=Task.Status.DONE, percent=100
    )
    plan_rollup(plan_id=plan.pk, today=TODAY)
    page = _page(client, plan)

    assert "滞后和预警的任务（0 项）" in page
    assert "没有滞后或预警的任务。" in page


def test_a_task_renamed_without_a_rollup_shows_on_the_next_load(client, bob, plan):
    client.force_login(bob)
    assert "板块一" in _page(client, plan)

    section = Task.objects.get(plan=plan, parent__isnull=True)
    section.title = "板块一（改）"
    section.save()

    assert "板块一（改）" in _page(client, plan)


def test_a_new_indicator_and_a_new_snapshot_show_on_the_next_load(client, bob, plan):
    client.force_login(bob)
    page = _page(client, plan)
    assert "暂无快照" in page
    assert "没有量化指标" in page

    snapshot_take(day=dt.date(2026, 6, 1), plan_ids=[plan.pk])
    IndicatorFactory(task=Task.objects.filter(plan=plan, parent__isnull=False).first())
    plan_rollup(plan_id=plan.pk, today=TODAY)
    page = _page(client, plan)

    assert "每日快照数据（1 天）" in page
    assert "指标（1 项）" in page


def test_two_plans_never_show_each_others_parts(client, bob, plan, subdistrict_a):
    other = PlanFactory(subdistrict=subdistrict_a, year_start=2026, title="另一份计划")
    TaskFactory(plan=other, order=1, title="另一个板块")
    plan_rollup(plan_id=other.pk, today=TODAY)
    client.force_login(bob)

    assert "另一个板块" not in _page(client, plan)
    assert "另一个板块" in _page(client, other)
    assert "板块一" not in _page(client, other)
