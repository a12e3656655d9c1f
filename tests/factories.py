import datetime as dt
import hashlib
from decimal import Decimal

import factory

from apps.accounts.models import Membership, User
from apps.plans.models import Indicator, IndicatorReading, Plan, Task, TaskUpdate
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
