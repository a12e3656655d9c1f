"""A task's or a plan's 台账 as one .zip for an inspection: every file in a folder per task,
and a contents sheet (目录.xlsx) listing file, task, update date and uploader.

The zip is written to a file the caller provides (a temporary file for a download), and
each attachment is copied into it in chunks, so memory stays flat whatever the plan holds.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from typing import IO

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook

from apps.evidence.filetypes import IMAGE_KINDS, KIND_LABELS, Kind
from apps.evidence.models import Evidence

CONTENTS_NAME = "目录.xlsx"
CONTENTS_HEADERS = ["序号", "文件", "任务", "更新日期", "上传人", "类型", "大小（KB）", "原文件名"]
# Characters that are not allowed, or mean something, in a path inside a zip.
UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
# Photos and PDFs are compressed already; deflating them again costs time for nothing.
STORED_KINDS = IMAGE_KINDS | {Kind.PDF}
ROWS_PER_QUERY = 200


def safe_part(text: str, limit: int = 60) -> str:
    return UNSAFE.sub("_", text).strip(" .")[:limit] or "_"


def _entry_name(evidence: Evidence, taken: set[str]) -> str:
    task = evidence.update.task
    folder = safe_part(f"{task.number} {task.title}".strip())
    day = timezone.localtime(evidence.update.created_at).strftime("%Y-%m-%d")
    stem, dot, extension = safe_part(evidence.original_name, 80).rpartition(".")
    if not dot:
        stem, extension = extension, ""
    name = f"{folder}/{day}_{stem}{dot}{extension}"
    counter = 2
    while name in taken:
        name = f"{folder}/{day}_{stem}（{counter}）{dot}{extension}"
        counter += 1
    taken.add(name)
    return name


def _contents_sheet(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "台账目录"
    sheet.append(CONTENTS_HEADERS)
    for row in rows:
        sheet.append(row)
    for column, width in zip("ABCDEFGH", (6, 50, 40, 12, 14, 12, 10, 30), strict=True):
        sheet.column_dimensions[column].width = width
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            # Names typed by people: never evaluated as formulas.
            if isinstance(cell.value, str):
                cell.data_type = "s"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def evidence_archive_write(files: QuerySet[Evidence], out: IO[bytes]) -> int:
    """Write the files and the contents sheet to `out` as a zip; returns how many files."""
    taken: set[str] = set()
    rows: list[list] = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for evidence in files.iterator(chunk_size=ROWS_PER_QUERY):
            task = evidence.update.task
            name = _entry_name(evidence, taken)
            kind = Kind(evidence.kind)
            compress = zipfile.ZIP_STORED if kind in STORED_KINDS else zipfile.ZIP_DEFLATED
            info = zipfile.ZipInfo(name, date_time=timezone.localtime().timetuple()[:6])
            info.compress_type = compress
            try:
                with (
                    evidence.file.open("rb") as source,
                    archive.open(info, "w", force_zip64=True) as target,
                ):
                    shutil.copyfileobj(source, target, 1024 * 1024)
                listed = name
            except FileNotFoundError:
                listed = f"（文件缺失）{evidence.original_name}"
            uploader = evidence.uploaded_by
            rows.append(
                [
                    len(rows) + 1,
                    listed,
                    str(task),
                    timezone.localtime(evidence.update.created_at).date(),
                    str(uploader) if uploader else "已删除用户",
                    KIND_LABELS[kind],
                    round(evidence.size / 1024, 1),
                    evidence.original_name,
                ]
            )
        archive.writestr(CONTENTS_NAME, _contents_sheet(rows))
    return len(rows)
