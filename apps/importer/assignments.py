"""Who leads a task and by when, as plans write it.

Three forms carry it: an inline parenthesis after the task (`（牵头单位：区发改委；责任单位：
各街镇）`), separate lines under the task (`牵头部门:平安办` / `完成时间:2025年10月前`) and
table columns. A deadline is kept as written and also read as the last day of the period it
names (`2024年6月底前` -> 2024-06-30, `三季度` -> 09-30, `年底前` -> 12-31 of the plan year).
Plain Python: no Django imports.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from .cleaning import split_outside
from .numerals import chinese_ordinal

LEAD_LABELS = (
    "牵头单位",
    "牵头部门",
    "牵头科室",
    "主责单位",
    "主责部门",
    "责任单位",
    "责任部门",
    "责任科室",
)
PARTNER_LABELS = (
    "配合单位",
    "配合部门",
    "配合科室",
    "协办单位",
    "协办部门",
    "参与单位",
    "协同单位",
)
DUE_LABELS = ("完成时限", "完成时间", "时间节点", "完成期限", "时限要求", "时限")
PERSON_LABELS = ("牵头领导", "分管领导", "责任领导", "联系领导", "责任人")
ALL_LABELS = LEAD_LABELS + PARTNER_LABELS + DUE_LABELS + PERSON_LABELS

LABEL_LINE_RE = re.compile(rf"^({'|'.join(ALL_LABELS)})\s*[:：]\s*(.*)$")
# Inside a bracket a plan may write a label short: `（牵头：经济办；协同：财政所；时间：6月）`.
SHORT_LABELS = {
    "牵头": "牵头单位",
    "主责": "主责单位",
    "责任": "责任单位",
    "协同": "协同单位",
    "配合": "配合单位",
    "协办": "协办单位",
    "时间": "完成时间",
    "时限": "完成时限",
}
BRACKET_LABELS = "|".join([*ALL_LABELS, *SHORT_LABELS])
# One bracket level may sit inside: `（责任单位：经济办（牵头）、营商中心）`.
INLINE_RE = re.compile(
    rf"[（(【]\s*((?:{BRACKET_LABELS})\s*[:：](?:[^（()）【】]|[（(][^（()）]*[）)])*)[）)】]"
)
BRACKET_LABEL_RE = re.compile(rf"({BRACKET_LABELS})\s*[:：]\s*")
# A field of another kind inside an assignment's bracket: `；地点：街道礼堂`.
OTHER_FIELD_RE = re.compile(r"[；;，,]\s*[\u4e00-\u9fa5]{2,4}[:：]")
# What a deadline says: a month, a quarter, a year's end ….
DUE_WORD_RE = re.compile(
    r"(?:19|20)\d{2}|(?<!每)(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月|(?<!每)季度|年底|年末|年内|"
    r"上半年|下半年|全年|前$|底$"
)
# `经济办（牵头）` in a list of units names the lead.
MARKED_LEAD_RE = re.compile(r"^(.+?)\s*[（(]\s*牵头\s*[）)]$")
TRAILING_RE = re.compile(rf"[，,；;。]\s*(({'|'.join(ALL_LABELS)})\s*[:：][^\n]*)$")
INLINE_LABEL_RE = re.compile(rf"({'|'.join(ALL_LABELS)})\s*[:：]\s*")
# Without labels, in a parenthesis after the task: `（区房管局牵头，各街镇配合）`,
# `（区绿化市容局负责）`, `（区民政局牵头，2025年12月底前完成）`. Taken only when every
# piece is one of these and one names the lead.
UNLABELLED_RE = re.compile(r"[（(]([^（()）]{2,80})[）)]")
UNIT_PIECE = r"(?:具体)?(?:由)?(?P<units>[^，,；;：:\d]{2,30}?)"
LEAD_PIECE_RE = re.compile(rf"^{UNIT_PIECE}(?:按职责分工|按职责|共同)?(?:牵头(?:负责)?|负责|主责)$")
PARTNER_PIECE_RE = re.compile(rf"^{UNIT_PIECE}(?:配合|协助|协同|参与)$")
DUE_PIECE_RE = re.compile(
    r"^(?!每)(?P<due>[^，,；;：:]{0,16}?(?:月底?|月末|季度|年底|年末|年内|上半年|下半年)前?)(?:完成)?$"
)
# What a unit's name ends with: (区房管局牵头) names a unit, (谁主管谁负责) and
# (企业主要负责人对本单位安全生产工作全面负责) do not.
UNIT_NAME_RE = re.compile(
    r"^[\u4e00-\u9fa5（）()]{1,14}(?:局|办|委|中心|所|科|站|社区|街道|街镇|镇|乡|村|居委会|村委会|"
    r"居民区|公司|集团|部|室|队|院|会|组|处|政府|党委|党工委|团委|妇联|学校|医院)$"
)


def _outside_brackets(text: str, position: int) -> bool:
    """Whether `position` stands outside every bracket: `营商办（责任人：李四）` names one unit."""
    before = text[:position]
    return before.count("（") + before.count("(") <= before.count("）") + before.count(")")


def split_units(text: str) -> list[str]:
    """`区科委、区金融办` -> ["区科委", "区金融办"]; a parenthesis stays with its unit."""
    units = split_outside(text, "、,，;；/ ")
    return [u.strip("。.") for u in units if u.strip("。.")]


class Assignment:
    """Lead, partners and deadline gathered for one task, from any of the three forms."""

    def __init__(self) -> None:
        self.lead: list[str] = []
        self.partners: list[str] = []
        self.due_text = ""
        self.lead_is_responsible = False  # 责任单位 is the lead only when no 牵头单位 is named

    def add(self, label: str, value: str) -> None:
        following = next(
            (m for m in INLINE_LABEL_RE.finditer(value) if _outside_brackets(value, m.start())),
            None,
        )
        if following:
            # Two labels on one line: `牵头科室：经济发展办　　配合科室：招商服务中心`.
            self.add(label, value[: following.start()])
            self.add(following.group(1), value[following.end() :])
            return
        value = value.strip().rstrip("。.；;，,").strip()
        if not value:
            return
        if label in DUE_LABELS:
            self.due_text = self.due_text or value
        elif label in PARTNER_LABELS:
            self.partners.extend(split_units(value))
        elif label in LEAD_LABELS:
            units = split_units(value)
            marked = [m.group(1) for u in units if (m := MARKED_LEAD_RE.match(u))]
            if marked:
                # 责任单位：经济办（牵头）、营商中心: the marked unit leads, the rest partner.
                self.lead.extend(marked)
                self.partners.extend(u for u in units if not MARKED_LEAD_RE.match(u))
                return
            if label.startswith("责任"):
                if self.lead and not self.lead_is_responsible:
                    self.partners.extend(units)
                    return
                self.lead_is_responsible = True
            elif self.lead_is_responsible:
                # 牵头单位 named after 责任单位: the earlier ones were the partners.
                self.partners = self.lead + self.partners
                self.lead, self.lead_is_responsible = [], False
            self.lead.extend(units)

    @property
    def lead_text(self) -> str:
        return "、".join(self.lead)


def attribute_line(line: str) -> tuple[str, str] | None:
    """`牵头部门:平安办` -> ("牵头部门", "平安办"); None for any other line."""
    match = LABEL_LINE_RE.match(line.strip())
    if not match:
        return None
    return match.group(1), match.group(2)


def inline_assignments(text: str, assignment: Assignment) -> str:
    """Take `（牵头单位：…；责任单位：…）` out of `text` into `assignment`; returns the text without it."""

    def take(match: re.Match[str]) -> str:
        inside = match.group(1)
        labels = [
            m for m in BRACKET_LABEL_RE.finditer(inside) if _outside_brackets(inside, m.start())
        ]
        kept: list[str] = []
        for index, label in enumerate(labels):
            end = labels[index + 1].start() if index + 1 < len(labels) else len(inside)
            value = inside[label.end() : end].strip(" 　；;，,。")
            # Another field in the bracket (地点：…) stays with the text.
            other = OTHER_FIELD_RE.search(value)
            if other:
                kept.append(value[other.start() :].lstrip("；;，, "))
                value = value[: other.start()]
            name = SHORT_LABELS.get(label.group(1), label.group(1))
            if (
                label.group(1) == "时间"  # 时限：长期坚持 is a deadline as written
                and not DUE_WORD_RE.search(value)
            ):
                kept.append(f"{label.group(1)}：{value}")  # 时间：每周六上午: when, not by when
                continue
            assignment.add(name, value)
        return f"（{'；'.join(kept)}）" if kept else ""

    text = INLINE_RE.sub(take, text)
    text = UNLABELLED_RE.sub(lambda match: _unlabelled(match, assignment), text)
    trailing = TRAILING_RE.search(text)
    if trailing:
        # "……，完成时限：2024年10月底。": labels written on at the end of the sentence.
        labels = list(INLINE_LABEL_RE.finditer(text, trailing.start(1)))
        for index, label in enumerate(labels):
            end = labels[index + 1].start() if index + 1 < len(labels) else len(text)
            assignment.add(label.group(1), text[label.end() : end].strip(" ；;，,。"))
        text = text[: trailing.start()].rstrip(" ，,；;") + (
            "。" if text.rstrip().endswith("。") else ""
        )
    return text


def _names_units(text: str) -> bool:
    return all(UNIT_NAME_RE.match(unit) for unit in split_units(text))


def _unlabelled(match: re.Match[str], assignment: Assignment) -> str:
    """`（区民政局牵头，各街镇配合，年底前完成）` into `assignment`, or the parenthesis left
    as it is when it says anything else."""
    found: list[tuple[str, str]] = []
    for piece in re.split(r"[，,；;]", match.group(1)):
        piece = piece.strip()
        lead, partner, due = (
            pattern.match(piece) for pattern in (LEAD_PIECE_RE, PARTNER_PIECE_RE, DUE_PIECE_RE)
        )
        if lead and _names_units(lead.group("units")):
            found.append((LEAD_LABELS[0], lead.group("units")))
        elif partner and _names_units(partner.group("units")):
            found.append((PARTNER_LABELS[0], partner.group("units")))
        elif due:
            found.append((DUE_LABELS[0], due.group("due")))
        else:
            return match.group(0)
    at_end = not match.string[match.end() :].strip(" 。.；;")
    if not any(label == LEAD_LABELS[0] for label, _ in found) and not (
        # A stage's dates after its heading: 集中推进阶段（2025年4月—10月）.
        at_end
        and found
        and all(label == DUE_LABELS[0] for label, _ in found)
        and re.search(r"(?:19|20)\d{2}\s*年", match.group(1))
    ):
        return match.group(0)
    for label, value in found:
        assignment.add(label, value)
    return ""


SEASONS = {"一": 3, "二": 6, "三": 9, "四": 12, "1": 3, "2": 6, "3": 9, "4": 12}


def due_date(text: str, year: int | None) -> dt.date | None:
    """The last day of the period a deadline names, in the plan's year unless it names one."""
    if not text:
        return None
    text = re.sub(r"\s+", "", text)
    years = re.findall(r"((?:19|20)\d{2})年", text)
    if years:
        year = int(years[-1])
        text = text[text.rfind(years[-1]) :]
    elif re.search(r"(?:19|20)\d{2}[-./]\d{1,2}", text):
        match = re.search(r"((?:19|20)\d{2})[-./](\d{1,2})(?:[-./](\d{1,2}))?", text)
        year = int(match.group(1))
        month = int(match.group(2))
        day = int(match.group(3)) if match.group(3) else None
        return _date(year, month, day)
    if year is None:
        return None
    # A deadline in stages (一季度启动，四季度完成; 12月底前完成，其中6月底前完成1个) is
    # met when its last stage is: the latest of the dates it names.
    found: list[tuple[int, dt.date | None]] = []
    for month_day in MONTH_DAY_RE.finditer(text):
        month = _month(month_day.group(1))
        if month is None:
            continue
        day = int(month_day.group(2)) if month_day.group(2) else None
        if day is None and month_day.group(3) == "上旬":
            day = 10
        elif day is None and month_day.group(3) == "中旬":
            day = 20
        found.append((month_day.start(), _date(year, month, day)))
    for season in SEASON_RE.finditer(text):
        found.append((season.start(), _date(year, SEASONS[season.group(1)], None)))
    for half in HALF_YEAR_RE.finditer(text):
        found.append((half.start(), dt.date(year, 6, 30)))
    for end in YEAR_END_RE.finditer(text):
        found.append((end.start(), dt.date(year, 12, 31)))
    dates = [date for _, date in found if date is not None]
    if dates:
        return max(dates)
    if re.search(r"全年|年度", text) or re.fullmatch(r"(?:19|20)\d{2}年", text):
        return dt.date(year, 12, 31)
    return None


MONTH_DAY_RE = re.compile(
    r"(\d{1,2}|[一二三四五六七八九十]{1,3})月(?:(\d{1,2})日)?(上旬|中旬|下旬|底|末)?"
)
SEASON_RE = re.compile(r"(?:第)?([一二三四1-4])季度")
HALF_YEAR_RE = re.compile(r"上半年|年中")
YEAR_END_RE = re.compile(r"下半年|年底|年末|年内|年前")


def _month(raw: str) -> int | None:
    value = int(raw) if raw.isdigit() else chinese_ordinal(raw)
    return value if value and 1 <= value <= 12 else None


def _date(year: int, month: int, day: int | None) -> dt.date | None:
    if not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year, month)[1]
    try:
        return dt.date(year, month, min(day, last) if day else last)
    except ValueError:
        return None
