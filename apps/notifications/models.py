"""Notification (站内通知) and each user's choice of extra channels."""

from django.conf import settings
from django.db import models


class Notification(models.Model):
    """One message to one person, shown at /notifications/ and counted in the navigation
    bar until it is read. E-mail (and later SMS or IM) are extra channels it may also go
    through (channels.py); the row is the record either way.

    `key` makes a producer safe to run twice: a job writes one key per recipient and
    period ("stale:2026-W49:12"), and the unique constraint refuses the second row.
    A row links to a page by `url` (a task, the review queue), so this app needs to know
    nothing of the apps that notify.
    """

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", "分配给我"
        DUE_SOON = "due_soon", "即将到期"
        STALE = "stale", "未更新提醒"
        URGE = "urge", "催办"
        ESCALATION = "escalation", "催办逾期"
        REVIEW_PENDING = "review_pending", "待审核"
        REVIEW_APPROVED = "review_approved", "审核通过"
        REVIEW_RETURNED = "review_returned", "审核退回"
        DIGEST = "digest", "每周汇总"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    title = models.CharField("标题", max_length=300)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    key = models.CharField("去重键", max_length=120, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"],
                condition=~models.Q(key=""),
                name="notification_once_per_key",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient}：{self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationSetting(models.Model):
    """A user's extra channels. In-app is always on; e-mail goes to users who keep it on
    and have an address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="notification_setting",
    )
    email = models.BooleanField("同时发送邮件", default=True)

    class Meta:
        verbose_name = "通知设置"
        verbose_name_plural = "通知设置"

    def __str__(self) -> str:
        return f"{self.user} 的通知设置"
