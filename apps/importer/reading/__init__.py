"""Turn a file as an office sends it into text for the parser.

Plain Python, no Django: the same rules serve the command line and browser uploads.
Offices send plain text in whatever encoding their editor saved (UTF-8, often GBK), Word
.docx (or legacy .doc), PDF, a web page saved from a government site, or an Excel
task-breakdown sheet. The format is recognised by the file's content first and by its
extension second; anything else is refused with a message that names the file. Traditional
Chinese comes out Simplified.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from apps.importer.reading.base import (
    MAX_BYTES,
    MAX_OFFICE_BYTES,
    MAX_UNCOMPRESSED_BYTES,
    not_a_document,
    too_large,
)
from apps.importer.reading.chinese import to_simplified
from apps.importer.reading.legacy import convert
from apps.importer.reading.pdf import pdf_text
from apps.importer.reading.plain import decode_text
from apps.importer.reading.sheets import xlsx_text
from apps.importer.reading.web import html_text
from apps.importer.reading.word import docx_text
from apps.importer.types import DocumentError

__all__ = [
    "MAX_BYTES",
    "MAX_OFFICE_BYTES",
    "MAX_UNCOMPRESSED_BYTES",
    "decode_document",
    "read_document",
]

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc, .xls (and WPS's .wps, .et)
# Formats people send by mistake; refused before any decoding is tried.
IMAGE_SIGNATURES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*")
HTML_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])",
    re.IGNORECASE | re.DOTALL,
)
EXTENSIONS = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".docm": "docx",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".html": "html",
    ".htm": "html",
    ".shtml": "html",
    ".xhtml": "html",
}
# Formats whose files are bulky for the text they carry (see MAX_OFFICE_BYTES).
OFFICE_FORMATS = {"pdf", "docx", "xlsx", "doc", "xls"}


def read_document(path: str | Path) -> str:
    """Read the file at `path` and return its text, or raise DocumentError."""
    path = Path(path)
    if path.is_dir():
        raise DocumentError(f"这是一个文件夹，不是文件：{path}")
    if not path.is_file():
        raise DocumentError(f"找不到文件：{path}")
    try:
        if path.stat().st_size > MAX_OFFICE_BYTES:
            raise too_large(path.name, MAX_OFFICE_BYTES)
        data = path.read_bytes()
    except OSError as exc:
        # No permission, a file that vanished, a disk error: a message, not a traceback.
        raise DocumentError(f"无法读取文件（{exc.strerror or '读取失败'}）：{path}") from None
    return decode_document(data, filename=path.name)


def decode_document(data: bytes, *, filename: str = "") -> str:
    """Return the text of a document given as bytes, or raise DocumentError.

    `filename` names the file in messages and decides the format when the content does not.
    """
    name = filename or "（未命名文件）"
    if len(data) > MAX_OFFICE_BYTES:
        raise too_large(name, MAX_OFFICE_BYTES)
    if not data:
        raise DocumentError(f"文件是空的：{name}")

    kind = detect_format(data, filename)
    limit = MAX_OFFICE_BYTES if kind in OFFICE_FORMATS else MAX_BYTES
    if len(data) > limit:
        raise too_large(name, limit)
    text = _READERS[kind](data, name)

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise DocumentError(f"文件是空的：{name}")
    return to_simplified(text)


def detect_format(data: bytes, filename: str = "") -> str:
    """One of pdf, docx, xlsx, doc, xls, rtf, html, text, or "unknown"."""
    extension = Path(filename).suffix.lower()
    head = data[:1024]
    if head.lstrip().startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_format(data, extension)
    if data.startswith(OLE2):
        return _ole_format(data, extension)
    if head.startswith(b"{\\rtf"):  # Word saves RTF under a .doc name too
        return "rtf"
    if data.startswith(IMAGE_SIGNATURES):
        return "unknown"
    if HTML_START.match(head) or _utf16_html(head):
        return "html"
    # Named as a binary format without its signature: that reader reports the file damaged.
    return EXTENSIONS.get(extension, "text")


def _zip_format(data: bytes, extension: str) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        names = set()
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    # A damaged Word or Excel file is reported as such by its reader.
    kind = EXTENSIONS.get(extension)
    return kind if kind in ("docx", "xlsx") else "unknown"


def _ole_format(data: bytes, extension: str) -> str:
    if extension in (".doc", ".dot", ".wps"):
        return "doc"
    if extension in (".xls", ".et"):
        return "xls"
    # Unnamed: the directory of an OLE2 file names its streams in UTF-16, Word's main stream
    # "WordDocument" and Excel's "Workbook".
    if "WordDocument".encode("utf-16-le") in data:
        return "doc"
    if "Workbook".encode("utf-16-le") in data:
        return "xls"
    return "unknown"


def _utf16_html(head: bytes) -> bool:
    for bom, encoding in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            text = head[2:].decode(encoding, errors="ignore").encode("utf-8")
            return bool(HTML_START.match(text))
    return False


def _unknown(data: bytes, name: str) -> str:
    raise not_a_document(name)


def _legacy_word(data: bytes, name: str) -> str:
    source = "rtf" if data.startswith(b"{\\rtf") else "doc"
    return docx_text(convert(data, name, source=source, target="docx"), name)


def _legacy_excel(data: bytes, name: str) -> str:
    return xlsx_text(convert(data, name, source="xls", target="xlsx"), name)


_READERS = {
    "text": decode_text,
    "docx": docx_text,
    "pdf": pdf_text,
    "html": html_text,
    "xlsx": xlsx_text,
    "doc": _legacy_word,
    "rtf": _legacy_word,
    "xls": _legacy_excel,
    "unknown": _unknown,
}
