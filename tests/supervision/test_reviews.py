import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.notifications.models import Notification
from apps.plans.models import PlanProgress, TaskUpdate
from apps.plans.services import plan_rollup, task_update_submit, updates_approve, updates_return
from tests.factories import TaskUpdateFactory, update_kwargs

pytestmark = pytest.mark.django_db


@pytest.fixture
def review_on(subdistrict_a):
    subdistrict_a.updates_need_review = True
    subdistrict_a.save()


def submit(task, user, **changes):
    return task_update_submit(**update_kwargs(task, user, **changes))


def test_with_review_off_a_staff_update_applies_at_once(alice, task_a):
    update = submit(task_a, alice, status="in_progress", percent=40)

    task_a.refresh_from_db()
    assert update.state == TaskUpdate.State.APPLIED and task_a.percent == 40


def test_with_review_on_a_staff_update_waits_and_the_task_keeps_its_approved_state(
    review_on, alice, bob, task_a
):
    plan_rollup(plan_id=task_a.plan_id)
    before = PlanProgress.objects.get(plan_id=task_a.plan_id).percent
    indicator = task_a.indicators.get()

    update = submit(
        task_a,
        alice,
        status="in_progress",
        percent=60,
        note="走访 120 家",
        readings=[(indicator.pk, dt.date(2023, 3, 31), 120)],
    )

    task_a.refresh_from_db()
    assert update.state == TaskUpdate.State.PENDING
    assert task_a.percent == 0 and task_a.version == 1
    assert not indicator.readings.exists()
    plan_rollup(plan_id=task_a.plan_id)
    assert PlanProgress.objects.get(plan_id=task_a.plan_id).percent == before
    assert Notification.objects.get(kind="review_pending").recipient == bob


def test_approval_applies_the_update_and_the_roll_up_counts_it(review_on, alice, bob, task_a):
    indicator = task_a.indicators.get()
    update = submit(
        task_a,
        alice,
        status="in_progress",
        percent=60,
        readings=[(indicator.pk, dt.date(2023, 3, 31), 120)],
    )

    assert updates_approve(reviewer=bob, update_ids=[update.pk]) == 1

    task_a.refresh_from_db()
    update.refresh_from_db()
    assert task_a.percent == 60 and task_a.version == 2
    assert indicator.readings.get().value == 120
    assert update.state == TaskUpdate.State.APPROVED and update.reviewed_by == bob
    assert TaskUpdate.objects.filter(task=task_a).count() == 1  # the same timeline entry
    plan_rollup(plan_id=task_a.plan_id)
    assert PlanProgress.objects.get(plan_id=task_a.plan_id).percent > 0
    assert Notification.objects.get(kind="review_approved").recipient == alice


def test_a_returned_update_keeps_the_comment_and_changes_nothing(review_on, alice, bob, task_a):
    update = submit(task_a, alice, percent=90, status="in_progress")

    with pytest.raises(ValidationError):
        updates_return(reviewer=bob, update_ids=[update.pk], comment=" ")
    updates_return(reviewer=bob, update_ids=[update.pk], comment="请附走访台账")

    task_a.refresh_from_db()
    update.refresh_from_db()
    assert task_a.percent == 0
    assert update.state == TaskUpdate.State.RETURNED and update.review_comment == "请附走访台账"
    returned = Notification.objects.get(kind="review_returned")
    assert returned.recipient == alice and "请附走访台账" in returned.body


def test_a_leaders_own_update_applies_at_once_even_with_review_on(review_on, bob, task_a):
    update = submit(task_a, bob, percent=30, status="in_progress")

    assert update.state == TaskUpdate.State.APPLIED


def test_nobody_approves_their_own_update(bob, task_a):
    own = TaskUpdateFactory(task=task_a, user=bob, state=TaskUpdate.State.PENDING)

    with pytest.raises(PermissionDenied):
        updates_approve(reviewer=bob, update_ids=[own.pk])


def test_staff_cannot_review(client, alice, task_a):
    pending = TaskUpdateFactory(task=task_a, state=TaskUpdate.State.PENDING)
    client.force_login(alice)

    assert client.get(reverse("supervision:review_list")).status_code == 403
    response = client.post(
        reverse("supervision:review_list"), {"updates": [pending.pk], "decision": "approve"}
    )
    assert response.status_code == 403


def test_the_queue_approves_several_updates_at_once(client, review_on, alice, bob, task_a, plan_a):
    from tests.factories import TaskFactory

    other = TaskFactory(plan=plan_a, title="第二项", lead_department=task_a.lead_department)
    first = submit(task_a, alice, percent=20, status="in_progress")
    second = submit(other, alice, percent=50, status="in_progress")
    client.force_login(bob)

    assert "第二项" in client.get(reverse("supervision:review_list")).content.decode()
    client.post(
        reverse("supervision:review_list"),
        {"updates": [first.pk, second.pk], "decision": "approve"},
    )

    other.refresh_from_db()
    task_a.refresh_from_db()
    assert (task_a.percent, other.percent) == (20, 50)


def test_the_task_page_shows_the_pending_update_beside_the_approved_state(
    client, review_on, alice, task_a
):
    client.force_login(alice)
    url = reverse("plans:task_detail", args=[task_a.pk])
    form = {
        "version": 1,
        "status": "in_progress",
        "percent": 45,
        "due_date": "",
        "lead_department": task_a.lead_department_id,
        "responsible_person": "",
        "note": "已召开推进会",
    }

    response = client.post(url, form, follow=True)

    page = response.content.decode()
    assert "已提交，待领导审核后生效" in page
    assert "待审核的更新" in page and "45%" in page
    assert "完成 0%" in page


def test_the_staff_member_sees_the_leaders_comment_on_a_returned_update(
    client, review_on, alice, bob, task_a
):
    update = submit(task_a, alice, percent=90, status="in_progress")
    updates_return(reviewer=bob, update_ids=[update.pk], comment="请附走访台账")
    client.force_login(alice)

    page = client.get(reverse("plans:task_detail", args=[task_a.pk])).content.decode()

    assert "已退回" in page and "审核意见：请附走访台账" in page


def test_the_plan_report_shows_approved_notes_only(review_on, alice, bob, task_a):
    from apps.plans.services.reports import plan_report_rows

    approved = submit(task_a, alice, percent=30, status="in_progress", note="已审核的进展")
    updates_approve(reviewer=bob, update_ids=[approved.pk])
    submit(task_a, alice, percent=50, note="尚待审核的进展")

    (row,) = [r for r in plan_report_rows(task_a.plan) if r.title == task_a.title]
    assert "已审核的进展" in row.progress and "尚待审核" not in row.progress


def test_returning_without_a_comment_says_what_is_missing(client, review_on, alice, bob, task_a):
    update = submit(task_a, alice, percent=20, status="in_progress")
    client.force_login(bob)

    response = client.post(
        reverse("supervision:review_list"), {"updates": [update.pk], "decision": "return"}
    )

    assert response.status_code == 400
    assert "退回时请填写审核意见" in response.content.decode()
    update.refresh_from_db()
    assert update.state == TaskUpdate.State.PENDING


def test_another_units_reviewer_does_not_find_the_update(client, review_on, alice, task_a):
    from apps.accounts.models import Membership
    from tests.factories import MembershipFactory, SubdistrictFactory, UserFactory

    other_leader = UserFactory(username="other_leader")
    MembershipFactory(
        user=other_leader, subdistrict=SubdistrictFactory(), role=Membership.Role.LEADER
    )
    update = submit(task_a, alice, percent=20, status="in_progress")
    client.force_login(other_leader)

    assert task_a.title not in client.get(reverse("supervision:review_list")).content.decode()
    response = client.post(
        reverse("supervision:review_list"), {"updates": [update.pk], "decision": "approve"}
    )
    assert response.status_code == 404


def test_a_returned_update_leaves_the_urge_it_answered_open_again(review_on, alice, bob, task_a):
    from apps.plans.models import Urge
    from apps.supervision.services import urges_escalate, urges_send

    soon = dt.date.today() + dt.timedelta(days=3)
    (urge,) = urges_send(sender=bob, task_ids=[task_a.pk], message="请报送", deadline=soon)
    update = submit(task_a, alice, percent=20, status="in_progress", note="已报送")
    assert not Urge.objects.open().exists()

    updates_return(reviewer=bob, update_ids=[update.pk], comment="请附走访台账")

    urge.refresh_from_db()
    assert urge.is_open and urge.closed_by is None
    later = dt.datetime.combine(soon + dt.timedelta(days=1), dt.time(12), tzinfo=dt.UTC)
    assert urges_escalate(now=later) == 1


def test_approval_keeps_what_others_changed_while_the_update_waited(review_on, alice, bob, task_a):
    update = submit(task_a, alice, status="in_progress", percent=40, note="已走访 40 家")
    new_due = dt.date(2023, 10, 31)
    submit(task_a, bob, due_date=new_due, responsible_person="王主任", note="调整截止日期")

    updates_approve(reviewer=bob, update_ids=[update.pk])

    task_a.refresh_from_db()
    assert task_a.percent == 40
    assert (task_a.due_date, task_a.responsible_person) == (new_due, "王主任")
    update.refresh_from_db()
    assert [c["field"] for c in update.changes] == ["status", "percent"]


def test_the_pending_panel_compares_with_the_task_as_it_is_now(
    client, review_on, alice, bob, task_a
):
    submit(task_a, alice, due_date=dt.date(2023, 11, 30), note="申请延期")
    submit(task_a, bob, due_date=dt.date(2023, 9, 30), note="领导调整截止日期")
    client.force_login(bob)

    page = client.get(reverse("plans:task_detail", args=[task_a.pk])).content.decode()

    panel = page.split('class="pending-update"', 1)[1].split("</table>", 1)[0]
    assert "<td>截止日期</td><td>2023-09-30</td><td>2023-11-30</td>" in panel


def test_once_reviewed_the_other_leaders_review_notice_is_no_longer_unread(
    review_on, alice, bob, task_a, subdistrict_a
):
    from apps.accounts.models import Membership
    from apps.supervision.selectors import nav_counts
    from tests.factories import MembershipFactory, UserFactory

    deputy = UserFactory(username="deputy")
    MembershipFactory(user=deputy, subdistrict=subdistrict_a, role=Membership.Role.LEADER)
    first = submit(task_a, alice, percent=20, status="in_progress")
    second = submit(task_a, alice, percent=30, status="in_progress")
    assert nav_counts(deputy)["unread"] == 2

    updates_approve(reviewer=bob, update_ids=[first.pk])
    updates_return(reviewer=bob, update_ids=[second.pk], comment="请补充")

    assert nav_counts(deputy) | {"can_review": None} == {
        "unread": 0,
        "urgent": 0,
        "reviews": 0,
        "can_review": None,
    }
    assert Notification.objects.filter(recipient=deputy, kind="review_pending").count() == 2
