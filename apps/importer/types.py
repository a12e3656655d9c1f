"""Parsed-document data types: the contract between the parser and the loader.

Plain dataclasses with no Django imports, so the parser can be tested on its own
and `parse_plan` can print the result as JSON without touching a database.

What a document does not name stays empty: `subdistrict`, `district`, `year_start` and
`year_end` may be None (a plan with no unit or no year still parses; `import_plan` asks for
them), a node's `due` is None when the text gives no deadline.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from apps.plans.rules.vocabulary import COMPARATOR_LABELS

# The comparators an indicator's target can carry ("approx" is 左右/约): the codes of the one
# vocabulary (apps/plans/rules, plain Python like this module).
COMPARATORS = tuple(str(code) for code in COMPARATOR_LABELS)

# Levels of the issuing unit, as `Subdistrict.level` stores them.
UNIT_LEVELS = ("街道", "镇", "乡", "区县", "其他")


class DocumentError(Exception):
    """A document that cannot be imported; `str(exc)` is a message in Chinese for the user."""


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


@dataclass
class ParsedIndicator:
    name: str
    value: Decimal
    unit: str
    comparator: str  # one of COMPARATORS
    text: str  # the sentence of the document the indicator was found in

    @classmethod
    def from_dict(cls, data: Any, *, where: str = "指标") -> ParsedIndicator:
        """The inverse of to_dict; raises DocumentError naming `where`."""
        return _indicator_from_dict(data, where)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": _number(self.value),
            "unit": self.unit,
            "comparator": self.comparator,
            "text": self.text,
        }


@dataclass
class ParsedNode:
    number: str  # as printed: "一、", "(一)", "1.", "一是"
    title: str  # heading without its number
    text: str  # body text (may be empty for a pure heading)
    indicators: list[ParsedIndicator] = field(default_factory=list)
    children: list[ParsedNode] = field(default_factory=list)
    lead: str = ""  # 牵头单位 as written ("区发改委"); several joined with 、
    partners: list[str] = field(default_factory=list)  # 责任/配合/协办单位, one per entry
    due: dt.date | None = None  # the last day of the period the deadline names
    due_text: str = ""  # the deadline as written ("2024年6月底前", "年底前")

    @classmethod
    def from_dict(cls, data: Any, *, where: str = "任务") -> ParsedNode:
        """The inverse of to_dict, children included; raises DocumentError naming the node."""
        return _node_from_dict(data, where)

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "title": self.title,
            "text": self.text,
            "lead": self.lead,
            "partners": list(self.partners),
            "due": self.due.isoformat() if self.due else None,
            "due_text": self.due_text,
            "indicators": [i.to_dict() for i in self.indicators],
            "children": [c.to_dict() for c in self.children],
        }

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class ParsedPlan:
    subdistrict: str | None  # the issuing unit as named: 江浦路街道, 颛桥镇, 嘉定工业区, 静安区
    district: (
        str | None
    )  # its parent 区/县/市 when the text names it (the unit itself at 区县 level)
    title: str
    kind: str  # Chinese label: "工作要点", "工作报告", "专项行动计划", "工作计划"
    year_start: int | None
    year_end: int | None
    published_on: dt.date | None
    doc_number: str
    is_review: bool  # a look-back: its indicators are achievements (readings), not targets
    nodes: list[ParsedNode] = field(default_factory=list)
    level: str | None = None  # one of UNIT_LEVELS, None when no unit is named

    @classmethod
    def from_dict(cls, data: Any, *, where: str = "第1个计划") -> ParsedPlan:
        """The inverse of to_dict; raises DocumentError naming the node."""
        return _plan_from_dict(data, where)

    def to_dict(self) -> dict[str, Any]:
        return {
            "subdistrict": self.subdistrict,
            "district": self.district,
            "level": self.level,
            "title": self.title,
            "kind": self.kind,
            "year_start": self.year_start,
            "year_end": self.year_end,
            "published_on": self.published_on.isoformat() if self.published_on else None,
            "doc_number": self.doc_number,
            "is_review": self.is_review,
            "nodes": [n.to_dict() for n in self.nodes],
        }

    def walk(self):
        for node in self.nodes:
            yield from node.walk()


@dataclass
class ParsedDocument:
    text: str  # the normalised full text the plans were parsed from
    plans: list[ParsedPlan] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: Any, *, text: str = "") -> ParsedDocument:
        """`to_dict()` read back (a corrected draft from the browser) with the text it was
        parsed from; raises DocumentError whose message names the offending node
        ("第1个计划 › 第2项 › 第1项：标题不能为空")."""
        return _document_from_dict(data, text=text)

    def to_dict(self) -> dict[str, Any]:
        return {"plans": [p.to_dict() for p in self.plans]}


# --- The inverse of to_dict: a corrected draft (JSON from the browser) back into data ---------
# Pure like the rest of this module; every error names the node it is about, in the words
# a user sees in the tree ("第1个计划 › 第2项 › 第1项"), so the editor can show it there.


def _text(data: dict, key: str, where: str, *, required: bool = False, label: str = "") -> str:
    value = data.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise DocumentError(f"{where}：{label or key}必须是文字")
    if required and not value.strip():
        raise DocumentError(f"{where}：{label or key}不能为空")
    return value


def _date(value: Any, where: str, label: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise DocumentError(
            f"{where}：{label}“{value}”不是有效日期（应为 2025-06-30 这样的格式）"
        ) from None


def _year(value: Any, where: str, label: str) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise DocumentError(f"{where}：{label}必须是年份")
    try:
        year = int(value)
    except ValueError:
        raise DocumentError(f"{where}：{label}“{value}”不是年份") from None
    if not 1949 <= year <= 2100:
        raise DocumentError(f"{where}：{label}{year}不在 1949—2100 之间")
    return year


def _mapping(data: Any, where: str) -> dict:
    if not isinstance(data, dict):
        raise DocumentError(f"{where}：格式不正确（应为对象）")
    return data


def _list(data: Any, where: str, label: str) -> list:
    if data is None:
        return []
    if not isinstance(data, list):
        raise DocumentError(f"{where}：{label}必须是列表")
    return data


def _indicator_from_dict(data: Any, where: str) -> ParsedIndicator:
    data = _mapping(data, where)
    name = _text(data, "name", where, required=True, label="指标名称")
    raw = data.get("value")
    if isinstance(raw, bool) or raw in (None, ""):
        raise DocumentError(f"{where}：指标“{name}”缺少目标值")
    try:
        value = Decimal(str(raw).strip())
    except ArithmeticError:
        raise DocumentError(f"{where}：指标“{name}”的目标值“{raw}”不是数字") from None
    if not value.is_finite() or abs(value) >= Decimal(10) ** 16:
        raise DocumentError(f"{where}：指标“{name}”的目标值“{raw}”不是有效数字")
    comparator = data.get("comparator") or "eq"
    if comparator not in COMPARATORS:
        raise DocumentError(f"{where}：指标“{name}”的比较方式“{comparator}”无效")
    return ParsedIndicator(
        name=name.strip(),
        value=value,
        unit=_text(data, "unit", where, label="单位").strip(),
        comparator=comparator,
        text=_text(data, "text", where, label="原文语句"),
    )


def _node_from_dict(data: Any, where: str) -> ParsedNode:
    data = _mapping(data, where)
    partners = _list(data.get("partners"), where, "配合单位")
    if not all(isinstance(p, str) for p in partners):
        raise DocumentError(f"{where}：配合单位必须是文字")
    return ParsedNode(
        number=_text(data, "number", where, label="编号").strip(),
        title=_text(data, "title", where, required=True, label="标题").strip(),
        text=_text(data, "text", where, label="内容"),
        lead=_text(data, "lead", where, label="牵头单位").strip(),
        partners=[p.strip() for p in partners if p.strip()],
        due=_date(data.get("due"), where, "完成时限"),
        due_text=_text(data, "due_text", where, label="完成时限原文").strip(),
        indicators=[
            _indicator_from_dict(item, f"{where} › 第{i}个指标")
            for i, item in enumerate(_list(data.get("indicators"), where, "指标"), start=1)
        ],
        children=[
            _node_from_dict(item, f"{where} › 第{i}项")
            for i, item in enumerate(_list(data.get("children"), where, "下级任务"), start=1)
        ],
    )


def _plan_from_dict(data: Any, where: str) -> ParsedPlan:
    data = _mapping(data, where)
    level = data.get("level") or None
    if level is not None and level not in UNIT_LEVELS:
        raise DocumentError(f"{where}：级别“{level}”无效，应为{'、'.join(UNIT_LEVELS)}之一")
    year_start = _year(data.get("year_start"), where, "起始年份")
    year_end = _year(data.get("year_end"), where, "结束年份")
    if year_start and year_end and year_end < year_start:
        raise DocumentError(f"{where}：结束年份不能早于起始年份")
    is_review = data.get("is_review", False)
    if not isinstance(is_review, bool):
        raise DocumentError(f"{where}：is_review 必须是 true 或 false")
    nodes = _list(data.get("nodes"), where, "任务")
    return ParsedPlan(
        subdistrict=_text(data, "subdistrict", where, label="单位").strip() or None,
        district=_text(data, "district", where, label="上级区县").strip() or None,
        level=level,
        title=_text(data, "title", where, label="标题").strip(),
        kind=_text(data, "kind", where, label="类型").strip(),
        year_start=year_start,
        year_end=year_end,
        published_on=_date(data.get("published_on"), where, "发布日期"),
        doc_number=_text(data, "doc_number", where, label="文件编号").strip(),
        is_review=is_review,
        nodes=[_node_from_dict(item, f"{where} › 第{i}项") for i, item in enumerate(nodes, 1)],
    )


def _document_from_dict(data: Any, *, text: str = "") -> ParsedDocument:
    """`ParsedDocument.to_dict()` read back, validated; raises DocumentError naming the node."""
    data = _mapping(data, "草稿")
    plans = _list(data.get("plans"), "草稿", "计划")
    if not plans:
        raise DocumentError("草稿中没有计划")
    return ParsedDocument(
        text=text,
        plans=[_plan_from_dict(item, f"第{i}个计划") for i, item in enumerate(plans, start=1)],
    )
