from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from apps.core.choices import text_choices
from apps.core.formatting import plain_number
from apps.plans.rules.themes import THEME_CHOICES
from apps.plans.rules.vocabulary import (
    COMPARATOR_LABELS,
    HEALTH_LABELS,
    STATUS_LABELS,
    Health,
    choices,
)
from apps.subdistricts.labels import UNIT_LABEL
from apps.subdistricts.models import ScopedQuerySet

HEALTH_CHOICES = choices(HEALTH_LABELS)


class PlanQuerySet(ScopedQuerySet):
    subdistrict_lookup = "subdistrict_id"


class TaskQuerySet(ScopedQuerySet):
    subdistrict_lookup = "plan__subdistrict_id"


class IndicatorQuerySet(ScopedQuerySet):
    subdistrict_lookup = "task__plan__subdistrict_id"


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


class Task(models.Model):
    """A numbered item of a plan (一、 / (一) / 1. / 一是), kept as a tree.

    `path` is the zero-padded position among siblings at each level ("0001.0003"), so
    ordering by (plan, path) returns the document order without a recursive query.
    Progress fields (status, percent, due date, owner) are what the offices maintain.
    """

    Status = text_choices("Status", STATUS_LABELS)

    plan = models.ForeignKey(
        Plan, verbose_name="工作计划", on_delete=models.CASCADE, related_name="tasks"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="上级任务",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    number = models.CharField("编号", max_length=50, blank=True)
    title = models.CharField("标题", max_length=500)
    text = models.TextField("内容", blank=True)
    order = models.PositiveIntegerField("顺序")
    depth = models.PositiveSmallIntegerField("层级", default=0)
    path = models.CharField("路径", max_length=255, db_index=True)
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    percent = models.PositiveSmallIntegerField("完成百分比", default=0)
    due_date = models.DateField("截止日期", null=True, blank=True)
    lead_department = models.ForeignKey(
        "subdistricts.Department",
        verbose_name="牵头科室",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_tasks",
    )
    responsible_person = models.CharField("责任人", max_length=100, blank=True)
    # What the document says, kept as written: a lead is linked to a department only when
    # it names one of the unit's own (apps/subdistricts/matching.py), and a district body
    # ("区发改委") or a partner is never one.
    lead_text = models.CharField("牵头单位（原文）", max_length=255, blank=True)
    partners_text = models.CharField("配合单位", max_length=500, blank=True)  # joined with 、
    due_text = models.CharField("完成时限（原文）", max_length=100, blank=True)
    theme = models.CharField("主题", max_length=20, choices=THEME_CHOICES, default="other")
    # Roll-ups kept by the jobs (apps/plans/services/rollups.py, rules/rollup.py), so that dashboards read
    # them instead of recomputing the traffic light for thousands of rows per request.
    health = models.CharField(
        "进度状态", max_length=20, choices=HEALTH_CHOICES, default=Health.NOT_STARTED.value
    )
    is_overdue = models.BooleanField("已逾期", default=False)
    last_update_at = models.DateTimeField("最近填报", null=True, blank=True)
    # Bumped on every update so that two people editing the same task cannot overwrite
    # each other silently.
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords(
        verbose_name="任务历史",
        # Roll-ups: recomputed by jobs, not changed by people.
        excluded_fields=["health", "is_overdue", "last_update_at"],
    )

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = "任务"
        verbose_name_plural = "任务"
        # plan_id rather than plan: ordering by the relation would pull in Plan's ordering
        # (a join, and no tie-break between two plans of the same year and subdistrict).
        ordering = ["plan_id", "path"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(percent__gte=0, percent__lte=100),
                name="task_percent_between_0_and_100",
            ),
            models.UniqueConstraint(fields=["plan", "path"], name="task_unique_plan_path"),
        ]
        indexes = [
            models.Index(fields=["status"], name="task_status_idx"),
            models.Index(fields=["due_date"], name="task_due_date_idx"),
            models.Index(fields=["updated_at"], name="task_updated_at_idx"),
            models.Index(fields=["plan", "health"], name="task_plan_health_idx"),
            models.Index(fields=["plan", "is_overdue"], name="task_plan_overdue_idx"),
            models.Index(fields=["theme"], name="task_theme_idx"),
            models.Index(fields=["last_update_at"], name="task_last_update_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    @property
    def lead_label(self) -> str:
        """The lead to show: the linked department, else the lead as the document wrote it
        (select_related("lead_department") where many tasks are shown)."""
        if self.lead_department_id is not None:
            return self.lead_department.name
        return self.lead_text


# Indicator fields the roll-up job computes (apps/plans/services/rollups.py, rules/rollup.py).
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


class TaskUpdate(models.Model):
    """One saved update of a task: the timeline entry staff and leaders read.

    simple-history keeps every field change for audit; this row is what a person did in
    one submit (the fields they changed, the indicator values they recorded, their note),
    which is what the timeline on the task page shows.
    """

    task = models.ForeignKey(
        Task, verbose_name="任务", on_delete=models.CASCADE, related_name="updates"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="更新人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="task_updates",
    )
    created_at = models.DateTimeField("更新时间", auto_now_add=True, db_index=True)
    # [{"field": "status", "label": "状态", "old": "未开始", "new": "推进中"}, ...]
    changes = models.JSONField("变更内容", default=list, blank=True)
    note = models.TextField("进展情况", blank=True)

    class Meta:
        verbose_name = "任务更新"
        verbose_name_plural = "任务更新"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["task", "created_at"], name="update_task_created_idx")]

    def __str__(self) -> str:
        return f"{self.task} · {self.created_at:%Y-%m-%d %H:%M}"


# --- Roll-ups, snapshots and generated files ---------------------------------------------


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


class PlanReport(models.Model):
    """An Excel report of a plan, generated by a job and downloaded from the plan page."""

    class Status(models.TextChoices):
        PENDING = "pending", "排队中"
        DONE = "done", "已生成"
        FAILED = "failed", "生成失败"

    plan = models.ForeignKey(
        Plan, verbose_name="工作计划", on_delete=models.CASCADE, related_name="reports"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_reports",
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField("文件", upload_to="reports/%Y/%m/", blank=True)
    error = models.CharField("错误信息", max_length=255, blank=True)
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "计划报表"
        verbose_name_plural = "计划报表"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.plan} 报表 {self.created_at:%Y-%m-%d %H:%M}"


class Reminder(models.Model):
    """One reminder e-mail sent: the record that makes the weekly job safe to run twice."""

    class Kind(models.TextChoices):
        PERSONAL = "personal", "责任人催办"
        SUMMARY = "summary", "领导汇总"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="收件人",
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    subdistrict = models.ForeignKey(
        "subdistricts.Subdistrict",
        verbose_name=UNIT_LABEL,
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    week_start = models.DateField("所属周（周一）")
    task_ids = models.JSONField("涉及任务", default=list)
    sent_at = models.DateTimeField("发送时间", auto_now_add=True)

    class Meta:
        verbose_name = "催办提醒"
        verbose_name_plural = "催办提醒"
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "subdistrict", "kind", "week_start"],
                name="reminder_once_a_week",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient}（{self.week_start}）"
