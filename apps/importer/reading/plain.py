"""Plain text in whatever encoding the editor saved it: UTF-8 (with or without a BOM),
UTF-16 (with a BOM, or without one as some tools save "Unicode"), GB18030 (and its subsets
GBK/GB2312) or Big5."""

from __future__ import annotations

import re

from charset_normalizer import from_bytes

from apps.importer.reading.base import is_han, not_a_document

# Encodings charset-normalizer may report (as Python codec names) that are decoded as
# detected. GBK and GB2312 are subsets of GB18030, so text detected as either is decoded as
# GB18030: a GBK file using one character outside GB2312 still decodes.
BIG5_FAMILY = {"big5", "big5hkscs", "cp950"}

BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)

# A text file has almost no control characters (Unicode category Cc) besides line breaks
# and tabs (\t \n \v \f \r are 0x09-0x0d).
MAX_CONTROL_CHAR_RATIO = 0.001
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def bom_encoding(data: bytes) -> str | None:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return encoding
    return None


def decode_text(data: bytes, name: str) -> str:
    """The text of `data`, with its encoding detected, or DocumentError if it is not text."""
    encoding = bom_encoding(data)
    if encoding:
        return decode_as(data, encoding, name)

    # Without a BOM, a NUL byte means UTF-16 (every ASCII character and many ideographs
    # hold one) or binary.
    if b"\x00" in data:
        return _utf16_without_bom(data, name)

    try:
        return _checked(data.decode("utf-8"), name)
    except UnicodeDecodeError:
        pass

    best = from_bytes(data).best()
    encoding = best.encoding.lower() if best is not None else ""
    if encoding in BIG5_FAMILY and not _reads_as_simplified_chinese(data):
        return decode_as(data, encoding, name)
    # The GB family, and also the fallback: short Chinese texts are sometimes guessed as
    # another legacy encoding, and GB18030 is by far the most likely one for a document from
    # a Shanghai office. Bytes that are not GB18030 text still fail to decode strictly.
    return decode_as(data, "gb18030", name)


# Share of the characters that must read as Chinese text (ideographs, CJK and full-width
# punctuation, ASCII, line breaks) for BOM-less bytes to be taken as UTF-16. The wrong byte
# order turns line breaks, digits and punctuation into unrelated scripts; binary data comes
# out as scattered code points.
MIN_UTF16_TEXT_RATIO = 0.9


def _utf16_without_bom(data: bytes, name: str) -> str:
    """UTF-16 text saved without a BOM, in whichever byte order reads as Chinese text."""
    if len(data) % 2:
        raise not_a_document(name)
    best, best_ratio = None, 0.0
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        ratio = sum(1 for char in text if _reads_as_text(char)) / len(text)
        if ratio > best_ratio:
            best, best_ratio = text, ratio
    if best is None or best_ratio < MIN_UTF16_TEXT_RATIO:
        raise not_a_document(name)
    return _checked(best, name)


def _reads_as_text(char: str) -> bool:
    return (
        " " <= char <= "~"
        or char in "\n\r\t"
        or is_han(char)
        or "\u2010" <= char <= "\u2027"  # dashes, quotation marks, ellipsis
        or "\u3000" <= char <= "\u303f"  # CJK punctuation
        or "\uff00" <= char <= "\uffef"  # full-width forms
    )


def decode_as(data: bytes, encoding: str, name: str) -> str:
    try:
        return _checked(data.decode(encoding), name)
    except (UnicodeDecodeError, LookupError):
        raise not_a_document(name) from None


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


def _checked(text: str, name: str) -> str:
    """Refuse text full of control characters: the bytes decoded, but they are not text."""
    control = len(CONTROL_CHARS.findall(text))
    if text and control / len(text) > MAX_CONTROL_CHAR_RATIO:
        raise not_a_document(name)
    return text.removeprefix("\ufeff")
