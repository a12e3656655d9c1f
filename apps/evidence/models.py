"""Evidence (台账): the files attached to a task update."""

from django.conf import settings
from django.db import models

from apps.core.querysets import ScopedQuerySet
from apps.evidence.filetypes import IMAGE_KINDS, KIND_LABELS, Kind


class EvidenceQuerySet(ScopedQuerySet):
    subdistrict_lookup = "update__task__plan__subdistrict_id"


class Evidence(models.Model):
    """One file attached to a task update: a photo, a scanned PDF, a Word or Excel file
    kept as 台账 for inspections.

    It hangs on the TaskUpdate (the timeline entry it documents), so it is scoped by that
    update's task. Files live in Django's default storage (a folder that is not served, or
    an S3-compatible bucket) and are only ever read back through the scoped views of this
    app, never from a public URL. The relation to plans is named, not imported, so that the
    task page (apps/plans) can attach files without the two apps importing each other.
    Stored names are random (`evidence_attach`): they tell nothing and never collide, and
    their extension follows the content, not the name the user gave.
    """

    update = models.ForeignKey(
        "plans.TaskUpdate",
        verbose_name="更新记录",
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    file = models.FileField("文件", upload_to="evidence/%Y/%m/", max_length=255)
    thumbnail = models.FileField(
        "缩略图", upload_to="evidence/thumbnails/%Y/%m/", max_length=255, blank=True
    )
    original_name = models.CharField("原文件名", max_length=255)
    kind = models.CharField(
        "类型", max_length=10, choices=[(k.value, label) for k, label in KIND_LABELS.items()]
    )
    size = models.PositiveBigIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = "台账附件"
        verbose_name_plural = "台账附件"
        ordering = ["update_id", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return Kind(self.kind) in IMAGE_KINDS
