from functools import cached_property
from typing import NamedTuple

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from apps.subdistricts.labels import UNIT_LABEL


class Grant(NamedTuple):
    """What one membership lets a user see and do: the fields the scope and write rules
    read (`User.membership_list`)."""

    subdistrict_id: int
    role: str
    department_id: int | None


class User(AbstractUser):
    """A person who signs in. Custom from the first migration so fields can be added later
    without the pain of swapping the user model on a live database."""

    display_name = models.CharField("姓名", max_length=150, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.display_name or self.username

    # --- Scope: what this user may see and do, read once per request -------------------
    # The request's user object lives for one request, so the memberships are read with
    # one query and then kept; every scoped queryset (apps/core/querysets.py), the write
    # checks and the default filters read them from here.

    @cached_property
    def membership_list(self) -> list["Grant"]:
        """(unit, role, department) of each membership, as plain tuples: a city-wide viewer
        holds one per 街道 (215 in Shanghai), read on every page, and model instances of
        them cost four times as much as the query."""
        return [
            Grant(*row)
            for row in self.memberships.order_by().values_list(
                "subdistrict_id", "role", "department_id"
            )
        ]

    def subdistrict_ids(self) -> set[int] | None:
        """The units this user may see; None means every one (superusers)."""
        if self.is_superuser:
            return None
        return {m.subdistrict_id for m in self.membership_list}

    def subdistrict_scope(self):
        """The units this user may see as a subquery (their memberships), for scoping
        querysets by a large scope without its ids (apps/core/querysets.py)."""
        return Membership.objects.filter(user_id=self.pk).values("subdistrict_id")

    def department_ids(self) -> set[int]:
        """The departments a staff member belongs to (their default task list)."""
        return {m.department_id for m in self.membership_list if m.department_id}

    def can_write(self) -> bool:
        """Whether the user may change anything at all (viewers never may)."""
        if self.is_superuser:
            return True
        return any(m.role in Membership.WRITE_ROLES for m in self.membership_list)


class Membership(models.Model):
    """What a user may see and do in one unit (街道, 镇…); the basis of row scoping and roles."""

    class Role(models.TextChoices):
        STAFF = "staff", "工作人员"
        LEADER = "leader", "单位领导"
        VIEWER = "viewer", "区/市查看"
        ADMIN = "admin", "管理员"

    user = models.ForeignKey(
        User, verbose_name="用户", on_delete=models.CASCADE, related_name="memberships"
    )
    subdistrict = models.ForeignKey(
        "subdistricts.Subdistrict",
        verbose_name=UNIT_LABEL,
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.STAFF)
    department = models.ForeignKey(
        "subdistricts.Department",
        verbose_name="科室",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
    )

    # Roles that may change data; a viewer (区/市查看) reads only.
    WRITE_ROLES = frozenset({Role.STAFF, Role.LEADER, Role.ADMIN})

    class Meta:
        verbose_name = "成员身份"
        verbose_name_plural = "成员身份"
        ordering = ["subdistrict__name", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "subdistrict"], name="membership_unique_user_subdistrict"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.subdistrict} · {self.get_role_display()}"

    def clean(self) -> None:
        if (
            self.department_id
            and self.subdistrict_id
            and self.department.subdistrict_id != self.subdistrict_id
        ):
            raise ValidationError({"department": "科室必须属于所选单位。"})
