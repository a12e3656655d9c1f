from django.db import models


class ScopedQuerySet(models.QuerySet):
    """Rows narrowed to the sub-districts a user may see; `subdistrict_lookup` names the path
    from the row to its 街道 (Plan, Task and Indicator subclass this in apps/plans)."""

    subdistrict_lookup = "subdistrict_id"

    def for_user(self, user):
        from apps.accounts.selectors import subdistrict_ids_for_user

        ids = subdistrict_ids_for_user(user)
        if ids is None:
            return self
        return self.filter(**{f"{self.subdistrict_lookup}__in": ids})


class SubdistrictQuerySet(ScopedQuerySet):
    subdistrict_lookup = "pk"


class Subdistrict(models.Model):
    """A sub-district office (街道): the unit that publishes plans and owns their tasks.

    Users see data through their memberships in subdistricts, so this is the root of scoping.
    """

    name = models.CharField("街道", max_length=100, unique=True)
    district = models.CharField("区", max_length=50, blank=True)
    city = models.CharField("市", max_length=50, default="上海市")

    objects = SubdistrictQuerySet.as_manager()

    class Meta:
        verbose_name = "街道"
        verbose_name_plural = "街道"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A section (科室) of a subdistrict office, which can lead tasks and group its staff."""

    subdistrict = models.ForeignKey(
        Subdistrict,
        verbose_name="街道",
        on_delete=models.CASCADE,
        related_name="departments",
    )
    name = models.CharField("科室", max_length=100)

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
