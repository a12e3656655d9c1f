"""What every reader shares: size limits, the messages a user sees, and a guarded zip opener."""

from __future__ import annotations

import io
import zipfile

from apps.importer.types import DocumentError

MB = 1024 * 1024

# Text and web pages: a plan is a few hundred kilobytes of text at most.
MAX_BYTES = 5 * MB
# .pdf, .docx, .xlsx (and legacy .doc/.xls): fonts, pictures and layout make the same text
# several times larger, so these formats may be bigger.
MAX_OFFICE_BYTES = 20 * MB
# A .docx/.xlsx is a zip; what it declares it unpacks to is checked before anything is parsed,
# so a small "zip bomb" cannot fill memory.
MAX_UNCOMPRESSED_BYTES = 50 * MB
# Within that, the XML may hold at most this many elements (tags): 98 KB of empty paragraphs
# unpack to 7 million of them, 42 MB of XML that took 33 s and 1 GB to read. A long real
# plan has a few tens of thousands.
MAX_XML_ELEMENTS = 500_000

SUPPORTED_FORMATS = ".txt .docx .pdf .html .xlsx .doc"


def table_row(cells: list[str]) -> str:
    """A table row as one text line. With its borders (`| | 2 | 队伍建设 |`), so that an empty
    first cell (the rest of a merged 序号 or 类别 cell) still counts as a cell; a row of one
    cell (a title or group across the table) is its text alone."""
    if len(cells) == 1:
        return cells[0]
    return "| " + " | ".join(cells) + " |"


def not_a_document(name: str) -> DocumentError:
    return DocumentError(f"文件不是可识别的文本或文档（支持 {SUPPORTED_FORMATS}）：{name}")


def too_large(name: str, limit: int) -> DocumentError:
    return DocumentError(f"文件超过 {limit // MB} MB 上限，无法导入：{name}")


def open_zip(data: bytes, name: str, damaged: str) -> zipfile.ZipFile:
    """Open an Office file as a zip, refusing one that would unpack to more than 50 MB.

    `damaged` is the message (without the name) for a file that is not a readable zip.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        declared = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise DocumentError(f"{damaged}：{name}") from None
    if declared > MAX_UNCOMPRESSED_BYTES:
        raise DocumentError(
            f"文件解压后超过 {MAX_UNCOMPRESSED_BYTES // MB} MB（可能是压缩炸弹），无法导入：{name}"
        )
    if _xml_elements(archive, name, damaged) > MAX_XML_ELEMENTS:
        raise DocumentError(
            f"文件内部结构过于庞大（超过 {MAX_XML_ELEMENTS:,} 个元素），无法导入：{name}"
        )
    return archive


def _xml_elements(archive: zipfile.ZipFile, name: str, damaged: str) -> int:
    """About how many elements the XML parts hold (their `<`s), counted in chunks before
    any parser builds a tree; stops counting once past the limit."""
    count = 0
    try:
        for info in archive.infolist():
            if not info.filename.endswith((".xml", ".rels")):
                continue
            with archive.open(info) as member:
                while chunk := member.read(1024 * 1024):
                    count += chunk.count(b"<")
                    if count > MAX_XML_ELEMENTS:
                        return count
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, ValueError):
        raise DocumentError(f"{damaged}：{name}") from None
    return count


def read_member(archive: zipfile.ZipFile, member: str, name: str, damaged: str) -> bytes:
    """The bytes of one zip member; zipfile stops at the declared size and checks the CRC."""
    try:
        return archive.read(member)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, NotImplementedError, ValueError):
        raise DocumentError(f"{damaged}：{name}") from None


def is_han(char: str) -> bool:
    """A CJK ideograph (the common block, extension A, or a compatibility ideograph)."""
    return (
        "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf" or "\uf900" <= char <= "\ufaff"
    )
