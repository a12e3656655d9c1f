"""Traditional Chinese documents turned into Simplified, which is what the parser reads."""

from __future__ import annotations

from functools import cache

from apps.importer.reading.base import is_han

# Convert when at least this share of the Han characters are Traditional forms; a Simplified
# text with the odd variant character (乾, 著) stays as written.
MIN_TRADITIONAL_SHARE = 0.03


@cache
def _converter():
    # Imported here: loading OpenCC's dictionaries is only needed for Chinese text.
    import opencc

    # t2s: characters and fixed phrases, without the Taiwan vocabulary changes of tw2sp.
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """`text` in Simplified Chinese when it is predominantly Traditional, else unchanged."""
    han = [char for char in text if is_han(char)]
    if not han:
        return text
    converter = _converter()
    distinct = sorted(set(han))
    changed = {
        old
        for old, new in zip(
            distinct, converter.convert("\n".join(distinct)).split("\n"), strict=False
        )
        if old != new
    }
    traditional = sum(1 for char in han if char in changed)
    if traditional / len(han) < MIN_TRADITIONAL_SHARE:
        return text
    return converter.convert(text)
