import datetime as dt

import pytest
from django.urls import reverse

from apps.accounts.models import User
from apps.plans.models import Reminder
from apps.plans.services import reminders_send
from tests.factories import (
    DepartmentFactory,
    MembershipFactory,
    PlanFactory,
    TaskFactory,
    UserFactory,
    aware,
    frozen_now,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]

# A Monday morning, as the weekly job runs; "stale" means no update since 22 May.
NOW = aware(2023, 6, 5, 8, 30)
LONG_AGO = aware(2023, 5, 1, 10)


@pytest.fixture
def erin(subdistrict_a):
    """Staff of 街道 A in another department than alice, known by her Chinese name."""
    user = UserFactory(username="erin", display_name="王芳")
    department = DepartmentFactory(subdistrict=subdistrict_a, name="社区办")
    MembershipFactory(user=user, subdistrict=subdistrict_a, department=department)
    return user


@pytest.fixture
def tasks(subdistrict_a, subdistrict_b, department_a, alice, bob, charlie, dora, erin):
    """The 2023 plans of 街道 A and B, imported in January, and the tasks by what a
    reminder should make of them."""
    with frozen_now(aware(2023, 1, 10, 9)):
        plan = PlanFactory(subdistrict=subdistrict_a, year_start=2023)
        section = TaskFactory(plan=plan, title="推动创新四治")
        leaf = {"parent": section, "status": "in_progress", "lead_department": department_a}
        return {
            "named": TaskFactory(
                **leaf, title="推进社区自治创新", responsible_person="王芳", last_update_at=LONG_AGO
            ),
            "by department": TaskFactory(
                **leaf, title="夯实城市数治底座", responsible_person="李四"
            ),
            "fresh": TaskFactory(
                **leaf,
                title="深化基层法治建设",
                responsible_person="Alice",
                last_update_at=aware(2023, 6, 1, 10),
            ),
            "done": TaskFactory(
                parent=section, title="答好创全考试答卷", status="done", percent=100
            ),
            "named viewer": TaskFactory(
                plan=plan, title="全力守护居民健康", responsible_person="Dora"
            ),
            "old plan": TaskFactory(
                plan=PlanFactory(subdistrict=subdistrict_a, year_start=2020),
                title="旧计划遗留事项",
                responsible_person="Alice",
            ),
            "other subdistrict": TaskFactory(
                plan=PlanFactory(subdistrict=subdistrict_b, year_start=2023),
                title="打造烟火街区品牌",
                responsible_person="Charlie",
            ),
        }


def mails_to(outbox, user: User):
    return [m for m in outbox if m.to == [user.email]]


def test_it_reminds_the_person_named_as_responsible(tasks, erin, mailoutbox):
    reminders_send(now=NOW)

    [mail] = mails_to(mailoutbox, erin)
    assert mail.subject == "【催办】江浦路街道：您有 1 项任务超过 14 天未更新"
    assert "推进社区自治创新" in mail.body
    assert "最近填报：2023-05-01" in mail.body
    task_url = reverse("plans:task_detail", args=[tasks["named"].pk])
    assert f"http://127.0.0.1:8000{task_url}" in mail.body
    assert "夯实城市数治底座" not in mail.body


def test_it_reminds_the_lead_departments_staff_when_nobody_is_named(tasks, alice, mailoutbox):
    reminders_send(now=NOW)

    [mail] = mails_to(mailoutbox, alice)
    assert "夯实城市数治底座" in mail.body
    assert "最近填报：从未填报" in mail.body
    # Named as responsible: erin's, even though it is alice's department's task.
    assert "推进社区自治创新" not in mail.body


def test_it_says_nothing_of_fresh_done_or_section_tasks_nor_of_old_plans(tasks, mailoutbox):
    reminders_send(now=NOW)

    bodies = "\n".join(m.body for m in mailoutbox)
    for title in ["深化基层法治建设", "答好创全考试答卷", "推动创新四治", "旧计划遗留事项"]:
        assert title not in bodies


def test_it_mails_no_viewer_and_nobody_about_another_subdistricts_tasks(
    tasks, alice, bob, charlie, dora, erin, mailoutbox
):
    sent = reminders_send(now=NOW)

    assert sent == {"personal": 3, "summary": 1}
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        u.email for u in [alice, bob, charlie, erin]
    )
    assert not mails_to(mailoutbox, dora)
    [mail] = mails_to(mailoutbox, charlie)
    assert mail.subject.startswith("【催办】塘桥街道")
    assert "打造烟火街区品牌" in mail.body
    assert "推进社区自治创新" not in mail.body


def test_it_sends_the_leader_one_summary_of_every_stale_task(tasks, bob, mailoutbox):
    reminders_send(now=NOW)

    [mail] = mails_to(mailoutbox, bob)
    assert mail.subject == "【催办汇总】江浦路街道：3 项任务超过 14 天未更新"
    assert "推进社区自治创新（责任人：王芳；已提醒 王芳" in mail.body
    assert "夯实城市数治底座（责任人：李四；已提醒 Alice" in mail.body
    # A viewer is not reminded, and the task has no department to fall back on.
    assert "全力守护居民健康（责任人：Dora；无可提醒的人员" in mail.body
    assert "打造烟火街区品牌" not in mail.body


def test_a_second_run_in_the_same_week_sends_nothing(tasks, mailoutbox):
    reminders_send(now=NOW)
    sent_before = len(mailoutbox)

    assert reminders_send(now=NOW + dt.timedelta(days=3)) == {"personal": 0, "summary": 0}

    assert len(mailoutbox) == sent_before
    assert Reminder.objects.count() == sent_before


def test_it_reminds_again_the_next_week(tasks, mailoutbox):
    reminders_send(now=NOW)
    sent_before = len(mailoutbox)

    reminders_send(now=NOW + dt.timedelta(days=7))

    assert len(mailoutbox) == 2 * sent_before


def test_it_skips_a_user_without_email_but_lists_the_task_in_the_summary(
    tasks, bob, erin, mailoutbox
):
    User.objects.filter(pk=erin.pk).update(email="")

    reminders_send(now=NOW)

    assert not [m for m in mailoutbox if "推进社区自治创新" in m.body and m.to != [bob.email]]
    [summary] = mails_to(mailoutbox, bob)
    assert "推进社区自治创新（责任人：王芳；无可提醒的人员" in summary.body
