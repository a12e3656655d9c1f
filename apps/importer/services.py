"""Load parsed documents into the database.

`document_import` reads and parses a file and hands the result to `plan_import`, which
writes every plan of the document in one transaction: a document is imported whole or
not at all. Re-importing the same text changes nothing (see Plan's unique constraint).

A document need not name its unit or its year; the person importing it then names them
(`import_plan --unit … --year …`), and what they name wins over what the parser found.
Without either, nothing is written and the DocumentError says which option to give.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, transaction

from apps.core.bulk import history_rows_create, rows_insert
from apps.core.processes import in_processes
from apps.importer.reading import read_document
from apps.importer.types import (
    UNIT_LEVELS,
    DocumentError,
    ParsedDocument,
    ParsedIndicator,
    ParsedNode,
    ParsedPlan,
)
from apps.plans.models import Indicator, IndicatorReading, Plan, Task
from apps.plans.rules.rollup import stored_decimal
from apps.plans.rules.themes import theme_for
from apps.plans.services import plan_match_owners, plan_rollup, plan_rollup_unsaved
from apps.subdistricts.matching import department_match, unit_level_from_name
from apps.subdistricts.models import Department, Subdistrict

KIND_BY_LABEL = {
    "工作要点": Plan.Kind.WORK_POINTS,
    "工作报告": Plan.Kind.WORK_REPORT,
    "专项行动计划": Plan.Kind.ACTION_PLAN,
    "工作计划": Plan.Kind.WORK_PLAN,
}

REVIEW_READING_NOTE = "工作回顾中报告的完成值"
PROGRESS_READING_NOTE = "执行情况表中报告的完成值"
IMPORT_CHANGE_REASON = "导入"
MISSING_UNIT = (
    "文档中没有识别出发文单位（街道、镇、乡或区），请用 --unit 指定，例如 --unit 江浦路街道。"
)
MISSING_YEAR = "文档中没有识别出计划年度，请用 --year 指定，例如 --year 2025。"
PARTNER_SEPARATOR = "、"


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


def document_import(
    *,
    path: str | Path,
    source_name: str | None = None,
    unit_name: str | None = None,
    year: int | None = None,
    level: str | None = None,
    district: str | None = None,
) -> ImportResult:
    """Read, parse and load the document at `path` (see `plan_import` for the other
    arguments). Raises DocumentError with a Chinese message when the file cannot be read,
    holds no plan, or names no unit or year and none is given."""
    text = read_document(path)
    # Imported here, after reading, so that neither the loader below nor a file's reading
    # errors depend on the parser being importable.
    from apps.importer.parser import parse_document

    document = parse_document(text)
    arguments = {
        "document": document,
        "source_name": source_name or Path(path).name,
        "unit_name": unit_name,
        "year": year,
        "level": level,
        "district": district,
    }
    try:
        return plan_import(**arguments)
    except IntegrityError:
        # Another import of the same document committed first (the unique constraint on
        # the content hash): this one rolled back whole; run again, it now finds that
        # plan and reports 未变化（已导入过）.
        return plan_import(**arguments)


def documents_import(
    *, paths: Sequence[str | Path], jobs: int = 1, **overrides
) -> Iterator[tuple[str | Path, ImportResult | DocumentError]]:
    """`document_import` for each of `paths` (`overrides`: its unit, year, level and
    district arguments), yielding each path with its result or the DocumentError that
    refused it, in the order given. Each document is committed or refused on its own, as
    when imported one by one; with `jobs` > 1 on PostgreSQL, that many worker processes
    import them side by side (apps/core/processes.py)."""
    paths = list(paths)
    results = in_processes(_document_import_or_error, paths, jobs=jobs, args=(overrides,))
    yield from zip(paths, results, strict=True)


def _document_import_or_error(path: str | Path, overrides: dict) -> ImportResult | DocumentError:
    try:
        return document_import(path=path, **overrides)
    except DocumentError as exc:
        return exc


@transaction.atomic
def plan_import(
    *,
    document: ParsedDocument,
    source_name: str,
    unit_name: str | None = None,
    year: int | None = None,
    level: str | None = None,
    district: str | None = None,
) -> ImportResult:
    """Create the plans of a parsed document, skipping those imported before.

    `unit_name` and `year` override what the parser found, `level` and `district` describe
    the unit (used when the import creates it, and an explicit `level` corrects an existing
    unit); see `_plans_resolve`. Raises DocumentError before writing anything when a plan
    has no unit or no year.
    """
    plans = _plans_resolve(
        document.plans, unit_name=unit_name, year=year, level=level, district=district
    )
    content_hash = hashlib.sha256(document.text.encode("utf-8")).hexdigest()
    result = ImportResult(source_name=source_name)
    progress = _progress_reports(plans)
    for parsed in plans:
        if any(parsed is review for review, _ in progress):
            continue
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
                explicit_level=level,
            )
        )
    for review, outlook in progress:
        item = next(
            i
            for i in result.plans
            if i.plan.year_start == outlook.year_start and not i.plan.is_review
        )
        if item.created:
            item.readings += _progress_record(review=review, plan=item.plan)
    return result


def _progress_reports(plans: list[ParsedPlan]) -> list[tuple[ParsedPlan, ParsedPlan]]:
    """Look-backs over the same period as a plan of the same document (a half-year report's
    progress table): their figures are readings of that plan's indicators, not a plan."""
    pairs = []
    for review in plans:
        if not review.is_review:
            continue
        outlook = next(
            (
                p
                for p in plans
                if not p.is_review
                and (p.year_start, p.year_end) == (review.year_start, review.year_end)
            ),
            None,
        )
        if outlook is not None:
            pairs.append((review, outlook))
    return pairs


def _progress_record(*, review: ParsedPlan, plan: Plan) -> int:
    """Readings for `plan`'s indicators from a progress report's figures, matched by task
    title and unit, dated to the report (its publication date, else today, within the plan's
    period). Figures with no matching indicator are kept in the task's text only."""
    indicators: dict[tuple[str, str], Indicator] = {}
    for indicator in Indicator.objects.filter(task__plan=plan).select_related("task"):
        indicators.setdefault((indicator.task.title, indicator.unit), indicator)
    period_end = dt.date(plan.year_end, 12, 31)
    date = min(review.published_on or dt.date.today(), period_end)
    date = max(date, dt.date(plan.year_start, 1, 1))
    readings = []
    for node in review.walk():
        for figure in node.indicators:
            indicator = indicators.pop((clip(node.title, Task, "title"), figure.unit), None)
            if indicator is not None:
                readings.append(
                    IndicatorReading(
                        indicator=indicator,
                        date=date,
                        value=figure.value,
                        note=PROGRESS_READING_NOTE,
                    )
                )
    IndicatorReading.objects.bulk_create(readings)
    if readings:
        plan_rollup(plan_id=plan.pk)
    return len(readings)


def _plans_resolve(
    plans: list[ParsedPlan],
    *,
    unit_name: str | None,
    year: int | None,
    level: str | None,
    district: str | None,
) -> list[ParsedPlan]:
    """Copies of the parsed plans with the unit and years they will be stored with.

    The unit: `unit_name` when given, else the parsed one. The parsed district and level
    describe the parsed unit, so they are kept only when the unit is that one; an explicit
    `district` or `level` always wins; a level still unknown comes from the name's suffix.

    The years: with `year` given, the look-ahead plans take it (a multi-year plan keeps its
    length: 2023-2025 with year 2024 becomes 2024-2026) and the look-back plans of the same
    document keep theirs, or take the year before when they have none; a document that is
    only a look-back takes `year` itself. Without `year`, a look-back with no year likewise
    takes the year before its document's look-ahead.
    """
    if level is not None and level not in UNIT_LEVELS:
        raise DocumentError(f"级别只能是{'、'.join(UNIT_LEVELS)}之一。")
    outlook_years = [p.year_start or p.year_end for p in plans if not p.is_review]
    has_outlook = bool(outlook_years)
    base_year = year or next((y for y in outlook_years if y), None)
    resolved = []
    for parsed in plans:
        parsed_unit = (parsed.subdistrict or "").strip()
        unit = (unit_name or "").strip() or parsed_unit
        if not unit:
            raise DocumentError(MISSING_UNIT)
        same_unit = unit == parsed_unit
        parsed_level = parsed.level if same_unit and parsed.level in UNIT_LEVELS else None
        start, end = parsed.year_start or parsed.year_end, parsed.year_end or parsed.year_start
        if year and (not parsed.is_review or not has_outlook):
            start, end = year, year + (end - start if start and end else 0)
        elif start is None and parsed.is_review and base_year:
            start = end = base_year - 1
        if start is None or end is None:
            raise DocumentError(MISSING_YEAR)
        resolved.append(
            dataclasses.replace(
                parsed,
                subdistrict=unit,
                district=(district or (parsed.district if same_unit else None) or "").strip(),
                level=level or parsed_level or unit_level_from_name(unit),
                year_start=start,
                year_end=end,
            )
        )
    return resolved


def _plan_create(
    *,
    parsed: ParsedPlan,
    source_text: str,
    content_hash: str,
    source_name: str,
    explicit_level: str | None = None,
) -> PlanImport:
    subdistrict = _subdistrict_get_or_create(
        name=parsed.subdistrict,
        district=parsed.district,
        level=parsed.level,
        explicit_level=explicit_level,
    )
    departments = _department_matcher(subdistrict)
    plan = Plan.objects.create(
        subdistrict=subdistrict,
        title=clip(parsed.title.strip() or _plan_default_title(parsed), Plan, "title"),
        kind=KIND_BY_LABEL.get(parsed.kind, Plan.Kind.WORK_PLAN),
        year_start=parsed.year_start,
        year_end=parsed.year_end,
        published_on=parsed.published_on,
        doc_number=clip(parsed.doc_number, Plan, "doc_number"),
        is_review=parsed.is_review,
        source_name=clip(source_name, Plan, "source_name"),
        source_text=source_text,
        content_hash=content_hash,
    )
    summary = PlanImport(plan=plan, created=True)

    # A look-back reports work already done.
    review_done = {"status": Task.Status.DONE, "percent": 100} if parsed.is_review else {}
    # The whole tree is built first, each row pointing at its parent object: the roll-up is
    # computed on it before anything is inserted, then one insert for the whole tree
    # (`rows_insert` reserves the ids, so parents are linked before anything is written).
    levels: list[list[Task]] = []
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
                    number=clip(node.number, Task, "number"),
                    title=clip(node.title, Task, "title"),
                    text=node.text,
                    order=order,
                    depth=depth,
                    path=path,
                    theme=theme_for(node.title, node.text, parent.theme if parent else None),
                    lead_text=clip(node.lead, Task, "lead_text"),
                    lead_department_id=departments(node.lead),
                    partners_text=clip(partners_join(node.partners), Task, "partners_text"),
                    due_text=clip(node.due_text, Task, "due_text"),
                    due_date=node.due,
                    **review_done,
                )
                rows.append((task, node))
                for i, parsed_indicator in enumerate(node.indicators, start=1):
                    indicators.append(indicator_build(task=task, parsed=parsed_indicator, order=i))
        if not rows:
            break
        levels.append([task for task, _ in rows])
        level = [(task, node.children) for task, node in rows if node.children]
        depth += 1
    tasks = [task for rows in levels for task in rows]
    summary.sections = len(levels[0]) if levels else 0
    summary.tasks = len(tasks) - summary.sections
    summary.indicators = len(indicators)

    # In a look-back the numbers are achievements, so they are also the first readings.
    review_date = dt.date(parsed.year_end, 12, 31)
    readings = (
        {id(i): [(review_date, float(stored_decimal(i.target_value)))] for i in indicators}
        if parsed.is_review
        else {}
    )
    # The plan's traffic lights and totals exist from the start, for the dashboards.
    plan_rollup_unsaved(plan=plan, tasks=tasks, indicators=indicators, readings=readings)

    rows_insert(Task, tasks)
    history_rows_create(Task, tasks, change_reason=IMPORT_CHANGE_REASON)
    if indicators:
        rows_insert(Indicator, indicators)
        history_rows_create(Indicator, indicators, change_reason=IMPORT_CHANGE_REASON)
    if parsed.is_review and indicators:
        rows_insert(
            IndicatorReading,
            [
                IndicatorReading(
                    indicator=indicator,
                    date=review_date,
                    value=indicator.target_value,
                    note=REVIEW_READING_NOTE,
                )
                for indicator in indicators
            ],
        )
        summary.readings = len(indicators)
    # 责任人 named in the document become owners where they name one member exactly; a
    # plan whose tasks name nobody (the parser reads no 责任人 today) costs no query.
    if any(task.responsible_person.strip() for task in tasks):
        plan_match_owners(plan_id=plan.pk)
    return summary


def _plan_default_title(parsed: ParsedPlan) -> str:
    """A title for a document whose title was not recognised (its unit and year may have
    been given on the command line), so that no page lists a plan without a name."""
    years = str(parsed.year_start)
    if parsed.year_end != parsed.year_start:
        years = f"{parsed.year_start}-{parsed.year_end}"
    return f"{parsed.subdistrict}{years}年{parsed.kind or '工作计划'}"


def partners_join(partners: list[str]) -> str:
    return PARTNER_SEPARATOR.join(p.strip() for p in partners if p.strip())


# Read once: `Comparator.values` builds its list anew on each access (1.5 ms a document).
COMPARATORS = frozenset(Indicator.Comparator.values)


def comparator_stored(comparator: str) -> str:
    """The comparator an indicator is saved with: a parsed one the pages have no label for
    reads as a plain target (等于), on import and on re-import alike."""
    return comparator if comparator in COMPARATORS else Indicator.Comparator.EQ


def indicator_build(*, task: Task, parsed: ParsedIndicator, order: int) -> Indicator:
    return Indicator(
        task=task,
        name=clip(parsed.name, Indicator, "name"),
        target_value=parsed.value,
        unit=clip(parsed.unit, Indicator, "unit"),
        comparator=comparator_stored(parsed.comparator),
        source_text=parsed.text,
        order=order,
    )


def _subdistrict_get_or_create(
    *, name: str, district: str, level: str, explicit_level: str | None
) -> Subdistrict:
    """The unit named `name`, created with `level` and `district` when new. An existing
    unit only gains a district it lacks, and changes level only when the person importing
    says so: someone may have corrected it by hand."""
    name = clip(name, Subdistrict, "name")
    if not district and level == Subdistrict.Level.COUNTY:
        district = name  # a district-level body is its own 区
    district = clip(district, Subdistrict, "district")
    subdistrict, created = Subdistrict.objects.get_or_create(
        name=name, defaults={"district": district, "level": level}
    )
    if created:
        return subdistrict
    changed = []
    if district and not subdistrict.district:
        subdistrict.district = district
        changed.append("district")
    if explicit_level and subdistrict.level != explicit_level:
        subdistrict.level = explicit_level
        changed.append("level")
    if changed:
        subdistrict.save(update_fields=changed)
    return subdistrict


def _department_matcher(subdistrict: Subdistrict):
    """A function from a task's lead as written to the id of the unit's department it
    names (None when it names none of them); one query for the plan, one match per
    distinct lead."""
    ids_by_name = dict(Department.objects.filter(subdistrict=subdistrict).values_list("name", "id"))
    cache: dict[str, int | None] = {}

    def match(lead: str) -> int | None:
        if lead not in cache:
            name = department_match(lead, ids_by_name) if lead and ids_by_name else None
            cache[lead] = ids_by_name[name] if name else None
        return cache[lead]

    return match


def clip(value: str, model: type, field_name: str) -> str:
    """Cut a parsed string to the column's length; the full wording stays in the text."""
    max_length = model._meta.get_field(field_name).max_length
    value = (value or "").strip()
    return value if len(value) <= max_length else value[: max_length - 1] + "…"
