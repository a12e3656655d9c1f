"""Parsed-document data types: the contract between the parser and the loader.

Plain dataclasses with no Django imports, so the parser can be tested on its own
and `parse_plan` can print the result as JSON without touching a database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


class DocumentError(Exception):
    """A document that cannot be imported; `str(exc)` is a message in Chinese for the user."""


@dataclass
class ParsedIndicator:
    name: str
    value: Decimal
    unit: str
    comparator: str  # one of "eq", "gte", "lte", "gt", "lt"
    text: str  # the sentence of the document the indicator was found in

    def to_dict(self) -> dict[str, Any]:
        value = self.value
        number: int | float = int(value) if value == value.to_integral_value() else float(value)
        return {
            "name": self.name,
            "value": number,
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

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "title": self.title,
            "text": self.text,
            "indicators": [i.to_dict() for i in self.indicators],
            "children": [c.to_dict() for c in self.children],
        }

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class ParsedPlan:
    subdistrict: str
    district: str
    title: str
    kind: str  # Chinese label: "工作要点", "工作报告", "专项行动计划", "工作计划"
    year_start: int
    year_end: int
    published_on: dt.date | None
    doc_number: str
    is_review: bool
    nodes: list[ParsedNode] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "subdistrict": self.subdistrict,
            "district": self.district,
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
