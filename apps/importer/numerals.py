"""Numbers as Chinese government documents print them.

Arabic digits (with decimals and thousands separators), Chinese numerals
(`百场演出`, `两千`), and the 万/亿 magnitudes that follow either (`4.6万`,
`8.55亿`). cn2an does the Chinese arithmetic; this module only decides what
counts as a number and folds the magnitude in.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import lru_cache

import cn2an

CHINESE_DIGITS = "零〇一二两三四五六七八九"
CHINESE_NUMERAL_CHARS = CHINESE_DIGITS + "十百千万亿"

MAGNITUDES = {
    "十": Decimal(10),
    "百": Decimal(100),
    "千": Decimal(1000),
    "万": Decimal(10_000),
    "亿": Decimal(100_000_000),
}

ORDINAL_CHINESE = {c: i for i, c in enumerate("零一二三四五六七八九")}


def parse_arabic(text: str) -> Decimal | None:
    """`"1,200"` -> 1200, `"4.6"` -> 4.6; None when it is not a plain number."""
    try:
        return Decimal(text.replace(",", "").replace("，", ""))
    except InvalidOperation:
        return None


@lru_cache(maxsize=4096)
def parse_chinese(text: str) -> Decimal | None:
    """`"百"` -> 100, `"一百二十"` -> 120, `"两千"` -> 2000; None when cn2an rejects it."""
    if not text:
        return None
    normalised = text.replace("两", "二").replace("〇", "零")
    if normalised[0] in "百千万亿":
        normalised = "一" + normalised
    try:
        value = cn2an.cn2an(normalised, "smart")
    except (ValueError, KeyError, IndexError):
        return None
    return Decimal(str(value))


def fold_magnitude(value: Decimal, magnitude: str) -> Decimal:
    """Apply a trailing 万/亿/千 (`4.6` + `万` -> 46000), keeping the result exact."""
    for char in magnitude:
        value *= MAGNITUDES[char]
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize()


def chinese_ordinal(text: str) -> int | None:
    """The value of a heading number such as `一`, `十二`, `二十` (used to check sequences)."""
    value = parse_chinese(text)
    return int(value) if value is not None else None
