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

SUPPORTED_FORMATS = ".txt .docx .pdf .html .xlsx .doc"


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
    return archive


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
