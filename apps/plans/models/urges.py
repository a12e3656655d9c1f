"""Urge (催办): a leader presses a task, with a message and a deadline."""

from django.conf import settings
from django.db import models

from apps.core.querysets import ScopedQuerySet


class UrgeQuerySet(ScopedQuerySet):
    subdistrict_lookup = "task__plan__subdistrict_id"

    def open(self):
        return self.filter(closed_at__isnull=True)


class Urge(models.Model):
    """One 催办 of one task. It is open until somebody updates the task (the update, or
    with review on the submitted update, closes it: `task_update`/`task_update_submit`;
    returning that update opens it again, `urges_reopen`);
    an open 催办 whose deadline has passed is escalated once, to the leader who sent it.

    Kept in plans beside TaskUpdate because an update closes it in the same transaction;
    sending, escalating and the pages are apps/supervision's.
    """

    task = models.ForeignKey(
        "plans.Task", verbose_name="任务", on_delete=models.CASCADE, related_name="urges"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="催办人",
        on_delete=models.SET_NULL,
        null=True,
        related_name="urges_sent",
    )
    message = models.TextField("催办内容")
    deadline = models.DateField("反馈期限")
    created_at = models.DateTimeField("催办时间", auto_now_add=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        "plans.TaskUpdate",
        verbose_name="办结于更新",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="closed_urges",
    )
    escalated_at = models.DateTimeField("逾期上报时间", null=True, blank=True)

    objects = UrgeQuerySet.as_manager()

    class Meta:
        verbose_name = "催办"
        verbose_name_plural = "催办"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["task", "closed_at"], name="urge_task_closed_idx"),
            models.Index(fields=["closed_at", "deadline"], name="urge_open_deadline_idx"),
        ]

    def __str__(self) -> str:
        return f"催办 {self.task} · {self.created_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None
