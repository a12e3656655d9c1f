"""What the jobs compute and keep for the dashboards: a plan's current numbers, its
numbers by theme, and the daily snapshots behind the 进度变化 charts."""

from django.db import models

from apps.plans.models.indicators import Indicator
from apps.plans.models.plans import Plan
from apps.plans.rules.themes import THEME_CHOICES
from apps.plans.rules.vocabulary import HEALTH_CHOICES


class PlanProgress(models.Model):
    """A plan's current numbers, recomputed by `plan_rollup` after updates and every night.

    Counts are of leaf tasks (the items someone actually does; sections only aggregate
    them). `status_counts`, `health_counts` and `indicator_health_counts` map a code to a
    count. `rollup_pending` coalesces bursts: the first update after a recompute sets it
    and queues one job; later updates see it set and queue nothing.
    """

    plan = models.OneToOneField(
        Plan,
        verbose_name="工作计划",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="progress",
    )
    percent = models.DecimalField("完成度", max_digits=5, decimal_places=1, default=0)
    expected_percent = models.DecimalField("序时进度", max_digits=5, decimal_places=1, default=0)
    leaf_total = models.PositiveIntegerField("任务数", default=0)
    status_counts = models.JSONField("按状态", default=dict)
    health_counts = models.JSONField("按进度状态", default=dict)
    overdue_count = models.PositiveIntegerField("逾期任务数", default=0)
    indicator_total = models.PositiveIntegerField("指标数", default=0)
    indicator_health_counts = models.JSONField("指标按进度状态", default=dict)
    last_update_at = models.DateTimeField("最近填报", null=True, blank=True)
    computed_at = models.DateTimeField("计算时间", null=True, blank=True)
    rollup_pending = models.BooleanField("等待重算", default=False)

    class Meta:
        verbose_name = "计划进度汇总"
        verbose_name_plural = "计划进度汇总"

    def __str__(self) -> str:
        return f"{self.plan}：{self.percent}%"


class PlanThemeProgress(models.Model):
    """A plan's leaf tasks of one theme, for the comparison across units by theme."""

    plan = models.ForeignKey(
        Plan, verbose_name="工作计划", on_delete=models.CASCADE, related_name="theme_progress"
    )
    theme = models.CharField("主题", max_length=20, choices=THEME_CHOICES)
    leaf_total = models.PositiveIntegerField("任务数", default=0)
    done_count = models.PositiveIntegerField("已完成", default=0)
    percent = models.DecimalField("平均完成度", max_digits=5, decimal_places=1, default=0)
    health_counts = models.JSONField("按进度状态", default=dict)
    indicator_total = models.PositiveIntegerField("指标数", default=0)
    indicator_good = models.PositiveIntegerField("正常或完成的指标", default=0)

    class Meta:
        verbose_name = "计划分主题进度"
        verbose_name_plural = "计划分主题进度"
        constraints = [
            models.UniqueConstraint(fields=["plan", "theme"], name="theme_progress_unique"),
        ]
        indexes = [models.Index(fields=["theme"], name="theme_progress_theme_idx")]

    def __str__(self) -> str:
        return f"{self.plan} · {self.get_theme_display()}"


class PlanSnapshot(models.Model):
    """A plan's numbers at the end of one day: the history behind 进度变化 charts."""

    plan = models.ForeignKey(
        Plan, verbose_name="工作计划", on_delete=models.CASCADE, related_name="snapshots"
    )
    date = models.DateField("日期")
    percent = models.DecimalField("完成度", max_digits=5, decimal_places=1)
    expected_percent = models.DecimalField("序时进度", max_digits=5, decimal_places=1)
    leaf_total = models.PositiveIntegerField("任务数")
    status_counts = models.JSONField("按状态", default=dict)
    health_counts = models.JSONField("按进度状态", default=dict)
    overdue_count = models.PositiveIntegerField("逾期任务数")
    indicator_total = models.PositiveIntegerField("指标数")
    indicator_health_counts = models.JSONField("指标按进度状态", default=dict)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "计划每日快照"
        verbose_name_plural = "计划每日快照"
        ordering = ["plan_id", "date"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "date"], name="plan_snapshot_unique_day"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.date:%Y-%m-%d}"


class IndicatorSnapshot(models.Model):
    """An indicator's value and traffic light at the end of one day."""

    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", on_delete=models.CASCADE, related_name="snapshots"
    )
    date = models.DateField("日期")
    value = models.DecimalField("实际值", max_digits=20, decimal_places=4, null=True)
    expected_value = models.DecimalField("序时目标值", max_digits=20, decimal_places=4)
    health = models.CharField("进度状态", max_length=20, choices=HEALTH_CHOICES)

    class Meta:
        verbose_name = "指标每日快照"
        verbose_name_plural = "指标每日快照"
        ordering = ["indicator_id", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "date"], name="indicator_snapshot_unique_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name} {self.date:%Y-%m-%d}"
