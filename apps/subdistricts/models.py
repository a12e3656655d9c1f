from django.db import models

from apps.core.querysets import ScopedQuerySet
from apps.subdistricts.labels import UNIT_LABEL


class SubdistrictQuerySet(ScopedQuerySet):
    subdistrict_lookup = "pk"


class DepartmentQuerySet(ScopedQuerySet):
    subdistrict_lookup = "subdistrict_id"


class Subdistrict(models.Model):
    """A unit that publishes plans and owns their tasks: mostly a sub-district office (街道),
    but a town (镇), a township (乡), an industrial or development zone (其他) or a district
    body itself (区县) publish the same kind of plan, so `level` says which it is and pages
    name it by its level or with the neutral "街道（镇）". The model keeps its first name so
    that every foreign key, membership and URL stays as it was.

    Users see data through their memberships in units, so this is the root of scoping.
    """

    class Level(models.TextChoices):
        # The stored values are the importer's UNIT_LEVELS (apps/importer/types.py).
        STREET = "街道", "街道"
        TOWN = "镇", "镇"
        TOWNSHIP = "乡", "乡"
        COUNTY = "区县", "区县"
        OTHER = "其他", "其他"

    name = models.CharField("名称", max_length=100, unique=True)
    level = models.CharField("级别", max_length=10, choices=Level.choices, default=Level.STREET)
    # For a 区县-level unit this is the unit itself.
    district = models.CharField("上级（区/县/市）", max_length=50, blank=True)
    city = models.CharField("市", max_length=50, default="上海市")
    # 审核: staff updates wait for a leader's approval before the task (and every
    # dashboard) shows them (apps/plans/services/reviews.py). Off: updates apply at once.
    updates_need_review = models.BooleanField("更新需领导审核", default=False)

    objects = SubdistrictQuerySet.as_manager()

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A section (科室) of a unit's office, which can lead tasks and group its staff."""

    subdistrict = models.ForeignKey(
        Subdistrict,
        verbose_name=UNIT_LABEL,
        on_delete=models.CASCADE,
        related_name="departments",
    )
    name = models.CharField("科室", max_length=100)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = "科室"
        verbose_name_plural = "科室"
        ordering = ["subdistrict__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "name"], name="department_unique_subdistrict_name"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subdistrict.name} · {self.name}"
