"""Load parsed documents into the database.

`document_import` reads and parses a file and hands the result to `plan_import`, which
writes every plan of the document in one transaction: a document is imported whole or
not at all. Re-importing the same text changes nothing (see Plan's unique constraint).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from apps.importer.reading import read_document
from apps.importer.types import (
    DocumentError,
    ParsedDocument,
    ParsedIndicator,
    ParsedNode,
    ParsedPlan,
)
from apps.plans.models import Indicator, IndicatorReading, Plan, Task
from apps.plans.services import plan_rollup
from apps.plans.themes import theme_for
from apps.subdistricts.models import Subdistrict

KIND_BY_LABEL = {
    "工作要点": Plan.Kind.WORK_POINTS,
    "工作报告": Plan.Kind.WORK_REPORT,
    "专项行动计划": Plan.Kind.ACTION_PLAN,
    "工作计划": Plan.Kind.WORK_PLAN,
}

REVIEW_READING_NOTE = "工作回顾中报告的完成值"
IMPORT_CHANGE_REASON = "导入"


@dataclass
class PlanImport:
    """What happened to one plan of a document."""

    plan: Plan
    created: bool
    sections: int = 0  # top-level items
    tasks: int = 0  # items below the top level
    indicators: int = 0
    readings: int = 0


@dataclass
class ImportResult:
    source_name: str
    plans: list[PlanImport] = field(default_factory=list)

    @property
    def created_plans(self) -> list[Plan]:
        return [item.plan for item in self.plans if item.created]

    @property
    def skipped_plans(self) -> list[Plan]:
        return [item.plan for item in self.plans if not item.created]

    @property
    def task_count(self) -> int:
        """Task rows created, at every level."""
        return sum(item.sections + item.tasks for item in self.plans)

    @property
    def indicator_count(self) -> int:
        return sum(item.indicators for item in self.plans)

    @property
    def reading_count(self) -> int:
        return sum(item.readings for item in self.plans)


def document_import(*, path: str | Path, source_name: str | None = None) -> ImportResult:
    """Read, parse and load the document at `path`. Raises DocumentError with a Chinese
    message when the file cannot be read or holds no plan."""
    # Imported here so that the loader below does not depend on the parser being importable.
    from apps.importer.parser import parse_document

    text = read_document(path)
    document = parse_document(text)
    return plan_import(document=document, source_name=source_name or Path(path).name)


@transaction.atomic
def plan_import(*, document: ParsedDocument, source_name: str) -> ImportResult:
    """Create the plans of a parsed document, skipping those imported before."""
    content_hash = hashlib.sha256(document.text.encode("utf-8")).hexdigest()
    result = ImportResult(source_name=source_name)
    for parsed in document.plans:
        existing = Plan.objects.filter(
            content_hash=content_hash,
            year_start=parsed.year_start,
            year_end=parsed.year_end,
            is_review=parsed.is_review,
        ).first()
        if existing is not None:
            result.plans.append(PlanImport(plan=existing, created=False))
            continue
        result.plans.append(
            _plan_create(
                parsed=parsed,
                source_text=document.text,
                content_hash=content_hash,
                source_name=source_name,
            )
        )
    return result


def _plan_create(
    *, parsed: ParsedPlan, source_text: str, content_hash: str, source_name: str
) -> PlanImport:
    subdistrict = _subdistrict_get_or_create(name=parsed.subdistrict, district=parsed.district)
    plan = Plan.objects.create(
        subdistrict=subdistrict,
        title=_clip(parsed.title, Plan, "title"),
        kind=KIND_BY_LABEL.get(parsed.kind, Plan.Kind.WORK_PLAN),
        year_start=parsed.year_start,
        year_end=parsed.year_end,
        published_on=parsed.published_on,
        doc_number=_clip(parsed.doc_number, Plan, "doc_number"),
        is_review=parsed.is_review,
        source_name=_clip(source_name, Plan, "source_name"),
        source_text=source_text,
        content_hash=content_hash,
    )
    summary = PlanImport(plan=plan, created=True)

    # A look-back reports work already done.
    review_done = {"status": Task.Status.DONE, "percent": 100} if parsed.is_review else {}
    # One bulk insert per level of the tree: a level's rows need their parents' ids.
    indicators: list[Indicator] = []
    level: list[tuple[Task | None, list[ParsedNode]]] = [(None, parsed.nodes)]
    depth = 0
    while level:
        rows: list[tuple[Task, ParsedNode]] = []
        for parent, nodes in level:
            for order, node in enumerate(nodes, start=1):
                path = f"{parent.path}.{order:04d}" if parent else f"{order:04d}"
                task = Task(
                    plan=plan,
                    parent=parent,
                    number=_clip(node.number, Task, "number"),
                    title=_clip(node.title, Task, "title"),
                    text=node.text,
                    order=order,
                    depth=depth,
                    path=path,
                    theme=theme_for(node.title, node.text, parent.theme if parent else None),
                    **review_done,
                )
                rows.append((task, node))
        if not rows:
            break
        bulk_create_with_history(
            [task for task, _ in rows], Task, default_change_reason=IMPORT_CHANGE_REASON
        )
        for task, node in rows:
            for order, parsed_indicator in enumerate(node.indicators, start=1):
                indicators.append(_indicator_build(task=task, parsed=parsed_indicator, order=order))
        if depth == 0:
            summary.sections = len(rows)
        else:
            summary.tasks += len(rows)
        level = [(task, node.children) for task, node in rows if node.children]
        depth += 1

    if indicators:
        bulk_create_with_history(indicators, Indicator, default_change_reason=IMPORT_CHANGE_REASON)
    summary.indicators = len(indicators)

    if parsed.is_review and indicators:
        # In a look-back the numbers are achievements, so they are also the first readings.
        IndicatorReading.objects.bulk_create(
            IndicatorReading(
                indicator=indicator,
                date=dt.date(parsed.year_end, 12, 31),
                value=indicator.target_value,
                note=REVIEW_READING_NOTE,
            )
            for indicator in indicators
        )
        summary.readings = len(indicators)
    # The plan's traffic lights and totals exist from the start, for the dashboards.
    plan_rollup(plan_id=plan.pk)
    return summary


def _indicator_build(*, task: Task, parsed: ParsedIndicator, order: int) -> Indicator:
    return Indicator(
        task=task,
        name=_clip(parsed.name, Indicator, "name"),
        target_value=parsed.value,
        unit=_clip(parsed.unit, Indicator, "unit"),
        comparator=parsed.comparator,
        source_text=parsed.text,
        order=order,
    )


def _subdistrict_get_or_create(*, name: str, district: str) -> Subdistrict:
    name = name.strip()
    if not name:
        raise DocumentError("文档中没有识别出街道名称，无法导入。")
    subdistrict, created = Subdistrict.objects.get_or_create(
        name=name, defaults={"district": district}
    )
    if not created and district and not subdistrict.district:
        subdistrict.district = district
        subdistrict.save(update_fields=["district"])
    return subdistrict


def _clip(value: str, model: type, field_name: str) -> str:
    """Cut a parsed string to the column's length; the full wording stays in the text."""
    max_length = model._meta.get_field(field_name).max_length
    value = (value or "").strip()
    return value if len(value) <= max_length else value[: max_length - 1] + "…"
