"""Hostile and broken files through `import_plan`: each is refused with a Chinese message
that names the file, the command exits non-zero, and no row is written (issue 14)."""

import io
import time
import zipfile

import pytest
from django.core.management import CommandError, call_command
from docx import Document

from apps.importer.reading import decode_document
from apps.importer.reading.base import MAX_XML_ELEMENTS
from apps.importer.types import DocumentError
from apps.plans.models import Plan, Task

pytestmark = pytest.mark.django_db


def _docx_with_body(body_xml: str) -> bytes:
    buffer = io.BytesIO()
    Document().save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                text = data.decode()
                start = text.index("<w:body>") + len("<w:body>")
                data = (text[:start] + body_xml + text[start:]).encode()
            target.writestr(info.filename, data)
    return out.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


BAD_FILES = {
    "empty.txt": (b"", "文件是空的"),
    "binary.txt": (bytes(range(256)) * 40, "不是可识别"),
    "nul.txt": (b"\x00" * 4000, ""),
    "archive.zip": (_zip({"a.txt": b"hello"}), "不是可识别"),
    "picture.png": (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "不是可识别"),
    "corrupt.docx": (b"PK\x03\x04" + b"\x00" * 200, "无法读取"),
    "many-elements.docx": (_docx_with_body("<w:p/>" * (MAX_XML_ELEMENTS + 1)), "过于庞大"),
    "bomb.docx": (
        _zip({"word/document.xml": b"<a>" + b" " * (60 * 1024 * 1024) + b"</a>"}),
        "压缩炸弹",
    ),
}


@pytest.mark.parametrize("filename", list(BAD_FILES))
def test_a_bad_file_is_refused_in_chinese_with_no_row_written(tmp_path, capsys, filename):
    data, message = BAD_FILES[filename]
    path = tmp_path / filename
    path.write_bytes(data)

    with pytest.raises(CommandError, match="个文件未能导入"):
        call_command("import_plan", str(path))

    err = capsys.readouterr().err
    assert filename in err
    assert message in err
    assert Plan.objects.count() == 0 and Task.objects.count() == 0


def test_a_tiny_docx_of_millions_of_empty_paragraphs_is_refused_at_once():
    data = _docx_with_body("<w:p/>" * 7_000_000)
    assert len(data) < 200_000

    started = time.monotonic()
    with pytest.raises(DocumentError, match="过于庞大"):
        decode_document(data, filename="plan.docx")
    assert time.monotonic() - started < 5


def test_reading_a_docx_grows_linearly_with_its_paragraphs():
    def seconds(count):
        data = _docx_with_body("<w:p/>" * count + "<w:p><w:r><w:t>一、正文</w:t></w:r></w:p>")
        started = time.monotonic()
        decode_document(data, filename="plan.docx")
        return time.monotonic() - started

    small, large = seconds(20_000), seconds(80_000)
    assert large < max(small, 0.05) * 12  # 4x the paragraphs; quadratic would be 16x


# --- import_plan's own failures (item 10) ---------------------------------------------------

SEED = "jiangpu-2023-work-points.txt"


def _seed_path():
    from pathlib import Path

    return Path(__file__).resolve().parents[2] / "fixtures" / "documents" / SEED


def test_a_directory_is_named_as_a_directory_not_a_missing_file(tmp_path, capsys):
    with pytest.raises(CommandError):
        call_command("import_plan", str(tmp_path))

    assert "这是一个文件夹，不是文件" in capsys.readouterr().err


def test_an_unreadable_file_is_reported_and_the_next_file_still_imports(
    tmp_path, capsys, monkeypatch
):
    from pathlib import Path

    locked = tmp_path / "locked.txt"
    locked.write_text("一、内容", encoding="utf-8")
    real_read_bytes = Path.read_bytes

    def read_bytes(self):
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)

    with pytest.raises(CommandError, match="1 个文件未能导入"):
        call_command("import_plan", str(locked), str(_seed_path()))

    captured = capsys.readouterr()
    assert "无法读取文件" in captured.err and "locked.txt" in captured.err
    assert "Traceback" not in captured.err
    assert "已导入" in captured.out
    assert Plan.objects.count() == 1


def test_the_loser_of_two_simultaneous_imports_reads_unchanged(capsys, monkeypatch):
    from django.db import IntegrityError

    from apps.importer import services

    real = services.plan_import
    calls = []

    def racing(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            real(**kwargs)  # the other import commits first ...
            raise IntegrityError("UNIQUE constraint failed")  # ... and this one collides
        return real(**kwargs)

    monkeypatch.setattr(services, "plan_import", racing)

    call_command("import_plan", str(_seed_path()))

    assert "未变化（已导入过）" in capsys.readouterr().out
    assert Plan.objects.count() == 1


def test_items_past_99_are_items_of_their_own():
    from apps.importer.parser import parse_document

    lines = [f"{n}.第{n}项工作任务内容" for n in range(1, 151)]
    text = "江浦路街道2024年工作要点\n一、重点工作\n" + "\n".join(lines)

    (plan,) = parse_document(text).plans
    titles = [n.title for n in plan.walk()]
    assert "第100项工作任务内容" in titles
    assert "第150项工作任务内容" in titles
