"""Imports through the browser: a draft per uploaded document, and the versions of a plan.

The draft lives server-side from upload to confirm so that a half-done correction survives
a reload, a logout or another browser; nothing reaches the plan tables before confirm.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from apps.imports.roles import import_subdistrict_ids
from apps.subdistricts.labels import UNIT_LABEL

# Open drafts older than this are deleted by the daily job (apps/imports/jobs.py).
DRAFT_LIFETIME = dt.timedelta(days=30)


class ImportDraftQuerySet(models.QuerySet):
    def for_user(self, user):
        """Drafts of the units the user administers (every draft for superusers). Unlike
        plans, a unit's staff and viewers see none: importing is an administrator's job."""
        ids = import_subdistrict_ids(user)
        if ids is None:
            return self
        return self.filter(subdistrict_id__in=ids)


class ImportDraft(models.Model):
    """One uploaded document on its way to becoming plans: the original file with its hash,
    the parse result in the `parse_plan` JSON shape (`data`, corrected in the browser), and
    who brought it in. After confirm it stays as the import history's record."""

    class Status(models.TextChoices):
        PARSING = "parsing", "解析中"
        READY = "ready", "待确认"
        FAILED = "failed", "解析失败"
        CONFIRMED = "confirmed", "已导入"

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="导入人",
        on_delete=models.SET_NULL,
        null=True,
        related_name="import_drafts",
    )
    # The unit the plans go into; empty while it names a unit that does not exist yet
    # (only a superuser's draft can: it is created on confirm).
    subdistrict = models.ForeignKey(
        "subdistricts.Subdistrict",
        verbose_name=UNIT_LABEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="import_drafts",
    )
    document_unit = models.CharField("文档中的单位", max_length=100, blank=True)
    source_file = models.FileField("原始文件", upload_to="imports/%Y/%m/")
    source_name = models.CharField("文件名", max_length=255)
    source_hash = models.CharField("文件 SHA-256", max_length=64, db_index=True)
    source_text = models.TextField("原文", blank=True)
    data = models.JSONField("解析结果", default=dict, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PARSING)
    progress = models.PositiveSmallIntegerField("解析进度", default=0)
    error = models.TextField("错误信息", blank=True)
    plans = models.ManyToManyField(
        "plans.Plan", verbose_name="导入或修订的计划", blank=True, related_name="import_drafts"
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    updated_at = models.DateTimeField("最近修改", auto_now=True)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)

    objects = ImportDraftQuerySet.as_manager()

    class Meta:
        verbose_name = "导入草稿"
        verbose_name_plural = "导入记录"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "updated_at"], name="import_status_updated_idx")]

    def __str__(self) -> str:
        return f"{self.source_name}（{self.get_status_display()}）"

    def get_absolute_url(self) -> str:
        return reverse("imports:draft_detail", args=[self.pk])

    @property
    def expires_at(self) -> dt.datetime | None:
        if self.status == self.Status.CONFIRMED:
            return None
        return (self.updated_at or timezone.now()) + DRAFT_LIFETIME


class PlanVersion(models.Model):
    """One state of a plan's text: the first import and each revision applied since, with
    the file it came from and what the revision changed (a short list for the plan page)."""

    plan = models.ForeignKey(
        "plans.Plan", verbose_name="工作计划", on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField("版本号")
    draft = models.ForeignKey(
        ImportDraft,
        verbose_name="导入草稿",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="versions",
    )
    source_name = models.CharField("来源文件", max_length=255, blank=True)
    content_hash = models.CharField("内容哈希", max_length=64)
    # {"added": n, "removed": n, "reworded": n, "targets": n, "lines": ["新增：…", …]}
    changes = models.JSONField("变更摘要", default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_versions",
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "计划版本"
        verbose_name_plural = "计划版本"
        ordering = ["plan_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} 第{self.number}版"
