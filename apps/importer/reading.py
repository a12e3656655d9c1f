"""Turn a file as an office sends it into text for the parser.

Plain Python, no Django: the same rules serve the command line and, later, uploads.
Offices send plain text in whatever encoding their editor saved (UTF-8, often GBK) or a
Word .docx; anything else is refused with a message that names the file.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from pathlib import Path

from charset_normalizer import from_bytes

from apps.importer.types import DocumentError

MAX_BYTES = 5 * 1024 * 1024

# Encodings charset-normalizer may report (as Python codec names) that are decoded as
# detected. GBK and GB2312 are subsets of GB18030, so text detected as either is decoded as
# GB18030: a GBK file using one character outside GB2312 still decodes.
BIG5_FAMILY = {"big5", "big5hkscs", "cp950"}

BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)

# Magic numbers of formats people send by mistake; refused before any decoding is tried.
BINARY_SIGNATURES = (
    b"%PDF-",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # OLE2: legacy .doc, .xls
    b"\x89PNG",
    b"\xff\xd8\xff",  # JPEG
    b"GIF8",
)

# A text file has almost no control characters besides line breaks and tabs.
MAX_CONTROL_CHAR_RATIO = 0.001
ALLOWED_CONTROL_CHARS = {"\n", "\r", "\t", "\f", "\v"}


def read_document(path: str | Path) -> str:
    """Read the file at `path` and return its text, or raise DocumentError."""
    path = Path(path)
    if not path.is_file():
        raise DocumentError(f"找不到文件：{path}")
    if path.stat().st_size > MAX_BYTES:
        raise DocumentError(f"文件超过 5 MB 上限，无法导入：{path.name}")
    return decode_document(path.read_bytes(), filename=path.name)


def decode_document(data: bytes, *, filename: str = "") -> str:
    """Return the text of a document given as bytes, or raise DocumentError.

    `filename` is only used in messages (and to tell a damaged .docx from other zips).
    """
    name = filename or "（未命名文件）"
    if len(data) > MAX_BYTES:
        raise DocumentError(f"文件超过 5 MB 上限，无法导入：{name}")
    if not data:
        raise DocumentError(f"文件是空的：{name}")

    if data.startswith(b"PK\x03\x04") or filename.lower().endswith(".docx"):
        text = _docx_text(data, name)
    else:
        text = _plain_text(data, name)

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise DocumentError(f"文件是空的：{name}")
    return text


def _not_a_document(name: str) -> DocumentError:
    return DocumentError(f"文件不是可识别的文本或 .docx 文档：{name}")


def _plain_text(data: bytes, name: str) -> str:
    if data.startswith(BINARY_SIGNATURES):
        raise _not_a_document(name)

    for bom, encoding in BOMS:
        if data.startswith(bom):
            return _decode(data, encoding, name)

    # Without a BOM, a NUL byte means binary (UTF-16 without a BOM is not accepted either).
    if b"\x00" in data:
        raise _not_a_document(name)

    try:
        return _checked(data.decode("utf-8"), name)
    except UnicodeDecodeError:
        pass

    best = from_bytes(data).best()
    encoding = best.encoding.lower() if best is not None else ""
    if encoding in BIG5_FAMILY and not _reads_as_simplified_chinese(data):
        return _decode(data, encoding, name)
    # The GB family, and also the fallback: short Chinese texts are sometimes guessed as
    # another legacy encoding, and GB18030 is by far the most likely one for a document from
    # a Shanghai office. Bytes that are not GB18030 text still fail to decode strictly.
    return _decode(data, "gb18030", name)


def _reads_as_simplified_chinese(data: bytes) -> bool:
    """Whether the bytes decode as GB18030 to (almost) only GB2312 characters.

    GB and Big5 byte ranges overlap, and a short GB text is easily guessed as Big5. Big5 text
    read as GB18030 turns into many rare characters outside GB2312; GB text does not.
    """
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return False
    wide = [char for char in text if ord(char) > 0x7F]
    common = sum(1 for char in wide if _in_gb2312(char))
    return not wide or common / len(wide) >= 0.95


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _decode(data: bytes, encoding: str, name: str) -> str:
    try:
        return _checked(data.decode(encoding), name)
    except (UnicodeDecodeError, LookupError):
        raise _not_a_document(name) from None


def _checked(text: str, name: str) -> str:
    """Refuse text full of control characters: the bytes decoded, but they are not text."""
    control = sum(
        1
        for char in text
        if char not in ALLOWED_CONTROL_CHARS and unicodedata.category(char) == "Cc"
    )
    if text and control / len(text) > MAX_CONTROL_CHAR_RATIO:
        raise _not_a_document(name)
    return text.removeprefix("\ufeff")


def _docx_text(data: bytes, name: str) -> str:
    """Paragraphs and table cells in document order, one paragraph per line."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        if name.lower().endswith(".docx"):
            raise DocumentError(f"无法读取 .docx 文档，文件可能已损坏：{name}") from None
        raise _not_a_document(name) from None
    if "word/document.xml" not in names:
        raise _not_a_document(name)

    # Imported here: python-docx (and lxml) is only needed for .docx files.
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        lines = list(_block_lines(document))
    except Exception:  # python-docx raises many kinds of errors on damaged files
        raise DocumentError(f"无法读取 .docx 文档，文件可能已损坏：{name}") from None
    return "\n".join(lines)


def _block_lines(container):
    """Yield the text of each paragraph in `container`, descending into tables."""
    from docx.table import Table

    for block in container.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                seen = []
                for cell in row.cells:
                    # A merged cell is returned once per grid column it spans.
                    if any(cell._tc is tc for tc in seen):
                        continue
                    seen.append(cell._tc)
                    yield from _block_lines(cell)
        else:
            yield block.text
