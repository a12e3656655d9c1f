"""Demo people beyond the seed documents: departments, lead departments and demo accounts.

Demo accounts exist only when `demo_setup` creates them (never from a migration), so a
production database never has a known password. Everything here is idempotent: running
it again changes nothing that already exists, including passwords changed since.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from django.db import transaction

from apps.accounts.models import Membership, User
from apps.plans.models import Task
from apps.subdistricts.models import Department, Subdistrict

DEFAULT_DEMO_PASSWORD = "demo-pass-2024"

# Departments a 街道 office typically has, and the words in a section title that send
# its tasks to that department. The first matching rule wins; 党政办 takes the rest.
DEPARTMENT_RULES: list[tuple[str, tuple[str, ...]]] = [
    ("营商办", ("经济", "营商", "招商", "产城", "消费")),
    ("平安办", ("安全", "平安", "稳定", "风险")),
    ("服务办", ("民生", "服务", "福祉", "保障", "文化", "养老")),
    ("管理办", ("城市", "环境", "更新", "建管", "形态", "家园", "城区")),
    ("自治办", ("治理", "自治", "四治", "社会")),
    ("党政办", ()),
]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    display_name: str
    role: str  # Membership.Role value, or "superuser"
    subdistrict: str | None  # None: every 街道
    department: str | None = None

    @property
    def email(self) -> str:
        """A made-up address (example.org is reserved for examples: nothing is delivered),
        so that reminders have a recipient and the console backend shows them."""
        return f"{self.username}@example.org"


DEMO_ACCOUNTS = [
    DemoAccount("admin", "系统管理员", "superuser", None),
    DemoAccount("leader_city", "市级查看", Membership.Role.VIEWER, None),
    DemoAccount("jiangpu_leader", "江浦路街道领导", Membership.Role.LEADER, "江浦路街道"),
    DemoAccount("jiangpu_staff", "江浦路服务办科员", Membership.Role.STAFF, "江浦路街道", "服务办"),
    DemoAccount("tangqiao_staff", "塘桥街道科员", Membership.Role.STAFF, "塘桥街道"),
]


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD


def department_for(title: str) -> str:
    """The demo department that leads a section with this title."""
    for name, words in DEPARTMENT_RULES:
        if not words or any(word in title for word in words):
            return name
    return "党政办"


@transaction.atomic
def demo_departments_assign() -> int:
    """Create the usual departments in every 街道 and give unassigned tasks a lead department
    by their top-level section's title. Returns how many tasks got one."""
    assigned = 0
    for subdistrict in Subdistrict.objects.all():
        departments = {
            name: Department.objects.get_or_create(subdistrict=subdistrict, name=name)[0]
            for name, _ in DEPARTMENT_RULES
        }
        tasks = list(
            Task.objects.filter(plan__subdistrict=subdistrict, lead_department__isnull=True)
        )
        sections = {t.id: t for t in Task.objects.filter(plan__subdistrict=subdistrict, depth=0)}
        by_plan_path = {(t.plan_id, t.path): t for t in sections.values()}
        for task in tasks:
            top = by_plan_path.get((task.plan_id, task.path.split(".")[0]))
            task.lead_department = departments[department_for(top.title if top else task.title)]
        Task.objects.bulk_update(tasks, ["lead_department"])
        assigned += len(tasks)
    return assigned


@transaction.atomic
def demo_accounts_create() -> list[tuple[DemoAccount, bool]]:
    """Create the demo users and memberships; returns (account, created) pairs."""
    results = []
    every_subdistrict = list(Subdistrict.objects.all())
    for account in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=account.username,
            defaults={"display_name": account.display_name, "email": account.email},
        )
        if not created and not user.email:
            # Accounts made before the demo had addresses get one; a changed one stays.
            User.objects.filter(pk=user.pk).update(email=account.email)
        if created:
            user.set_password(demo_password())
            if account.role == "superuser":
                user.is_staff = user.is_superuser = True
            user.save()
        if account.role != "superuser":
            targets = (
                every_subdistrict
                if account.subdistrict is None
                else [s for s in every_subdistrict if s.name == account.subdistrict]
            )
            for subdistrict in targets:
                department = (
                    Department.objects.filter(
                        subdistrict=subdistrict, name=account.department
                    ).first()
                    if account.department
                    else None
                )
                Membership.objects.get_or_create(
                    user=user,
                    subdistrict=subdistrict,
                    defaults={"role": account.role, "department": department},
                )
        results.append((account, created))
    return results


def city_viewer_create(username: str = "city_viewer") -> User:
    """A viewer of every 街道, the benchmark's (and a demo's) city-level login."""
    user, created = User.objects.get_or_create(
        username=username, defaults={"display_name": "市级查看（模拟数据）"}
    )
    if created:
        user.set_password(demo_password())
        user.save()
    existing = set(Membership.objects.filter(user=user).values_list("subdistrict_id", flat=True))
    Membership.objects.bulk_create(
        Membership(user=user, subdistrict_id=pk, role=Membership.Role.VIEWER)
        for pk in Subdistrict.objects.exclude(pk__in=existing).values_list("pk", flat=True)
    )
    return user
