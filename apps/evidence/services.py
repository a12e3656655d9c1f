"""Attaching 台账 files to a task update."""

from __future__ import annotations

import io
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from PIL import Image, ImageOps

from apps.evidence.filetypes import EXTENSIONS, IMAGE_KINDS, Kind, file_kind
from apps.evidence.models import Evidence

MAX_FILE_MB = 20
MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024
MAX_FILES = 10
THUMBNAIL_SIZE = (320, 320)

TOO_LARGE_MESSAGE = "“{name}”有 {size} MB，超过了每个文件 {limit} MB 的上限。"
WRONG_TYPE_MESSAGE = (
    "“{name}”不是可以上传的文件类型：台账只接受图片（JPG、PNG、GIF、WebP）、PDF、"
    "Word（.docx）和 Excel（.xlsx）文件（按文件内容判断，而不是文件名）。"
)
BAD_IMAGE_MESSAGE = "“{name}”看起来是图片，但无法读取，请重新拍照或导出后再上传。"
TOO_MANY_MESSAGE = "一次最多上传 {limit} 个附件。"


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed the checks, with what they found out about it."""

    upload: UploadedFile
    kind: Kind
    thumbnail: bytes | None


def _thumbnail(upload: UploadedFile) -> bytes:
    """A small JPEG of an image, turned upright as the phone held it. Raises on a file
    Pillow cannot decode (including a decompression bomb)."""
    upload.seek(0)
    with Image.open(upload) as image:
        image.draft("RGB", THUMBNAIL_SIZE)  # JPEG: decode at a reduced scale, much faster
        image = ImageOps.exif_transpose(image)
        image.thumbnail(THUMBNAIL_SIZE)
        out = io.BytesIO()
        image.convert("RGB").save(out, "JPEG", quality=80)
    upload.seek(0)
    return out.getvalue()


def evidence_check(files: Sequence[UploadedFile]) -> list[CheckedFile]:
    """Check every file before anything is stored: size, type from the content, and that an
    image decodes (its thumbnail is made here). Raises one ValidationError listing every
    refused file, so the user can fix them all at once."""
    if len(files) > MAX_FILES:
        raise ValidationError(TOO_MANY_MESSAGE.format(limit=MAX_FILES), code="too_many")
    checked, errors = [], []
    for upload in files:
        name = upload.name or "附件"
        if upload.size > MAX_FILE_BYTES:
            size = f"{upload.size / 1024 / 1024:.1f}"
            errors.append(TOO_LARGE_MESSAGE.format(name=name, size=size, limit=MAX_FILE_MB))
            continue
        kind = file_kind(upload)
        if kind is None:
            errors.append(WRONG_TYPE_MESSAGE.format(name=name))
            continue
        thumbnail = None
        if kind in IMAGE_KINDS:
            try:
                thumbnail = _thumbnail(upload)
            except (OSError, ValueError, Image.DecompressionBombError):
                errors.append(BAD_IMAGE_MESSAGE.format(name=name))
                continue
        checked.append(CheckedFile(upload=upload, kind=kind, thumbnail=thumbnail))
    if errors:
        raise ValidationError(errors, code="bad_file")
    return checked


def evidence_attach(
    *, update, files: Sequence[UploadedFile], user: AbstractBaseUser
) -> list[Evidence]:
    """Attach files to a saved TaskUpdate; called right after `task_update`, inside the
    same transaction, so an update and its files are saved together or not at all.

    Every file is checked before the first is stored. Should storing one fail, the files
    already stored are deleted again before the error goes up (a storage is not part of
    the database transaction).
    """
    if not files:
        return []
    checked = evidence_check(files)
    with transaction.atomic():
        return _store(update=update, checked=checked, user=user)


def _store(*, update, checked: list[CheckedFile], user: AbstractBaseUser) -> list[Evidence]:
    stored: list[Evidence] = []
    try:
        for item in checked:
            evidence = Evidence(
                update=update,
                kind=item.kind.value,
                original_name=(item.upload.name or "附件")[-255:],
                size=item.upload.size,
                uploaded_by=user,
            )
            stored.append(evidence)
            stem = uuid.uuid4().hex
            evidence.file.save(f"{stem}.{EXTENSIONS[item.kind]}", item.upload, save=False)
            if item.thumbnail is not None:
                evidence.thumbnail.save(f"{stem}.jpg", ContentFile(item.thumbnail), save=False)
            evidence.save()
    except BaseException:
        for evidence in stored:
            for field in (evidence.file, evidence.thumbnail):
                if field.name:
                    field.storage.delete(field.name)
        raise
    return stored
