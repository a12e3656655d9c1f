"""Plan: one published plan of a unit."""

from django.db import models

from apps.core.querysets import ScopedQuerySet
from apps.subdistricts.labels import UNIT_LABEL


class PlanQuerySet(ScopedQuerySet):
    subdistrict_lookup = "subdistrict_id"


class Plan(models.Model):
    """One published plan of a unit (街道, 镇…): 年度工作要点, 工作报告, 专项行动计划….

    It keeps the text it was imported from and a hash of it: the unique constraint on
    (content_hash, year_start, year_end, is_review) is what makes a re-import a no-op.
    A report that looks back at one year and ahead to the next yields two plans from one text.
    """

    class Kind(models.TextChoices):
        WORK_POINTS = "work_points", "工作要点"
        WORK_REPORT = "work_report", "工作报告"
        ACTION_PLAN = "action_plan", "专项行动计划"
        WORK_PLAN = "work_plan", "工作计划"

    subdistrict = models.ForeignKey(
        "subdistricts.Subdistrict",
        verbose_name=UNIT_LABEL,
        on_delete=models.CASCADE,
        related_name="plans",
    )
    title = models.CharField("标题", max_length=255)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.WORK_PLAN)
    year_start = models.PositiveSmallIntegerField("起始年份")
    year_end = models.PositiveSmallIntegerField("结束年份")
    published_on = models.DateField("发布日期", null=True, blank=True)
    doc_number = models.CharField("文件编号", max_length=100, blank=True)
    is_review = models.BooleanField("工作回顾", default=False)
    source_name = models.CharField("来源文件", max_length=255, blank=True)
    source_text = models.TextField("原文", blank=True)
    content_hash = models.CharField("内容哈希", max_length=64, db_index=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = "工作计划"
        verbose_name_plural = "工作计划"
        ordering = ["-year_start", "subdistrict__name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year_end__gte=models.F("year_start")),
                name="plan_year_end_not_before_year_start",
            ),
            models.UniqueConstraint(
                fields=["content_hash", "year_start", "year_end", "is_review"],
                name="plan_unique_content_years_review",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def years(self) -> str:
        if self.year_start == self.year_end:
            return str(self.year_start)
        return f"{self.year_start}-{self.year_end}"
