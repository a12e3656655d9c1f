import datetime as dt
import hashlib
from contextlib import contextmanager
from decimal import Decimal
from unittest import mock

import factory
from django.utils import timezone

from apps.accounts.models import Membership, User
from apps.notifications.models import Notification
from apps.plans.models import Indicator, IndicatorReading, Plan, Task, TaskUpdate, Urge
from apps.subdistricts.models import Department, Subdistrict


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.django.Password("password")


class SubdistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subdistrict
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"测试{n}街道")
    district = "杨浦区"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    subdistrict = factory.SubFactory(SubdistrictFactory)
    name = factory.Sequence(lambda n: f"科室{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    subdistrict = factory.SubFactory(SubdistrictFactory)
    role = Membership.Role.STAFF


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    subdistrict = factory.SubFactory(SubdistrictFactory)
    title = factory.LazyAttribute(lambda o: f"{o.subdistrict.name}{o.year_start}年工作要点")
    kind = Plan.Kind.WORK_POINTS
    year_start = 2023
    year_end = factory.LazyAttribute(lambda o: o.year_start)
    source_text = factory.Sequence(lambda n: f"示例原文 {n}")
    content_hash = factory.LazyAttribute(
        lambda o: hashlib.sha256(o.source_text.encode("utf-8")).hexdigest()
    )


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    parent = None
    plan = factory.Maybe(
        "parent",
        yes_declaration=factory.SelfAttribute("parent.plan"),
        no_declaration=factory.SubFactory(PlanFactory),
    )
    number = factory.LazyAttribute(lambda o: f"{o.order}.")
    title = factory.Sequence(lambda n: f"任务{n}")
    text = "任务内容。"
    order = factory.Sequence(lambda n: n + 1)
    depth = factory.LazyAttribute(lambda o: o.parent.depth + 1 if o.parent else 0)
    path = factory.LazyAttribute(
        lambda o: f"{o.parent.path}.{o.order:04d}" if o.parent else f"{o.order:04d}"
    )


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    task = factory.SubFactory(TaskFactory)
    name = "新增就业岗位"
    target_value = Decimal("1200")
    unit = "个"
    comparator = Indicator.Comparator.GTE
    source_text = "新增就业岗位不少于1200个。"
    order = 1


class IndicatorReadingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorReading

    indicator = factory.SubFactory(IndicatorFactory)
    date = dt.date(2023, 6, 30)
    value = Decimal("600")
    note = ""


class TaskUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaskUpdate

    task = factory.SubFactory(TaskFactory)
    user = factory.SubFactory(UserFactory)
    note = "按计划推进"


class UrgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Urge

    task = factory.SubFactory(TaskFactory)
    sender = factory.SubFactory(UserFactory)
    message = "请尽快报送进展"
    deadline = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=3))


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = Notification.Kind.URGE
    title = factory.Sequence(lambda n: f"通知{n}")


# --- Helpers for the roll-up, snapshot, reminder and job tests ---------------------------


@contextmanager
def frozen_now(moment: dt.datetime):
    """Let `timezone.now()` answer `moment`: rows saved inside get it as their created_at,
    history_date and auto timestamps, so a test can build the past a snapshot rebuilds.
    Process-wide (a worker thread sees it too), so keep it out of the real-worker tests."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def aware(*args: int) -> dt.datetime:
    """A local (Asia/Shanghai) datetime: aware(2023, 6, 30, 15)."""
    return timezone.make_aware(dt.datetime(*args))


def backdate_plan(plan: Plan, moment: dt.datetime) -> None:
    """Pretend the plan, its tasks (with their history) and readings were saved at
    `moment`: what an import long ago leaves behind."""
    tasks = Task.objects.filter(plan=plan)
    Plan.objects.filter(pk=plan.pk).update(created_at=moment)
    tasks.update(created_at=moment)
    Task.history.filter(plan_id=plan.pk).update(history_date=moment)
    IndicatorReading.objects.filter(indicator__task__plan=plan).update(created_at=moment)


def update_task(task: Task, user: User, **changes) -> TaskUpdate:
    """Call the task_update service as the task page does: every field as the task has it
    now, except `changes`."""
    from apps.plans.services import task_update

    return task_update(**update_kwargs(task, user, **changes))


def update_kwargs(task: Task, user: User, **changes) -> dict:
    """What the task page posts to an update service: every field as the task has it now
    (read again), except `changes`."""
    task.refresh_from_db()
    return {
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
        **changes,
    }
