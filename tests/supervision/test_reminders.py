import datetime as dt

import pytest
from django.utils import timezone

from apps.notifications.models import Notification
from apps.plans.models import Task
from apps.supervision import jobs
from apps.supervision.services import reminders_send
from tests.factories import PlanFactory, TaskFactory, UrgeFactory

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(dt.datetime(2026, 6, 15, 9))  # a Monday


@pytest.fixture
def stale_task(subdistrict_a, department_a):
    plan = PlanFactory(subdistrict=subdistrict_a, year_start=2026, year_end=2026)
    task = TaskFactory(
        plan=plan, title="久未更新", lead_department=department_a, status="in_progress"
    )
    Task.objects.filter(pk=task.pk).update(created_at=NOW - dt.timedelta(days=40))
    return task


def test_the_weekly_reminder_tells_the_answerers_and_the_leaders_once(
    alice, bob, stale_task, mailoutbox
):
    sent = reminders_send(now=NOW)

    assert sent == {"stale": 1, "due_soon": 0, "digest": 1}
    reminder = Notification.objects.get(kind=Notification.Kind.STALE)
    assert reminder.recipient == alice and "久未更新" in reminder.body
    digest = Notification.objects.get(kind=Notification.Kind.DIGEST)
    assert digest.recipient == bob and "14 天未更新 1 项" in digest.body
    assert sorted(m.to[0] for m in mailoutbox) == [alice.email, bob.email]

    assert reminders_send(now=NOW + dt.timedelta(days=3)) == {
        "stale": 0,
        "due_soon": 0,
        "digest": 0,
    }
    assert reminders_send(now=NOW + dt.timedelta(days=7))["stale"] == 1


def test_due_soon_tasks_are_reminded(alice, stale_task):
    Task.objects.filter(pk=stale_task.pk).update(due_date=dt.date(2026, 6, 20), last_update_at=NOW)

    sent = reminders_send(now=NOW)

    assert sent["due_soon"] == 1 and sent["stale"] == 0
    assert Notification.objects.get(kind="due_soon").title == "您有 1 项任务将在 14 天内到期"


def test_owners_are_reminded_instead_of_the_department(alice, bob, stale_task):
    stale_task.owners.add(bob)

    reminders_send(now=NOW)

    assert Notification.objects.get(kind=Notification.Kind.STALE).recipient == bob


def test_the_digest_counts_open_urges(bob, stale_task):
    UrgeFactory(task=stale_task, sender=bob)

    reminders_send(now=NOW)

    assert "催办未办结 1 项" in Notification.objects.get(kind="digest").body


def test_the_jobs_are_safe_to_run_twice(alice, bob, stale_task):
    assert jobs.reminders_send.apply().get() == {"stale": 1, "due_soon": 0, "digest": 1}
    assert jobs.reminders_send.apply().get() == {"stale": 0, "due_soon": 0, "digest": 0}
    UrgeFactory(task=stale_task, sender=bob, deadline=dt.date(2026, 1, 5))
    assert jobs.urges_escalate.apply().get() == 1
    assert jobs.urges_escalate.apply().get() == 0


def test_the_digest_counts_updates_waiting_for_review(bob, alice, stale_task):
    from apps.plans.models import TaskUpdate
    from tests.factories import TaskUpdateFactory

    TaskUpdateFactory(task=stale_task, user=alice, state=TaskUpdate.State.PENDING)

    reminders_send(now=NOW)

    assert "待审核更新 1 项" in Notification.objects.get(kind="digest").body


def test_every_beat_entry_names_a_registered_job_and_the_loop_has_its_two(settings):
    """A renamed job would leave beat calling a task nobody registered; the weekly entry
    keeps its old name so the beat's stored row moves to the new job."""
    from apps.celery import app

    app.loader.import_default_modules()
    tasks = {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert tasks <= set(app.tasks)
    assert settings.CELERY_BEAT_SCHEDULE["每周催办提醒"]["task"] == (
        "apps.supervision.jobs.reminders_send"
    )
    assert "apps.supervision.jobs.urges_escalate" in tasks


def test_the_digest_names_the_reasons_as_the_urgency_rule_does(bob, stale_task, monkeypatch):
    from apps.plans.rules.urgency import URGENCY_LABELS

    monkeypatch.setitem(URGENCY_LABELS, "is_stale", "长期未更新")

    reminders_send(now=NOW)

    body = Notification.objects.get(kind="digest").body
    assert body.startswith("滞后 0 项；催办未办结 0 项；") and "长期未更新 1 项" in body
