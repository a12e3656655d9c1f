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
