import io
import zipfile

import docx
import pytest

from apps.importer.reading import MAX_BYTES, decode_document, read_document
from apps.importer.types import DocumentError


def _error_of(call) -> str:
    with pytest.raises(DocumentError) as excinfo:
        call()
    return str(excinfo.value)


PLAN_TEXT = "江浦路街道2023年工作要点\n(一)优化经济质效\n1.加强招商引资谋篇布局。\n"


def test_it_reads_utf8_text(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes(PLAN_TEXT.encode("utf-8"))

    assert read_document(path) == PLAN_TEXT


def test_it_drops_the_utf8_byte_order_mark(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes(PLAN_TEXT.encode("utf-8-sig"))

    assert read_document(path) == PLAN_TEXT


def test_it_detects_and_decodes_gb18030_chinese_text(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes((PLAN_TEXT * 3).encode("gb18030"))

    assert read_document(path) == PLAN_TEXT * 3


def test_it_decodes_utf16_with_a_byte_order_mark(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes(PLAN_TEXT.encode("utf-16"))

    assert read_document(path) == PLAN_TEXT


def test_it_normalises_windows_line_endings(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes(PLAN_TEXT.replace("\n", "\r\n").encode("utf-8"))

    assert read_document(path) == PLAN_TEXT


def test_it_reads_a_docx_paragraph_by_paragraph_and_a_table_row_by_row(tmp_path):
    document = docx.Document()
    document.add_paragraph("江浦路街道2023年工作要点")
    document.add_paragraph("(一)优化经济质效")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "指标"
    table.cell(0, 1).text = "新增就业岗位1200个"
    document.add_paragraph("1.加强招商引资谋篇布局。")
    path = tmp_path / "plan.docx"
    document.save(path)

    assert read_document(path).splitlines() == [
        "江浦路街道2023年工作要点",
        "(一)优化经济质效",
        "| 指标 | 新增就业岗位1200个 |",
        "1.加强招商引资谋篇布局。",
    ]


def test_it_rejects_an_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")

    assert _error_of(lambda: read_document(path)) == "文件是空的：empty.txt"


def test_it_rejects_a_file_of_only_whitespace(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_bytes(" \n\t\r\n\u3000\n".encode())

    assert _error_of(lambda: read_document(path)) == "文件是空的：blank.txt"


def test_it_rejects_a_binary_file(tmp_path):
    path = tmp_path / "picture.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64 + b"IHDR")

    assert (
        _error_of(lambda: read_document(path))
        == "文件不是可识别的文本或文档（支持 .txt .docx .pdf .html .xlsx .doc）：picture.txt"
    )


def test_it_rejects_binary_bytes_without_a_known_signature(tmp_path):
    path = tmp_path / "data.bin"
    path.write_bytes(bytes(range(256)) * 4)

    assert (
        _error_of(lambda: read_document(path))
        == "文件不是可识别的文本或文档（支持 .txt .docx .pdf .html .xlsx .doc）：data.bin"
    )


def test_it_rejects_a_zip_that_is_not_a_docx(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "不是 Word 文档")
    path = tmp_path / "archive.zip"
    path.write_bytes(buffer.getvalue())

    assert (
        _error_of(lambda: read_document(path))
        == "文件不是可识别的文本或文档（支持 .txt .docx .pdf .html .xlsx .doc）：archive.zip"
    )


def test_it_rejects_a_damaged_docx_with_a_clear_message(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<not-really-xml")
    path = tmp_path / "broken.docx"
    path.write_bytes(buffer.getvalue())

    assert (
        _error_of(lambda: read_document(path)) == "无法读取 .docx 文档，文件可能已损坏：broken.docx"
    )


def test_it_rejects_a_file_over_5_mb(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_bytes(b"a" * (MAX_BYTES + 1))

    assert _error_of(lambda: read_document(path)) == "文件超过 5 MB 上限，无法导入：huge.txt"


def test_it_rejects_a_missing_file(tmp_path):
    path = tmp_path / "missing.txt"

    assert _error_of(lambda: read_document(path)) == f"找不到文件：{path}"


def test_it_names_an_unnamed_upload_in_its_message():
    assert _error_of(lambda: decode_document(b"")) == "文件是空的：（未命名文件）"


def test_it_detects_big5_and_reads_its_traditional_chinese_as_simplified(tmp_path):
    text = "塘橋街道工作報告，推進營商環境優化。\n" * 5
    path = tmp_path / "report.txt"
    path.write_bytes(text.encode("big5"))

    assert read_document(path) == "塘桥街道工作报告，推进营商环境优化。\n" * 5


def test_it_prefers_gb18030_for_a_short_text_that_could_be_big5(tmp_path):
    path = tmp_path / "short.txt"
    path.write_bytes("一、加强".encode("gb18030"))

    assert read_document(path) == "一、加强"
