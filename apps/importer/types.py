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

# The comparators an indicator's target can carry; "approx" is 左右/约 (an approximate target).
COMPARATORS = ("eq", "gte", "lte", "gt", "lt", "approx")

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

    def to_dict(self) -> dict[str, Any]:
        return {"plans": [p.to_dict() for p in self.plans]}
