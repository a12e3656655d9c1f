import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.notifications.models import Notification
from apps.plans.models import Urge
from apps.supervision.services import urges_escalate, urges_send
from tests.factories import MembershipFactory, UrgeFactory, UserFactory, update_task

pytestmark = pytest.mark.django_db

SOON = timezone.localdate() + dt.timedelta(days=3)


def test_an_urge_goes_to_the_tasks_owners(bob, alice, task_a, department_a, subdistrict_a):
    colleague = UserFactory(username="colleague")
    MembershipFactory(user=colleague, subdistrict=subdistrict_a, department=department_a)
    task_a.owners.add(alice)

    urges_send(sender=bob, task_ids=[task_a.pk], message="请周五前报送", deadline=SOON)

    sent = Notification.objects.filter(kind=Notification.Kind.URGE)
    assert [n.recipient for n in sent] == [alice]
    assert sent[0].body == "请周五前报送"
    assert sent[0].url == reverse("plans:task_detail", args=[task_a.pk])


def test_without_owners_the_lead_departments_staff_are_urged(bob, alice, task_a):
    urges_send(sender=bob, task_ids=[task_a.pk], message="请报送", deadline=SOON)

    assert Notification.objects.get(kind=Notification.Kind.URGE).recipient == alice


def test_staff_and_viewers_cannot_urge(alice, dora, task_a):
    for user in (alice, dora):
        with pytest.raises(PermissionDenied):
            urges_send(sender=user, task_ids=[task_a.pk], message="催", deadline=SOON)
    assert not Urge.objects.exists()


def test_an_urge_needs_a_message_and_a_deadline_not_in_the_past(bob, task_a):
    with pytest.raises(ValidationError):
        urges_send(sender=bob, task_ids=[task_a.pk], message=" ", deadline=SOON)
    with pytest.raises(ValidationError):
        urges_send(
            sender=bob,
            task_ids=[task_a.pk],
            message="催",
            deadline=timezone.localdate() - dt.timedelta(days=1),
        )


def test_an_update_closes_the_open_urge(bob, alice, task_a):
    (urge,) = urges_send(sender=bob, task_ids=[task_a.pk], message="请报送", deadline=SOON)

    update = update_task(task_a, alice, note="已走访 20 家")

    urge.refresh_from_db()
    assert urge.closed_at is not None and urge.closed_by == update


def test_an_unanswered_urge_is_escalated_to_its_sender_once(bob, alice, task_a):
    (urge,) = urges_send(sender=bob, task_ids=[task_a.pk], message="请报送", deadline=SOON)
    later = timezone.now() + dt.timedelta(days=4)

    assert urges_escalate(now=timezone.now()) == 0
    assert urges_escalate(now=later) == 1
    assert urges_escalate(now=later) == 0

    escalation = Notification.objects.get(kind=Notification.Kind.ESCALATION)
    assert escalation.recipient == bob
    urge.refresh_from_db()
    assert urge.escalated_at is not None


def test_an_answered_urge_is_not_escalated(bob, alice, task_a):
    urges_send(sender=bob, task_ids=[task_a.pk], message="请报送", deadline=SOON)
    update_task(task_a, alice, note="已报送")

    assert urges_escalate(now=timezone.now() + dt.timedelta(days=10)) == 0


def test_the_leader_urges_from_the_task_page_and_it_shows_on_the_timeline(client, bob, task_a):
    client.force_login(bob)
    url = reverse("plans:task_detail", args=[task_a.pk])

    response = client.post(
        reverse("supervision:task_urge_one", args=[task_a.pk]),
        {"message": "请尽快推进招商", "deadline": SOON.isoformat()},
    )

    assert response["Location"] == url
    page = client.get(url).content.decode()
    assert "请尽快推进招商" in page and "未办结" in page


def test_a_selection_of_tasks_is_urged_at_once(client, bob, alice, task_a, plan_a):
    from tests.factories import TaskFactory

    other = TaskFactory(plan=plan_a, title="第二项", lead_department=task_a.lead_department)
    client.force_login(bob)

    client.post(
        reverse("supervision:task_urge"),
        {"tasks": [task_a.pk, other.pk], "message": "本周内报送", "deadline": SOON.isoformat()},
    )

    assert set(Urge.objects.values_list("task_id", flat=True)) == {task_a.pk, other.pk}
    assert Notification.objects.filter(recipient=alice, kind="urge").count() == 2


@pytest.mark.parametrize(("persona", "status"), [("alice", 403), ("dora", 403), ("charlie", 404)])
def test_only_the_units_leaders_urge_from_the_page(client, request, task_a, persona, status):
    """Staff and viewers are refused; another unit's member does not find the task."""
    client.force_login(request.getfixturevalue(persona))

    response = client.post(
        reverse("supervision:task_urge_one", args=[task_a.pk]),
        {"message": "催", "deadline": SOON.isoformat()},
    )

    assert response.status_code == status
    assert not Urge.objects.exists()


def test_the_plan_page_lists_open_urges(client, bob, task_a):
    UrgeFactory(task=task_a, sender=bob, message="催一下")
    UrgeFactory(task=task_a, sender=bob, closed_at=timezone.now())
    client.force_login(bob)

    page = client.get(reverse("dashboard:plan_detail", args=[task_a.plan_id])).content.decode()

    assert "未办结的催办（1）" in page


def test_a_past_deadline_is_refused_on_the_bulk_page_with_the_services_message(client, bob, task_a):
    client.force_login(bob)
    past = (timezone.localdate() - dt.timedelta(days=1)).isoformat()

    response = client.post(
        reverse("supervision:task_urge"),
        {"tasks": [task_a.pk], "message": "催", "deadline": past},
    )

    assert response.status_code == 400
    assert "反馈期限不能早于今天。" in response.content.decode()
    assert not Urge.objects.exists()


def test_the_urge_deadline_is_typed_as_the_update_forms_dates_are(client, bob, task_a):
    client.force_login(bob)
    url = reverse("plans:task_detail", args=[task_a.pk])
    page = client.get(url).content.decode()
    urge_form = page.split('class="urge-form"', 1)[1].split("</form>", 1)[0]
    assert 'type="date"' not in urge_form and 'placeholder="如 2026-12-02"' in urge_form
    deadline = timezone.localdate() + dt.timedelta(days=3)

    response = client.post(
        reverse("supervision:task_urge_one", args=[task_a.pk]),
        {"message": "请报送", "deadline": f"{deadline.year}年{deadline.month}月{deadline.day}日"},
        follow=True,
    )

    assert "已催办" in response.content.decode()
    assert task_a.urges.get().deadline == deadline
