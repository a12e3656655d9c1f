"""Writes of the browser import: create a draft from an upload, parse it, save corrections,
confirm it into plans, expire old drafts.

Nothing here touches the plan tables before `draft_confirm`, which does it all in one
transaction through the importer's loader (`apps.importer.services.plan_import`), after
locking the draft row so that two confirms of one draft import once.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import logging
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import OperationalError, transaction
from django.utils import timezone

from apps.importer.reading import decode_document
from apps.importer.types import DocumentError, ParsedDocument
from apps.imports.models import DRAFT_LIFETIME, ImportDraft
from apps.imports.roles import import_subdistrict_ids
from apps.imports.selectors import NOT_TASK_KEY, draft_document
from apps.subdistricts.matching import department_match
from apps.subdistricts.models import Department, Subdistrict

if TYPE_CHECKING:
    from apps.accounts.models import User

logger = logging.getLogger(__name__)

# Parsing runs at a few MB/s, but reading a PDF or converting a .doc can take seconds: those
# and anything large go to a job, the rest is parsed while the user waits.
PARSE_INLINE_MAX_BYTES = 300_000
SLOW_EXTENSIONS = {".pdf", ".doc", ".xls"}
PASTED_NAME = "粘贴的文本.txt"
LEAD_MAP_KEY = "lead_departments"  # draft.json: {"lead as written": "科室 name"}


def parse_runs_inline(*, filename: str, size: int) -> bool:
    return size <= PARSE_INLINE_MAX_BYTES and PurePath(filename).suffix.lower() not in (
        SLOW_EXTENSIONS
    )


def draft_create(
    *, user: User, filename: str, content: bytes, subdistrict: Subdistrict | None = None
) -> ImportDraft:
    """Keep the upload and parse it now, or queue the parse when it may take long.

    Raises DocumentError (nothing stored) when a quick parse fails: the upload form shows
    the message next to the file. A queued parse that fails leaves a FAILED draft instead.
    """
    inline = parse_runs_inline(filename=filename, size=len(content))
    document = _document_parse(content, filename) if inline else None
    draft = ImportDraft(
        created_by=user,
        subdistrict=subdistrict,
        source_name=filename[:255],
        source_hash=hashlib.sha256(content).hexdigest(),
    )
    draft.source_file.save(PurePath(filename).name, ContentFile(content), save=False)
    if document is not None:
        _draft_fill(draft, document, user=user)
        draft.save()
        return draft
    draft.save()
    from apps.imports import jobs

    draft_id = draft.pk
    transaction.on_commit(lambda: jobs.draft_parse.delay(draft_id))
    return draft


def draft_parse(*, draft_id: int) -> ImportDraft:
    """The queued parse. Safe to run twice: a draft that is no longer PARSING is left as is."""
    draft = ImportDraft.objects.select_related("created_by", "subdistrict").get(pk=draft_id)
    if draft.status != ImportDraft.Status.PARSING:
        return draft
    ImportDraft.objects.filter(pk=draft.pk).update(progress=10)
    with draft.source_file.open("rb") as handle:
        content = handle.read()
    try:
        document = _document_parse(
            content, draft.source_name, progress=lambda p: _progress(draft, p)
        )
    except DocumentError as exc:
        error = str(exc)
    except OperationalError:
        raise  # the job retries database hiccups
    except Exception:
        # A parser bug must not leave the page polling forever: the user gets a message,
        # the log gets the traceback.
        logger.exception("Parsing import draft %s failed", draft.pk)
        error = "解析时出错，请另存为 .docx 或 .txt 后重新上传，或把全文粘贴进来。"
    else:
        error = ""
    if error:
        draft.status = ImportDraft.Status.FAILED
        draft.error = error
        draft.progress = 100
        draft.save(update_fields=["status", "error", "progress", "updated_at"])
        return draft
    _draft_fill(draft, document, user=draft.created_by)
    draft.save()
    return draft


def _progress(draft: ImportDraft, percent: int) -> None:
    ImportDraft.objects.filter(pk=draft.pk).update(progress=percent)


def _document_parse(content: bytes, filename: str, progress=None) -> ParsedDocument:
    from apps.importer.parser import parse_document

    text = decode_document(content, filename=filename)
    if progress:
        progress(50)
    return parse_document(text)


def _draft_fill(draft: ImportDraft, document: ParsedDocument, *, user: User | None) -> None:
    """Store the parse result and settle the unit: the one chosen at upload, else the one the
    document names if it exists; an administrator's draft always goes to one of their units."""
    data = document.to_dict()
    document_unit = next((p.subdistrict for p in document.plans if p.subdistrict), "") or ""
    unit = draft.subdistrict or Subdistrict.objects.filter(name=document_unit).first()
    allowed = import_subdistrict_ids(user) if user is not None else set()
    if allowed is not None and (unit is None or unit.pk not in allowed):
        unit = Subdistrict.objects.filter(pk__in=allowed).order_by("name").first()
    if unit is not None:
        _data_set_unit(data, name=unit.name, level=unit.level, district=unit.district)
    data[LEAD_MAP_KEY] = _lead_suggestions(data, unit)
    _corrections_carry_over(data, draft.source_text or document.text)
    draft.data = data
    draft.document_unit = document_unit[:100]
    draft.subdistrict = unit
    draft.source_text = document.text
    draft.status = ImportDraft.Status.READY
    draft.progress = 100
    draft.error = ""


def _corrections_carry_over(data: dict, text: str) -> None:
    """A new version of a plan imported before starts with the corrections made to the
    last one: the nodes marked 不是任务 (by title) and the leads mapped onto 科室."""
    from apps.imports.revisions import revision_targets

    document = ParsedDocument.from_dict(data, text=text)
    targets = revision_targets(document, source_hash=_text_hash(text))
    if not targets:
        return
    previous = (
        ImportDraft.objects.filter(
            status=ImportDraft.Status.CONFIRMED, plans__in=list(targets.values())
        )
        .order_by("-confirmed_at")
        .first()
    )
    if previous is None:
        return
    not_tasks: set[str] = set()

    def collect(nodes):
        for node in nodes:
            if node.get(NOT_TASK_KEY):
                not_tasks.add(node.get("title", ""))
            collect(node.get("children") or [])

    def mark(nodes):
        for node in nodes:
            if node.get("title") in not_tasks:
                node[NOT_TASK_KEY] = True
            mark(node.get("children") or [])

    for plan in previous.data.get("plans") or []:
        collect(plan.get("nodes") or [])
    for plan in data.get("plans") or []:
        mark(plan.get("nodes") or [])
    data[LEAD_MAP_KEY] = {**(previous.data.get(LEAD_MAP_KEY) or {}), **data[LEAD_MAP_KEY]}


def _data_set_unit(data: dict, *, name: str, level: str | None, district: str | None) -> None:
    for plan in data.get("plans") or []:
        plan["subdistrict"] = name
        plan["level"] = level or None
        plan["district"] = district or None


def _lead_suggestions(data: dict, unit: Subdistrict | None) -> dict[str, str]:
    """Leads that already name one of the unit's 科室 start mapped to it."""
    from apps.imports.selectors import draft_leads

    if unit is None:
        return {}
    names = list(Department.objects.filter(subdistrict=unit).values_list("name", flat=True))
    suggestions = {}
    for lead in draft_leads(data):
        match = department_match(lead, names) if names else None
        if match:
            suggestions[lead] = match
    return suggestions


# --- Corrections -----------------------------------------------------------------------------


@transaction.atomic
def draft_update(*, draft: ImportDraft, data: Any, user: User) -> ImportDraft:
    """Replace the draft's data with a corrected version (the editor's POST of draft.json).

    Raises DocumentError with a Chinese message naming the node, and changes nothing, when
    the data is not a valid draft or names a unit the user may not import into.
    """
    # The row as it is now, locked: a correction racing a confirm must not land after it.
    draft.status = (
        ImportDraft.objects.select_for_update().values_list("status", flat=True).get(pk=draft.pk)
    )
    _draft_require_open(draft)
    document = draft_document(draft, data)
    lead_map = data.get(LEAD_MAP_KEY) or {}
    if not isinstance(lead_map, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in lead_map.items()
    ):
        raise DocumentError("牵头单位与科室的对应关系格式不正确")
    for lead, name in lead_map.items():
        if len(name.strip()) > Department._meta.get_field("name").max_length:
            raise DocumentError(f"牵头单位“{lead}”对应的科室名称过长")
    names = {(p.subdistrict or "") for p in document.plans}
    if len(names) > 1:
        raise DocumentError("同一文档的各个计划必须导入到同一个单位")
    name = names.pop()
    unit = Subdistrict.objects.filter(name=name).first() if name else None
    allowed = import_subdistrict_ids(user)
    if allowed is not None and (unit is None or unit.pk not in allowed):
        raise DocumentError(f"第1个计划：只能导入到你管理的单位，不能导入到“{name or '（空）'}”")
    draft.data = {**data, LEAD_MAP_KEY: {k: v.strip() for k, v in lead_map.items() if v.strip()}}
    draft.subdistrict = unit
    draft.save(update_fields=["data", "subdistrict", "updated_at"])
    return draft


def draft_metadata_update(
    *, draft: ImportDraft, user: User, unit: dict[str, Any], plans: list[dict[str, Any]]
) -> ImportDraft:
    """The metadata form: the unit (name, level, parent 区) and each plan's title, kind,
    years, document number and publication date, saved through `draft_update`."""
    data = copy.deepcopy(draft.data)
    _data_set_unit(
        data, name=unit["name"].strip(), level=unit.get("level"), district=unit.get("district")
    )
    for plan, fields in zip(data.get("plans") or [], plans, strict=False):
        published = fields.get("published_on")
        plan.update(
            title=fields["title"],
            kind=fields["kind"],
            year_start=fields["year_start"],
            year_end=fields["year_end"] or fields["year_start"],
            doc_number=fields.get("doc_number") or "",
            published_on=published.isoformat() if published else None,
        )
    return draft_update(draft=draft, data=data, user=user)


def _draft_require_open(draft: ImportDraft) -> None:
    if draft.status == ImportDraft.Status.CONFIRMED:
        raise DocumentError("该草稿已经导入，不能再修改")
    if draft.status != ImportDraft.Status.READY:
        raise DocumentError("该草稿尚未解析完成")


# --- Confirm ---------------------------------------------------------------------------------


@transaction.atomic
def draft_confirm(*, draft_id: int, user: User) -> ImportDraft:
    """Import the draft's plans in one transaction; a draft confirmed before (or by a
    concurrent request, which waits on the row lock) is returned unchanged.

    Raises ValidationError with a message for the user when the draft cannot be imported;
    the transaction then leaves the database as it was.
    """
    from apps.importer.services import plan_import
    from apps.imports.revisions import plan_revise, revision_targets

    draft = ImportDraft.objects.select_for_update().get(pk=draft_id)
    if draft.status == ImportDraft.Status.CONFIRMED:
        return draft
    try:
        _draft_require_open(draft)
        document = draft_document(draft)
    except DocumentError as exc:
        raise ValidationError(str(exc)) from exc
    for index, plan in enumerate(document.plans, start=1):
        if not plan.subdistrict:
            raise ValidationError(f"第{index}个计划：请填写单位名称")
        if not plan.year_start:
            raise ValidationError(f"第{index}个计划：请填写计划年度")
    unit_name = document.plans[0].subdistrict
    allowed = import_subdistrict_ids(user)
    unit = Subdistrict.objects.filter(name=unit_name).first()
    if allowed is not None and (unit is None or unit.pk not in allowed):
        raise ValidationError(f"你不能导入到“{unit_name}”：只能导入到你管理的单位")

    targets = revision_targets(document, source_hash=_text_hash(draft.source_text))
    revised = []
    fresh = []
    for parsed in document.plans:
        target = targets.get(id(parsed))
        if target is None:
            fresh.append(parsed)
        else:
            revised.append(plan_revise(plan=target, parsed=parsed, draft=draft, user=user))
    created = []
    if fresh:
        try:
            result = plan_import(
                document=ParsedDocument(text=document.text, plans=fresh),
                source_name=draft.source_name,
            )
        except DocumentError as exc:
            raise ValidationError(str(exc)) from exc
        created = result.created_plans
        from apps.imports.revisions import plan_version_record

        for plan in created:
            plan_version_record(plan=plan, draft=draft, user=user, changes={})
    plans = created + revised
    if plans:
        _leads_assign(plans, draft.data.get(LEAD_MAP_KEY) or {})
        draft.subdistrict = plans[0].subdistrict
    draft.plans.set(plans)
    draft.status = ImportDraft.Status.CONFIRMED
    draft.confirmed_at = timezone.now()
    draft.save()
    return draft


def _text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _leads_assign(plans, lead_map: dict[str, str]) -> None:
    """Link the tasks whose lead the user mapped to a 科室, creating the 科室 if new."""
    from apps.importer.services import clip
    from apps.plans.models import Task

    for plan in plans:
        for lead, name in lead_map.items():
            department, _ = Department.objects.get_or_create(
                subdistrict=plan.subdistrict, name=name
            )
            Task.objects.filter(plan=plan, lead_text=clip(lead, Task, "lead_text")).update(
                lead_department=department
            )


# --- Expiry ----------------------------------------------------------------------------------


def drafts_expire(*, now: dt.datetime | None = None) -> int:
    """Delete drafts left open for longer than the draft lifetime, with their files.
    Confirmed drafts stay: they are the import history."""
    cutoff = (now or timezone.now()) - DRAFT_LIFETIME
    stale = ImportDraft.objects.exclude(status=ImportDraft.Status.CONFIRMED).filter(
        updated_at__lt=cutoff
    )
    count = 0
    for draft in stale:
        draft.source_file.delete(save=False)
        draft.delete()
        count += 1
    if count:
        logger.info("Deleted %d import drafts older than %s", count, cutoff)
    return count
