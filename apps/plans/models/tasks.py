"""Task (the tree of a plan's items) and TaskUpdate (one saved update on its timeline)."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.urls import reverse
from simple_history.models import HistoricalRecords

from apps.core.choices import text_choices
from apps.core.querysets import ScopedQuerySet
from apps.plans.models.plans import Plan
from apps.plans.rules.themes import THEME_CHOICES
from apps.plans.rules.vocabulary import HEALTH_CHOICES, STATUS_LABELS, Health


class TaskQuerySet(ScopedQuerySet):
    subdistrict_lookup = "plan__subdistrict_id"

    def leaves(self):
        """The tasks with no rows below them: the items progress is reported on.

        Written as NOT EXISTS, which PostgreSQL plans as an anti-join with a true estimate.
        `children__isnull=True` (a LEFT JOIN … IS NULL) made it expect one overdue leaf
        where a city has 18,000, and join the plans, units and departments to them in
        nested loops: the task list's 已逾期 filter took 4.5 s for a city-wide viewer.
        Archived children count, as they did in that join."""
        below = self.model.all_objects.filter(parent_id=OuterRef("pk"))
        return self.filter(~Exists(below))


class CurrentTaskManager(models.Manager.from_queryset(TaskQuerySet)):
    """Tasks still in their plan: a revision archives the tasks it removes (apps/imports),
    and every list, roll-up and dashboard reads through this manager, so they drop out of
    all of them at once while their history stays (`Task.all_objects` sees them too)."""

    def get_queryset(self):
        return super().get_queryset().filter(archived_at__isnull=True)


class Task(models.Model):
    """A numbered item of a plan (一、 / (一) / 1. / 一是), kept as a tree.

    `path` is the zero-padded position among siblings at each level ("0001.0003"), so
    ordering by (plan, path) returns the document order without a recursive query.
    Progress fields (status, percent, due date, owner) are what the offices maintain.
    """

    Status = text_choices("Status", STATUS_LABELS)

    # No index of its own: task_unique_plan_path (plan, path) serves every lookup by plan.
    plan = models.ForeignKey(
        Plan,
        verbose_name="工作计划",
        on_delete=models.CASCADE,
        related_name="tasks",
        db_index=False,
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
    # Always looked up with its plan, through task_unique_plan_path.
    path = models.CharField("路径", max_length=255)
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
    # The people answerable for the task: accounts of its unit. The free text above stays
    # as the document wrote it and is matched to accounts on import and on assignment
    # (services/owners.py); reminders, 催办 and "我的任务" go by these.
    owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="责任人账号", blank=True, related_name="owned_tasks"
    )
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
    # Set when a revision of the plan drops the task (apps/imports/revisions.py).
    archived_at = models.DateTimeField("归档时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords(
        verbose_name="任务历史",
        # Roll-ups: recomputed by jobs, not changed by people.
        excluded_fields=["health", "is_overdue", "last_update_at"],
    )

    objects = CurrentTaskManager()
    all_objects = TaskQuerySet.as_manager()

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
        # Few indexes, and none on what saves and roll-ups change (status, percent,
        # health, is_overdue, last_update_at, updated_at): such an update can then be a
        # HOT update in PostgreSQL (no index entry written), where it used to write every
        # index again, the search index's hundred-odd bigrams included. Migration 0013
        # says why each dropped one can go.
        indexes = [
            # The 即将到期 and 已逾期 urgencies: a date range over the whole scope.
            models.Index(fields=["due_date"], name="task_due_date_idx"),
            # The theme page joins the year's plans to their tasks of one theme: this reads
            # a plan's few tasks of the theme (6 of 50) instead of all of them.
            models.Index(fields=["plan", "theme"], name="task_plan_theme_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    def get_absolute_url(self) -> str:
        return reverse("plans:task_detail", args=[self.pk])

    @property
    def lead_label(self) -> str:
        """The lead to show: the linked department, else the lead as the document wrote it
        (select_related("lead_department") where many tasks are shown)."""
        if self.lead_department_id is not None:
            return self.lead_department.name
        return self.lead_text


# Indicator fields the roll-up job computes (apps/plans/services/rollups.py, rules/rollup.py).


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

    class State(models.TextChoices):
        APPLIED = "applied", "已生效"
        PENDING = "pending", "待审核"
        APPROVED = "approved", "审核通过"
        RETURNED = "returned", "已退回"

    # The states whose values the task holds: what reports and the conflict message read.
    EFFECTIVE_STATES = (State.APPLIED, State.APPROVED)

    state = models.CharField("审核状态", max_length=10, choices=State.choices, default="applied")
    # What a pending update would set: {"status", "percent", "due_date", "lead_department",
    # "responsible_person", "readings": [[indicator id, "YYYY-MM-DD", "value"], ...]}.
    proposed = models.JSONField("待审核内容", default=dict, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_updates",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_comment = models.TextField("审核意见", blank=True)

    class Meta:
        verbose_name = "任务更新"
        verbose_name_plural = "任务更新"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["task", "created_at"], name="update_task_created_idx"),
            models.Index(fields=["state"], name="update_state_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.task} · {self.created_at:%Y-%m-%d %H:%M}"
