"""Word's automatic numbering, rendered as the printed document shows it.

Word does not store "一、" or "（二）" in the text of a numbered paragraph: the paragraph
points (directly or through its style) at a list in numbering.xml, and Word counts the
paragraphs and draws the number from the level's format (numFmt) and pattern (lvlText, e.g.
"%1、"). The parser needs those numbers, so this module counts the way Word does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

CHINESE_DIGITS = "〇一二三四五六七八九"
CHINESE_UNITS = ("千", "百", "十")
LEGAL_SIMPLIFIED_DIGITS = "零壹贰叁肆伍陆柒捌玖"
LEGAL_TRADITIONAL_DIGITS = "零壹貳參肆伍陸柒捌玖"
LEGAL_UNITS = ("仟", "佰", "拾")
HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)

COUNTING_FORMATS = {
    "chineseCounting",
    "chineseCountingThousand",
    "taiwaneseCounting",
    "taiwaneseCountingThousand",
    "japaneseCounting",
}
DIGITAL_FORMATS = {"ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"}

# A number followed by one of these needs no space before the paragraph text ("一、加强…").
CLOSING_PUNCTUATION = set("、.．。)）:：,，]】>》」』-—") | set("①②③④⑤⑥⑦⑧⑨⑩")


def format_number(value: int, fmt: str) -> str:
    """`value` written in the OOXML number format `fmt` (ST_NumberFormat)."""
    if fmt == "none":
        return ""
    if value < 1 and fmt != "decimal":
        return str(value)
    if fmt in COUNTING_FORMATS:
        return _chinese_counting(value, CHINESE_DIGITS, CHINESE_UNITS, drop_leading_one=True)
    if fmt in DIGITAL_FORMATS:
        return "".join(CHINESE_DIGITS[int(digit)] for digit in str(value))
    if fmt == "chineseLegalSimplified":
        return _chinese_counting(value, LEGAL_SIMPLIFIED_DIGITS, LEGAL_UNITS)
    if fmt == "ideographLegalTraditional":
        return _chinese_counting(value, LEGAL_TRADITIONAL_DIGITS, LEGAL_UNITS)
    if fmt == "ideographTraditional":  # the Heavenly Stems: 甲、乙、丙
        return HEAVENLY_STEMS[(value - 1) % len(HEAVENLY_STEMS)]
    if fmt == "ideographZodiac":  # the Earthly Branches: 子、丑、寅
        return EARTHLY_BRANCHES[(value - 1) % len(EARTHLY_BRANCHES)]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return _enclosed_circle(value)
    if fmt == "ideographEnclosedCircle" and value <= 10:  # ㊀ ㊁ ㊂
        return chr(0x3280 + value - 1)
    if fmt == "decimalEnclosedFullstop" and value <= 20:  # ⒈ ⒉ ⒊
        return chr(0x2488 + value - 1)
    if fmt == "decimalEnclosedParen" and value <= 20:  # ⑴ ⑵ ⑶
        return chr(0x2474 + value - 1)
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(ord(digit) - ord("0") + ord("０")) for digit in str(value))
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt in ("upperLetter", "lowerLetter"):
        # Word repeats the letter past Z: AA, BB, …
        letters = chr(ord("A") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letters if fmt == "upperLetter" else letters.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    return str(value)


def _chinese_counting(
    value: int, digits: str, units: tuple[str, ...], *, drop_leading_one: bool = False
) -> str:
    if value >= 10_000:
        return str(value)
    parts: list[str] = []
    pending_zero = False
    for unit_value, unit in zip((1000, 100, 10, 1), (*units, ""), strict=True):
        digit, value = divmod(value, unit_value)
        if digit:
            if pending_zero:
                parts.append(digits[0])
                pending_zero = False
            parts.append(digits[digit] + unit)
        elif parts:
            pending_zero = True
    text = "".join(parts)
    # 十一 rather than 一十一 (but 壹拾壹 in the legal style).
    if drop_leading_one and text.startswith(digits[1] + units[2]):
        text = text[1:]
    return text


def _enclosed_circle(value: int) -> str:
    if value <= 20:  # ① … ⑳
        return chr(0x2460 + value - 1)
    if value <= 35:  # ㉑ … ㉟
        return chr(0x3251 + value - 21)
    if value <= 50:  # ㊱ … ㊿
        return chr(0x32B1 + value - 36)
    return str(value)


def _roman(value: int) -> str:
    parts = []
    for unit_value, letters in ROMAN:
        count, value = divmod(value, unit_value)
        parts.append(letters * count)
    return "".join(parts)


@dataclass(frozen=True)
class Level:
    fmt: str = "decimal"
    text: str = ""  # lvlText: "%1、", "（%2）"
    start: int = 1
    restart: int | None = None  # lvlRestart: restart after levels < this; 0 = never
    legal: bool = False  # isLgl: every %n of this level in decimal
    suffix: str = "tab"  # what follows the number: tab, space or nothing
    style: str | None = None  # the paragraph style tied to this level (headings)


@dataclass
class ListDefinition:
    key: str  # the counters this list shares
    levels: dict[int, Level]
    restarts: set[int] = field(default_factory=set)  # levels restarted on first use


class Styles:
    """The numbering that paragraph styles carry (List Number, numbered headings)."""

    def __init__(self, root) -> None:
        self.default: str | None = None
        self._based_on: dict[str, str] = {}
        self._numbering: dict[str, tuple[str | None, int | None]] = {}
        self._resolved: dict[str, tuple[str | None, int | None]] = {}
        self._outline: dict[str, int] = {}
        if root is None:
            return
        for style in root.iterfind(f"{W}style"):
            style_id = style.get(f"{W}styleId")
            if not style_id:
                continue
            if style.get(f"{W}type") == "paragraph" and _on(style.get(f"{W}default")):
                self.default = style_id
            based_on = style.find(f"{W}basedOn")
            if based_on is not None and based_on.get(f"{W}val"):
                self._based_on[style_id] = based_on.get(f"{W}val")
            num_pr = style.find(f"{W}pPr/{W}numPr")
            if num_pr is not None:
                self._numbering[style_id] = _num_pr(num_pr)
            level = outline_level(style.find(f"{W}pPr"))
            name = style.find(f"{W}name")
            heading = HEADING_NAME_RE.fullmatch(
                (name.get(f"{W}val") or "") if name is not None else ""
            )
            if level is None and heading:
                level = int(heading.group(1) or heading.group(2)) - 1
            if level is not None:
                self._outline[style_id] = level

    def outline(self, style_id: str | None) -> int | None:
        """The heading level (0 for Heading 1) the style or a style it is based on gives."""
        seen = set()
        while style_id is not None and style_id not in seen:
            seen.add(style_id)
            if style_id in self._outline:
                return self._outline[style_id]
            style_id = self._based_on.get(style_id)
        return None

    def numbering(self, style_id: str | None) -> tuple[str | None, int | None]:
        """(numId, ilvl) that the style or the styles it is based on assign."""
        if style_id is None:
            return None, None
        if style_id not in self._resolved:
            result: tuple[str | None, int | None] = (None, None)
            seen = set()
            current: str | None = style_id
            while current is not None and current not in seen:
                seen.add(current)
                if current in self._numbering:
                    result = self._numbering[current]
                    break
                current = self._based_on.get(current)
            self._resolved[style_id] = result
        return self._resolved[style_id]


class Numbering:
    """The lists of numbering.xml and the running counters of one pass through a document."""

    def __init__(self, root, styles: Styles) -> None:
        self._abstracts: dict[str, dict[int, Level]] = {}
        self._style_links: dict[str, str] = {}  # abstractNumId -> numbering style it follows
        self._lists: dict[str, ListDefinition] = {}
        self._counters: dict[str, dict[int, int]] = {}
        self._started: set[str] = set()
        if root is None:
            return
        for abstract in root.iterfind(f"{W}abstractNum"):
            abstract_id = abstract.get(f"{W}abstractNumId")
            self._abstracts[abstract_id] = {
                int(lvl.get(f"{W}ilvl") or 0): _level(lvl) for lvl in abstract.iterfind(f"{W}lvl")
            }
            link = abstract.find(f"{W}numStyleLink")
            if link is not None and link.get(f"{W}val"):
                self._style_links[abstract_id] = link.get(f"{W}val")
        nums = {num.get(f"{W}numId"): num for num in root.iterfind(f"{W}num")}
        for num_id, num in nums.items():
            abstract_id = _val(num.find(f"{W}abstractNumId"))
            # A list that only borrows its levels from a numbering style (numStyleLink).
            if abstract_id in self._style_links:
                linked_num, _ = styles.numbering(self._style_links[abstract_id])
                if linked_num in nums:
                    abstract_id = _val(nums[linked_num].find(f"{W}abstractNumId"))
            levels = dict(self._abstracts.get(abstract_id, {}))
            restarts = set()
            for override in num.iterfind(f"{W}lvlOverride"):
                ilvl = int(override.get(f"{W}ilvl") or 0)
                lvl = override.find(f"{W}lvl")
                if lvl is not None:
                    levels[ilvl] = _level(lvl)
                start = _val(override.find(f"{W}startOverride"))
                if start is not None and start.lstrip("-").isdigit():
                    levels[ilvl] = replace(levels.get(ilvl, Level()), start=int(start))
                    restarts.add(ilvl)
            # Word continues one list across the w:num entries that share an abstract list; an
            # entry that restarts a level ("restart at 1") begins a list of its own.
            key = f"num:{num_id}" if restarts else f"abstract:{abstract_id}"
            self._lists[num_id] = ListDefinition(key=key, levels=levels, restarts=restarts)

    def level_for_style(self, num_id: str, style_id: str | None) -> int:
        """The level a numbered style sits at when the style names no ilvl (headings)."""
        definition = self._lists.get(num_id)
        if definition is not None and style_id is not None:
            for ilvl, level in definition.levels.items():
                if level.style == style_id:
                    return ilvl
        return 0

    def label(self, num_id: str, ilvl: int) -> tuple[str, str] | None:
        """Count one paragraph of list `num_id` at level `ilvl`; return (number, suffix).

        None for a bullet or a list that does not exist (then nothing is printed).
        """
        definition = self._lists.get(num_id)
        if definition is None or ilvl not in definition.levels:
            return None
        levels = definition.levels
        counters = self._counters.setdefault(definition.key, {})
        if num_id not in self._started:
            self._started.add(num_id)
            for restarted in definition.restarts:
                counters.pop(restarted, None)
        level = levels[ilvl]
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else level.start
        for deeper in [d for d in counters if d > ilvl]:
            restart = levels[deeper].restart if deeper in levels else None
            if restart is None or (restart != 0 and ilvl < restart):
                del counters[deeper]
        if level.fmt == "bullet":
            return None
        return self._render(level, levels, counters), level.suffix

    @staticmethod
    def _render(level: Level, levels: dict[int, Level], counters: dict[int, int]) -> str:
        pieces = level.text.split("%")
        parts = [pieces[0]]
        for piece in pieces[1:]:
            if piece[:1].isdigit() and piece[0] != "0":
                referenced = int(piece[0]) - 1
                other = levels.get(referenced, Level())
                value = counters.get(referenced, other.start)
                fmt = "decimal" if level.legal and other.fmt != "none" else other.fmt
                parts.append(format_number(value, fmt) + piece[1:])
            else:
                parts.append("%" + piece)
        return "".join(parts)


# Word's built-in heading styles keep their English names in every language version.
HEADING_NAME_RE = re.compile(r"[Hh]eading ?([1-9])|标题 ?([1-9])")


def outline_level(ppr) -> int | None:
    """A paragraph's or style's own outline level (w:outlineLvl, 0-8; 9 is body text)."""
    if ppr is None:
        return None
    element = ppr.find(f"{W}outlineLvl")
    value = element.get(f"{W}val") if element is not None else None
    return int(value) if value and value.isdigit() and int(value) < 9 else None


def join_label(label: tuple[str, str] | None, text: str) -> str:
    """The paragraph as printed: its number, then the text (a space only where Word's tab or
    space would separate two words: "1 总则", but "一、总则" and "1.总则")."""
    if label is None:
        return text
    number, suffix = label
    number = number.strip()
    if not number:
        return text
    if suffix == "nothing" or number[-1] in CLOSING_PUNCTUATION:
        return number + text
    return f"{number} {text}"


def _level(lvl) -> Level:
    fmt_element = lvl.find(f"{W}numFmt")
    if fmt_element is None:  # Word 2010+ wraps newer formats in mc:AlternateContent
        fmt_element = lvl.find(f"{MC}AlternateContent/{MC}Fallback/{W}numFmt")
    start = _val(lvl.find(f"{W}start"))
    restart = _val(lvl.find(f"{W}lvlRestart"))
    legal = lvl.find(f"{W}isLgl")
    return Level(
        fmt=_val(fmt_element) or "decimal",
        text=_val(lvl.find(f"{W}lvlText")) or "",
        start=int(start) if start and start.lstrip("-").isdigit() else 1,
        restart=int(restart) if restart and restart.isdigit() else None,
        legal=legal is not None and _on(legal.get(f"{W}val", "1")),
        suffix=_val(lvl.find(f"{W}suff")) or "tab",
        style=_val(lvl.find(f"{W}pStyle")),
    )


def _num_pr(num_pr) -> tuple[str | None, int | None]:
    num_id = _val(num_pr.find(f"{W}numId"))
    ilvl = _val(num_pr.find(f"{W}ilvl"))
    return num_id, int(ilvl) if ilvl and ilvl.isdigit() else None


def _val(element) -> str | None:
    return None if element is None else element.get(f"{W}val")


def _on(value: str | None) -> bool:
    return value not in (None, "0", "false", "off")
