"""Scope in one place: the user's units, read once, narrow every scoped model alike."""

import pytest
from django.contrib.auth.models import AnonymousUser

from apps.plans.models import Indicator, Plan, Task
from apps.subdistricts.models import Department, Subdistrict
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_users_units_are_read_with_one_query_and_then_kept(
    alice, subdistrict_a, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert alice.subdistrict_ids() == {subdistrict_a.pk}
        assert alice.subdistrict_ids() == {subdistrict_a.pk}
        assert alice.can_write()
        assert alice.department_ids()


def test_every_scoped_model_shows_alice_only_her_subdistrict(alice, task_a, task_b):
    DepartmentFactory(subdistrict=task_b.plan.subdistrict, name="营商办")

    assert set(Subdistrict.objects.for_user(alice)) == {task_a.plan.subdistrict}
    assert {d.subdistrict_id for d in Department.objects.for_user(alice)} == {
        task_a.plan.subdistrict_id
    }
    assert set(Plan.objects.for_user(alice)) == {task_a.plan}
    assert {t.plan_id for t in Task.objects.for_user(alice)} == {task_a.plan_id}
    assert set(Indicator.objects.for_user(alice)) == set(task_a.indicators.all())


def test_a_superuser_sees_every_department_and_an_anonymous_user_none(task_a, task_b):
    DepartmentFactory(subdistrict=task_b.plan.subdistrict, name="营商办")
    root = UserFactory(username="root", is_superuser=True)

    assert Department.objects.for_user(root).count() == Department.objects.count() == 2
    assert not Department.objects.for_user(AnonymousUser()).exists()


def test_a_viewer_may_not_write_and_a_leader_may(dora, bob):
    assert not dora.can_write()
    assert bob.can_write()


def test_a_viewer_of_many_units_sees_exactly_those_units_through_their_memberships():
    """A city viewer's scope (more units than are written into the SQL as ids) is the
    subquery of their memberships: the same rows, whatever the number of units."""
    from apps.accounts.models import Membership
    from apps.core.querysets import INLINE_IDS_MAX
    from tests.factories import MembershipFactory, PlanFactory, TaskFactory

    viewer = UserFactory(username="city")
    seen = []
    for n in range(INLINE_IDS_MAX + 5):
        task = TaskFactory(plan=PlanFactory(subdistrict__name=f"看得见{n}街道"))
        MembershipFactory(user=viewer, subdistrict=task.plan.subdistrict, role="viewer")
        seen.append(task)
    hidden = TaskFactory(plan=PlanFactory(subdistrict__name="看不见街道"))
    assert Membership.objects.filter(user=viewer).count() == INLINE_IDS_MAX + 5

    visible = Task.objects.for_user(viewer)

    assert set(visible) == set(seen)
    assert hidden not in visible
    assert set(Subdistrict.objects.for_user(viewer)) == {t.plan.subdistrict for t in seen}
    assert "accounts_membership" in str(visible.query)
