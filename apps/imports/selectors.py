"""Reads for the import pages: who may import where, drafts in scope, the draft's tree."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from apps.importer.types import ParsedDocument
from apps.imports.models import ImportDraft
from apps.imports.revisions import PlanDiff, plan_diff, revision_targets, text_hash
from apps.imports.roles import import_subdistrict_ids
from apps.subdistricts.models import Department, Subdistrict

NOT_TASK_KEY = "not_task"  # a node marked 不是任务: dropped on confirm, children kept

if TYPE_CHECKING:
    from apps.accounts.models import User


def user_can_import(user: User) -> bool:
    ids = import_subdistrict_ids(user)
    return ids is None or bool(ids)


def import_subdistricts(user: User):
    """The units offered in the upload and metadata forms."""
    ids = import_subdistrict_ids(user)
    units = Subdistrict.objects.order_by("name")
    return units if ids is None else units.filter(pk__in=ids)


def draft_list_queryset():
    """The import history's rows before scoping, with what its columns show."""
    return ImportDraft.objects.select_related("created_by", "subdistrict").prefetch_related("plans")


def draft_detail_queryset():
    return ImportDraft.objects.select_related("created_by", "subdistrict")


def draft_departments(draft: ImportDraft) -> list[str]:
    """Names of the draft unit's 科室, for mapping leads onto them."""
    if draft.subdistrict_id is None:
        return []
    return list(
        Department.objects.filter(subdistrict_id=draft.subdistrict_id)
        .order_by("name")
        .values_list("name", flat=True)
    )


def draft_leads(data: dict[str, Any]) -> list[str]:
    """Every distinct lead written in the draft, in document order."""
    seen: dict[str, None] = {}

    def walk(nodes):
        for node in nodes:
            lead = (node.get("lead") or "").strip()
            if lead:
                seen.setdefault(lead, None)
            walk(node.get("children") or [])

    for plan in data.get("plans") or []:
        walk(plan.get("nodes") or [])
    return list(seen)


def assignable_tasks(user: User):
    """Tasks a leader or administrator may assign in bulk, shaped for the selection table."""
    from apps.imports.assignments import assign_subdistrict_ids
    from apps.plans.selectors import task_list_queryset

    tasks = task_list_queryset()
    ids = assign_subdistrict_ids(user)
    return tasks if ids is None else tasks.filter(plan__subdistrict_id__in=ids)


def assignable_departments(user: User):
    from apps.imports.assignments import assign_subdistrict_ids

    ids = assign_subdistrict_ids(user)
    departments = Department.objects.select_related("subdistrict").order_by(
        "subdistrict__name", "name"
    )
    return departments if ids is None else departments.filter(subdistrict_id__in=ids)


def draft_document(draft: ImportDraft, data: dict | None = None) -> ParsedDocument:
    """The draft's data as the loader's input: validated, nodes marked 不是任务 dropped
    (their children take their place)."""
    data = draft.data if data is None else data
    ParsedDocument.from_dict(data, text=draft.source_text)  # errors name the editor's nodes
    pruned = copy.deepcopy(data)
    for plan in pruned.get("plans") or []:
        plan["nodes"] = _prune(plan.get("nodes") or [])
    return ParsedDocument.from_dict(pruned, text=draft.source_text)


def _prune(nodes: list[dict]) -> list[dict]:
    kept = []
    for node in nodes:
        children = _prune(node.get("children") or [])
        if node.get(NOT_TASK_KEY):
            kept.extend(children)
        else:
            kept.append({**node, "children": children})
    return kept


def draft_diffs(draft: ImportDraft) -> list[PlanDiff]:
    """The revisions the draft would apply, for its page (empty for a new plan)."""
    document = draft_document(draft)
    targets = revision_targets(document, source_hash=text_hash(draft.source_text))
    return [
        plan_diff(plan=targets[id(parsed)], parsed=parsed)
        for parsed in document.plans
        if id(parsed) in targets
    ]
