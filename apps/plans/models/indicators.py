"""Indicator (a quantified target of a task) and IndicatorReading (a measured value)."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from apps.core.choices import text_choices
from apps.core.formatting import plain_number
from apps.core.querysets import ScopedQuerySet
from apps.plans.models.tasks import Task
from apps.plans.rules.vocabulary import COMPARATOR_LABELS, HEALTH_CHOICES, Health


class IndicatorQuerySet(ScopedQuerySet):
    subdistrict_lookup = "task__plan__subdistrict_id"


INDICATOR_ROLLUP_FIELDS = [
    "latest_value",
    "latest_date",
    "expected_value",
    "forecast_value",
    "forecast_met",
    "health",
]


class Indicator(models.Model):
    """A quantified target found in a task's text ("新增就业岗位不少于 1200 个").

    The sentence it came from is kept so that a reader can check the extraction.
    """

    # 约 (approx) is judged as an exact target (apps/plans/rules/progress.py).
    Comparator = text_choices("Comparator", COMPARATOR_LABELS)

    task = models.ForeignKey(
        Task, verbose_name="任务", on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField("名称", max_length=255)
    target_value = models.DecimalField("目标值", max_digits=20, decimal_places=4)
    unit = models.CharField("单位", max_length=50, blank=True)
    comparator = models.CharField(
        "比较方式", max_length=10, choices=Comparator.choices, default=Comparator.EQ
    )
    source_text = models.TextField("原文语句", blank=True)
    order = models.PositiveIntegerField("顺序", default=0)
    # Roll-ups kept by the jobs from the readings (the rule: apps/plans/rules/progress.py).
    latest_value = models.DecimalField(
        "最新实际值", max_digits=20, decimal_places=4, null=True, blank=True
    )
    latest_date = models.DateField("最新填报日期", null=True, blank=True)
    expected_value = models.DecimalField(
        "序时目标值", max_digits=20, decimal_places=4, null=True, blank=True
    )
    forecast_value = models.DecimalField(
        "预测期末值", max_digits=20, decimal_places=4, null=True, blank=True
    )
    forecast_met = models.BooleanField("预计达标", null=True, blank=True)
    health = models.CharField(
        "进度状态", max_length=20, choices=HEALTH_CHOICES, default=Health.NOT_STARTED.value
    )

    history = HistoricalRecords(
        verbose_name="指标历史",
        # The roll-ups change every night; history is for what people changed.
        excluded_fields=INDICATOR_ROLLUP_FIELDS,
    )

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = "指标"
        verbose_name_plural = "指标"
        ordering = ["task_id", "order"]
        indexes = [models.Index(fields=["health"], name="indicator_health_idx")]

    def __str__(self) -> str:
        value = plain_number(self.target_value)
        return f"{self.name}{self.get_comparator_display()}{value}{self.unit}"


class IndicatorReading(models.Model):
    """A measured value of an indicator on a date: the series a dashboard charts.

    Readings are appended, never edited, so the history of reported values stays intact.
    """

    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", on_delete=models.CASCADE, related_name="readings"
    )
    date = models.DateField("日期")
    value = models.DecimalField("实际值", max_digits=20, decimal_places=4)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicator_readings",
    )
    note = models.CharField("备注", max_length=255, blank=True)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "指标读数"
        verbose_name_plural = "指标读数"
        ordering = ["indicator_id", "date", "created_at"]
        indexes = [
            models.Index(fields=["indicator", "date"], name="reading_indicator_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name} {self.date:%Y-%m-%d}：{plain_number(self.value)}"
