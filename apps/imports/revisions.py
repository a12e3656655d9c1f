"""Revisions: a new version of a plan already in the system (same unit, kind, years and
look-back flag, different text) is compared with it and applied in place.

Tasks are matched old ↔ new by their place and number and the similarity of their wording
(rapidfuzz), so that everything staff entered on a matched task (status, percent, updates,
readings, department, person) stays on it; removed tasks are archived, not deleted.
`plan_diff` is a read (the draft page shows it before confirm); `plan_revise` is the write,
called from `draft_confirm` inside its transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from rapidfuzz import fuzz
from simple_history.utils import update_change_reason

from apps.importer.services import (
    KIND_BY_LABEL,
    clip,
    comparator_stored,
    indicator_build,
    partners_join,
)
from apps.importer.types import ParsedDocument, ParsedIndicator, ParsedNode, ParsedPlan
from apps.imports.models import PlanVersion
from apps.plans.models import Indicator, Plan, Task
from apps.plans.rules.themes import theme_for

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.imports.models import ImportDraft

# Below this similarity (0-100) of title and text, two tasks are different tasks.
MATCH_MIN_SCORE = 60
INDICATOR_MIN_SCORE = 70
REVISION_REASON = "修订"
COMPARATOR_LABELS = dict(Indicator.Comparator.choices)


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def _wording(text: str) -> str:
    """The text without its figures: a changed number is a target change, not a rewording."""
    return re.sub(r"\d+(?:\.\d+)?", "#", _norm(text))


@dataclass
class TargetChange:
    name: str
    old: str  # "不少于 1200个"
    new: str


@dataclass
class TaskMatch:
    task: Task
    node: ParsedNode
    reworded: bool
    targets: list[TargetChange] = field(default_factory=list)
    indicator_pairs: list[tuple[Indicator, ParsedIndicator]] = field(default_factory=list)
    indicators_added: list[ParsedIndicator] = field(default_factory=list)
    indicators_removed: list[Indicator] = field(default_factory=list)


@dataclass
class PlanDiff:
    plan: Plan
    matched: list[TaskMatch] = field(default_factory=list)
    added: list[ParsedNode] = field(default_factory=list)
    removed: list[Task] = field(default_factory=list)

    @property
    def reworded(self) -> list[TaskMatch]:
        return [m for m in self.matched if m.reworded]

    @property
    def target_changes(self) -> list[tuple[TaskMatch, TargetChange]]:
        return [(m, t) for m in self.matched for t in m.targets]

    def summary(self) -> dict[str, Any]:
        lines = [f"新增：{_label(n.number, n.title)}" for n in self.added]
        lines += [f"删除（已归档）：{_label(t.number, t.title)}" for t in self.removed]
        lines += [f"改写：{_label(m.node.number, m.node.title)}" for m in self.reworded]
        lines += [f"目标变化：{t.name} {t.old} → {t.new}" for _, t in self.target_changes]
        return {
            "added": len(self.added),
            "removed": len(self.removed),
            "reworded": len(self.reworded),
            "targets": len(self.target_changes),
            "lines": lines,
        }


def _label(number: str, title: str) -> str:
    return f"{number} {title}".strip()


def _target(value: Decimal, unit: str, comparator: str) -> str:
    number = f"{Decimal(str(value)).normalize():f}"
    return f"{COMPARATOR_LABELS.get(comparator, '')} {number}{unit}".strip()


def revision_targets(document: ParsedDocument, *, source_hash: str) -> dict[int, Plan]:
    """For each parsed plan (by id()) the plan it revises, if any: same unit, kind, years
    and look-back flag, imported from another text."""
    targets = {}
    for parsed in document.plans:
        if not parsed.subdistrict or not parsed.year_start:
            continue
        plan = (
            Plan.objects.filter(
                subdistrict__name=parsed.subdistrict,
                kind=KIND_BY_LABEL.get(parsed.kind, Plan.Kind.WORK_PLAN),
                year_start=parsed.year_start,
                year_end=parsed.year_end or parsed.year_start,
                is_review=parsed.is_review,
            )
            .exclude(content_hash=source_hash)
            .order_by("-created_at")
            .first()
        )
        if plan is not None:
            targets[id(parsed)] = plan
    return targets


def _walk(nodes: list[ParsedNode], depth: int = 0, parent: ParsedNode | None = None):
    for node in nodes:
        yield node, depth, parent
        yield from _walk(node.children, depth + 1, node)


def plan_diff(*, plan: Plan, parsed: ParsedPlan) -> PlanDiff:
    """Match the plan's current tasks with the parsed nodes: first same title at the same
    depth, then the most similar wording (number equality counts for a little)."""
    tasks = list(Task.objects.filter(plan=plan).prefetch_related("indicators").order_by("path"))
    nodes = list(_walk(parsed.nodes))
    diff = PlanDiff(plan=plan)
    free_tasks = {t.pk: t for t in tasks}
    pairs: dict[int, Task] = {}
    for index, (node, depth, _) in enumerate(nodes):
        for task in free_tasks.values():
            if task.depth == depth and _norm(task.title) == _norm(node.title):
                pairs[index] = free_tasks.pop(task.pk)
                break
    scored = []
    for index, (node, depth, _) in enumerate(nodes):
        if index in pairs:
            continue
        for task in free_tasks.values():
            score = (
                fuzz.ratio(_norm(task.title), _norm(node.title)) * 0.6
                + fuzz.ratio(_norm(task.text)[:300], _norm(node.text)[:300]) * 0.4
            )
            score += 10 if task.number == node.number else 0
            score -= 15 * abs(task.depth - depth)
            if score >= MATCH_MIN_SCORE:
                scored.append((score, index, task.pk))
    for _, index, task_pk in sorted(scored, key=lambda s: -s[0]):
        if index not in pairs and task_pk in free_tasks:
            pairs[index] = free_tasks.pop(task_pk)
    for index, (node, _, _) in enumerate(nodes):
        task = pairs.get(index)
        if task is None:
            diff.added.append(node)
            continue
        reworded = _wording(task.title) != _wording(node.title) or _wording(task.text) != _wording(
            node.text
        )
        diff.matched.append(_indicators_compare(TaskMatch(task, node, reworded)))
    diff.removed = sorted(free_tasks.values(), key=lambda t: t.path)
    return diff


def _indicators_compare(match: TaskMatch) -> TaskMatch:
    old = list(match.task.indicators.all())
    for parsed in match.node.indicators:
        best = max(
            old,
            key=lambda i: (fuzz.ratio(i.name, parsed.name), i.unit == parsed.unit),
            default=None,
        )
        if best is None or fuzz.ratio(best.name, parsed.name) < INDICATOR_MIN_SCORE:
            match.indicators_added.append(parsed)
            continue
        old.remove(best)
        match.indicator_pairs.append((best, parsed))
        before = _target(best.target_value, best.unit, best.comparator)
        after = _target(parsed.value, parsed.unit, parsed.comparator)
        if before != after:
            match.targets.append(TargetChange(name=parsed.name, old=before, new=after))
    match.indicators_removed = old
    return match


def plan_revise(*, plan: Plan, parsed: ParsedPlan, draft: ImportDraft, user: User) -> Plan:
    """Apply a revision in place (inside the caller's transaction) and record the version."""
    from apps.plans.services import plan_rollup

    diff = plan_diff(plan=plan, parsed=parsed)
    by_node = {id(m.node): m for m in diff.matched}
    now = timezone.now()
    # Free every path first: the new tree reuses them in another order (unique per plan).
    Task.all_objects.filter(plan=plan).update(
        path=Concat(Value("~"), Cast("id", output_field=CharField()))
    )
    for task in diff.removed:
        task.archived_at = now
        task.path = f"~archived.{task.pk}"
        task.save(update_fields=["archived_at", "path", "updated_at"])
        update_change_reason(task, REVISION_REASON)
    _tree_apply(plan, parsed.nodes, parent=None, by_node=by_node)
    plan.source_text = draft.source_text
    plan.content_hash = text_hash(draft.source_text)
    plan.source_name = clip(draft.source_name, Plan, "source_name")
    plan.title = clip(parsed.title or plan.title, Plan, "title")
    plan.doc_number = clip(parsed.doc_number, Plan, "doc_number")
    plan.published_on = parsed.published_on or plan.published_on
    plan.save()
    plan_version_record(plan=plan, draft=draft, user=user, changes=diff.summary())
    plan_rollup(plan_id=plan.pk)
    return plan


def text_hash(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _tree_apply(plan: Plan, nodes: list[ParsedNode], *, parent: Task | None, by_node) -> None:
    for order, node in enumerate(nodes, start=1):
        match = by_node.get(id(node))
        task = match.task if match else Task(plan=plan)
        task.parent = parent
        task.order = order
        task.depth = parent.depth + 1 if parent else 0
        task.path = f"{parent.path}.{order:04d}" if parent else f"{order:04d}"
        task.number = clip(node.number, Task, "number")
        task.title = clip(node.title, Task, "title")
        task.text = node.text
        task.lead_text = clip(node.lead, Task, "lead_text")
        task.partners_text = clip(partners_join(node.partners), Task, "partners_text")
        task.due_text = clip(node.due_text, Task, "due_text")
        if match is None:
            task.due_date = node.due
            task.theme = theme_for(node.title, node.text, parent.theme if parent else None)
        elif task.due_date is None:
            task.due_date = node.due
        task.save()
        update_change_reason(task, REVISION_REASON)
        _indicators_apply(task, node, match)
        _tree_apply(plan, node.children, parent=task, by_node=by_node)


def _indicators_apply(task: Task, node: ParsedNode, match: TaskMatch | None) -> None:
    """Matched indicators keep their rows (and readings) with the new target; new ones are
    added; dropped ones go unless someone has recorded values on them."""
    pairs = match.indicator_pairs if match else []
    added = match.indicators_added if match else node.indicators
    for indicator, parsed in pairs:
        indicator.name = clip(parsed.name, Indicator, "name")
        indicator.target_value = parsed.value
        indicator.unit = clip(parsed.unit, Indicator, "unit")
        indicator.comparator = comparator_stored(parsed.comparator)
        indicator.source_text = parsed.text
        indicator.save()
    start = len(pairs)
    for offset, parsed in enumerate(added, start=start + 1):
        indicator_build(task=task, parsed=parsed, order=offset).save()
    for indicator in match.indicators_removed if match else []:
        if not indicator.readings.exists():
            indicator.delete()


def plan_version_record(
    *, plan: Plan, draft: ImportDraft | None, user: User | None, changes: dict
) -> PlanVersion:
    last = PlanVersion.objects.filter(plan=plan).order_by("-number").first()
    return PlanVersion.objects.create(
        plan=plan,
        number=(last.number + 1) if last else 1,
        draft=draft,
        source_name=clip(draft.source_name if draft else plan.source_name, Plan, "source_name"),
        content_hash=plan.content_hash,
        changes=changes,
        created_by=user,
    )
