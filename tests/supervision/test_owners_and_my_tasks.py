import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.imports.assignments import tasks_assign
from apps.notifications.models import Notification
from apps.plans.models import Task
from apps.plans.services import plan_match_owners
from apps.supervision.selectors import my_tasks, nav_counts
from tests.factories import MembershipFactory, TaskFactory, UrgeFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_bulk_assignment_matches_the_names_to_accounts_and_tells_them(bob, alice, task_a):
    tasks_assign(user=bob, task_ids=[task_a.pk], responsible_person="Alice、王某")

    assert list(task_a.owners.all()) == [alice]
    assert Notification.objects.get(kind=Notification.Kind.ASSIGNED).recipient == alice


def test_a_name_shared_by_two_members_stays_text_only(bob, alice, task_a, subdistrict_a):
    twin = UserFactory(username="alice2", display_name="Alice")
    MembershipFactory(user=twin, subdistrict=subdistrict_a)

    tasks_assign(user=bob, task_ids=[task_a.pk], responsible_person="Alice")

    assert not task_a.owners.exists()


def test_another_units_member_or_a_viewer_is_never_matched(bob, charlie, dora, task_a):
    tasks_assign(user=bob, task_ids=[task_a.pk], responsible_person="Charlie、Dora")

    assert not task_a.owners.exists()


def test_an_import_matches_the_responsible_people_of_its_plan(alice, task_a):
    Task.objects.filter(pk=task_a.pk).update(responsible_person="alice")

    assert plan_match_owners(plan_id=task_a.plan_id) == 1
    assert list(task_a.owners.all()) == [alice]


def test_the_leader_sets_owners_on_the_task_page(client, bob, alice, task_a):
    client.force_login(bob)

    client.post(reverse("supervision:task_owners", args=[task_a.pk]), {"owners": [alice.pk]})

    assert list(task_a.owners.all()) == [alice]
    page = client.get(reverse("plans:task_detail", args=[task_a.pk])).content.decode()
    assert 'class="owner">Alice<' in page


def test_my_tasks_lists_mine_first_then_my_departments_most_urgent_first(alice, task_a, plan_a):
    today = timezone.localdate()
    calm = TaskFactory(plan=plan_a, title="从容", due_date=today + dt.timedelta(days=60))
    late = TaskFactory(plan=plan_a, title="滞后的", status="delayed")
    urged = TaskFactory(plan=plan_a, title="被催办的", due_date=today + dt.timedelta(days=60))
    UrgeFactory(task=urged)
    for task in (calm, late, urged):
        task.owners.add(alice)
    Task.objects.filter(pk__in=[calm.pk, urged.pk]).update(last_update_at=timezone.now())
    Task.objects.filter(pk=task_a.pk).update(last_update_at=timezone.now())

    mine = my_tasks(alice)

    assert [t.title for t in mine["mine"]] == ["滞后的", "被催办的", "从容"]
    assert mine["mine"][1].reasons == ["催办未办结"]
    assert mine["mine"][2].reasons == []
    assert [t.title for t in mine["department"]] == [task_a.title]


def test_the_navigation_counts_my_urgent_tasks(client, alice, task_a):
    task_a.owners.add(alice)
    UrgeFactory(task=task_a)

    assert nav_counts(alice)["urgent"] == 1
    client.force_login(alice)
    page = client.get(reverse("supervision:my_tasks")).content.decode()
    assert 'data-count="urgent" title="需要关注的任务">1<' in page
    assert task_a.title in page


def test_the_navigation_counts_as_of_each_moment_asked(alice, task_a):
    now = timezone.now()
    # Updated today and due in three weeks: urgent only once the due date is near, and
    # again, for want of an update, two weeks after the last one.
    Task.objects.filter(pk=task_a.pk).update(
        due_date=timezone.localdate(now) + dt.timedelta(days=21), last_update_at=now
    )
    task_a.owners.add(alice)

    counts = [nav_counts(alice, now=now + dt.timedelta(days=d))["urgent"] for d in (0, 6, 8, 0)]

    assert counts == [0, 0, 1, 0]
    # /me/ gives the same task a reason at the same moments.
    mine = [my_tasks(alice, now=now + dt.timedelta(days=d))["mine"] for d in (6, 8)]
    assert [bool(tasks[0].reasons) for tasks in mine] == [False, True]


def test_a_member_made_a_viewer_still_sees_the_urgent_tasks_they_own(alice, task_a):
    task_a.owners.add(alice)
    UrgeFactory(task=task_a)
    alice.memberships.update(role="viewer", department=None)
    alice = type(alice).objects.get(pk=alice.pk)

    assert not alice.can_write()
    assert nav_counts(alice)["urgent"] == len(my_tasks(alice)["mine"]) == 1


def test_done_tasks_leave_my_list(alice, task_a):
    task_a.owners.add(alice)
    Task.objects.filter(pk=task_a.pk).update(status="done", percent=100)

    assert my_tasks(alice)["mine"] == []


def test_my_tasks_page_explains_its_order_in_the_urgency_rules_words(client, alice, monkeypatch):
    from apps.plans.rules.urgency import URGENCY_LABELS

    monkeypatch.setitem(URGENCY_LABELS, "due_soon", "即将到期")
    client.force_login(alice)

    page = client.get(reverse("supervision:my_tasks")).content.decode()

    assert "按紧急程度排列：滞后、催办未办结、即将到期、14 天未更新。" in page
