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


def _blank_pdf() -> bytes:
    """A valid one-page PDF with no text on it, as a scanner without OCR makes."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length 0 >>\nstream\n\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


PLAN_TEXT = "江浦路街道2024年工作要点\n一、优化经济质效\n1.新增就业岗位不少于1200个。\n"
DEPTH = 100_000

BAD_FILES = {
    "empty.txt": (b"", "文件是空的"),
    "blank.txt": (b" \r\n\t\n" * 100, "文件是空的"),
    "binary.txt": (bytes(range(256)) * 40, "不是可识别"),
    "nul.txt": (b"\x00" * 4000, "不是可识别"),
    "nul-in-text.txt": (PLAN_TEXT.encode().replace(b"\n", b"\x00\n"), "不是可识别"),
    "huge.txt": (PLAN_TEXT.encode() * (5 * 1024 * 1024 // len(PLAN_TEXT.encode()) + 1), "上限"),
    "scan.pdf": (_blank_pdf(), "没有可提取的文字"),
    "broken.pdf": (b"%PDF-1.4\n" + b"\x00" * 300, "无法读取 PDF"),
    "old.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1000, "旧版 Word"),
    "login.html": (
        b"<!DOCTYPE html><html><head><title></title><script>var a=1;</script></head>"
        b"<body><form><input name=u></form></body></html>",
        "文件是空的",
    ),
    "nested.html": (b"<html><body>" + b"<div>" * DEPTH + b"</body></html>", "文件是空的"),
    "nested.docx": (
        _docx_with_body("<w:sdt><w:sdtContent>" * 5000 + "</w:sdtContent></w:sdt>" * 5000),
        "无法读取",
    ),
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


# Plain text as editors save it: each encoding decodes to the same plan.
ENCODINGS = {
    "gbk.txt": PLAN_TEXT.encode("gbk"),
    # 䶮 is outside GBK: only GB18030 (its four-byte range) holds it.
    "gb18030.txt": PLAN_TEXT.replace("要点", "要点䶮").encode("gb18030"),
    "utf16-bom-le.txt": PLAN_TEXT.encode("utf-16"),
    "utf16-bom-be.txt": b"\xfe\xff" + PLAN_TEXT.encode("utf-16-be"),
    "utf16-le.txt": PLAN_TEXT.encode("utf-16-le"),
    "utf16-be.txt": PLAN_TEXT.encode("utf-16-be"),
}


@pytest.mark.parametrize("filename", list(ENCODINGS))
def test_a_plan_in_another_encoding_is_read_correctly(tmp_path, capsys, filename):
    path = tmp_path / filename
    path.write_bytes(ENCODINGS[filename])

    call_command("import_plan", str(path))

    plan = Plan.objects.get()
    assert plan.title.startswith("江浦路街道2024年工作要点")
    assert list(plan.tasks.values_list("title", flat=True)) == [
        "优化经济质效",
        "新增就业岗位不少于1200个",
    ]
    assert "已导入" in capsys.readouterr().out


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
