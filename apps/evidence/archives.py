"""A task's or a plan's 台账 as one .zip for an inspection: every file in a folder per task,
and a contents sheet (目录.xlsx) listing file, task, update date and uploader.

The zip is made as it is sent (a stream of pieces), each attachment copied from the
storage in chunks, so memory stays flat and the download starts at once, whatever the plan
holds; nothing is written to disk.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

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
COPY_CHUNK = 1024 * 1024


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


class _Pipe(io.RawIOBase):
    """A write-only, unseekable stream that keeps what was written until it is taken: the
    zip is handed on piece by piece (zipfile writes data descriptors when it cannot seek)."""

    def __init__(self):
        self.pieces: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.pieces.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self.pieces)
        self.pieces.clear()
        return data


def evidence_archive_chunks(files: QuerySet[Evidence]) -> Iterator[bytes]:
    """The zip of `files` and its contents sheet, as a stream of pieces of about
    COPY_CHUNK bytes: a download starts at once and memory stays flat, whatever the plan
    holds. The rows are read ROWS_PER_QUERY at a time."""
    pipe = _Pipe()
    taken: set[str] = set()
    rows: list[list] = []
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for evidence in files.iterator(chunk_size=ROWS_PER_QUERY):
            name = _entry_name(evidence, taken)
            kind = Kind(evidence.kind)
            info = zipfile.ZipInfo(
                name, date_time=timezone.localtime(evidence.created_at).timetuple()[:6]
            )
            info.compress_type = (
                zipfile.ZIP_STORED if kind in STORED_KINDS else zipfile.ZIP_DEFLATED
            )
            try:
                source = evidence.file.open("rb")
            except FileNotFoundError:
                name = f"（文件缺失）{evidence.original_name}"
            else:
                with source, archive.open(info, "w", force_zip64=True) as target:
                    while chunk := source.read(COPY_CHUNK):
                        target.write(chunk)
                        if piece := pipe.take():
                            yield piece
            rows.append(_contents_row(len(rows) + 1, name, evidence, kind))
        archive.writestr(CONTENTS_NAME, _contents_sheet(rows))
    yield pipe.take()


def _contents_row(number: int, name: str, evidence: Evidence, kind: Kind) -> list:
    uploader = evidence.uploaded_by
    return [
        number,
        name,
        str(evidence.update.task),
        timezone.localtime(evidence.update.created_at).date(),
        str(uploader) if uploader else "已删除用户",
        KIND_LABELS[kind],
        round(evidence.size / 1024, 1),
        evidence.original_name,
    ]
