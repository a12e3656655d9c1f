"""Import pages: upload, draft (preview, correction, diff), its JSON, confirm, history.

Every view answers 403 to a user who may not import at all (staff, leaders, viewers) and
404 for a draft of a unit the user does not administer; see `ImportAdminRequiredMixin`
and `ImportDraft.objects.for_user`.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from apps.core.views import BulkSelectionView, ObjectDetailView, ObjectListView
from apps.importer.reading.chinese import to_simplified
from apps.importer.types import DocumentError
from apps.imports import services
from apps.imports.assignments import tasks_assign, user_can_assign
from apps.imports.filtersets import ImportDraftFilterSet
from apps.imports.forms import (
    DraftPlanForm,
    DraftUnitForm,
    ImportUploadForm,
    TaskBulkAssignForm,
)
from apps.imports.models import ImportDraft
from apps.imports.selectors import (
    assignable_departments,
    assignable_tasks,
    draft_departments,
    draft_detail_queryset,
    draft_diffs,
    draft_leads,
    draft_list_queryset,
    user_can_import,
)
from apps.imports.tables import ImportDraftTable
from apps.plans.filtersets import TaskFilterSet


class ImportAdminRequiredMixin:
    """Importing is for superusers and units' 管理员: everyone else gets 403 on every URL."""

    def dispatch(self, request, *args, **kwargs):
        if not user_can_import(request.user):
            raise PermissionDenied("只有单位管理员可以导入计划。")
        return super().dispatch(request, *args, **kwargs)


class ImportListView(ImportAdminRequiredMixin, ObjectListView):
    queryset = draft_list_queryset()
    filterset = ImportDraftFilterSet
    table = ImportDraftTable
    template_name = "imports/draft_list.html"


class ImportCreateView(ImportAdminRequiredMixin, View):
    template_name = "imports/draft_create.html"

    def get(self, request: HttpRequest):
        return render(request, self.template_name, {"form": ImportUploadForm(user=request.user)})

    def post(self, request: HttpRequest):
        form = ImportUploadForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload:
                name, content, field = upload.name, upload.read(), "file"
            else:
                text = to_simplified(form.cleaned_data["text"])
                name, content, field = services.PASTED_NAME, text.encode("utf-8"), "text"
            try:
                draft = services.draft_create(
                    user=request.user,
                    filename=name,
                    content=content,
                    subdistrict=form.cleaned_data["subdistrict"],
                )
            except DocumentError as exc:
                form.add_error(field, str(exc))
            else:
                return redirect(draft.get_absolute_url())
        return render(request, self.template_name, {"form": form}, status=400)


class DraftViewBase(ImportAdminRequiredMixin, ObjectDetailView):
    queryset = draft_detail_queryset()


class ImportDraftView(DraftViewBase):
    """The draft: progress while parsing, else metadata, tree beside source, diff, confirm."""

    template_name = "imports/draft_detail.html"

    def get_extra_context(self, request, obj, unit_form=None, plan_forms=None):
        context = {"draft": obj, "editable": obj.status == ImportDraft.Status.READY}
        if obj.status == ImportDraft.Status.CONFIRMED:
            context["plans"] = list(obj.plans.select_related("subdistrict"))
        if obj.status != ImportDraft.Status.READY:
            return context
        plans = obj.data.get("plans") or []
        first = plans[0] if plans else {}
        context.update(
            unit_form=unit_form
            or DraftUnitForm(
                user=request.user,
                initial={
                    "name": first.get("subdistrict") or "",
                    "level": first.get("level") or "",
                    "district": first.get("district") or "",
                },
            ),
            plan_forms=plan_forms
            or [DraftPlanForm(prefix=f"plan{i}", initial=plan) for i, plan in enumerate(plans)],
            departments=draft_departments(obj),
            leads=draft_leads(obj.data),
            diffs=self._diffs(obj),
        )
        return context

    def _diffs(self, draft):
        try:
            return draft_diffs(draft)
        except DocumentError:
            return []

    def post(self, request, *args, **kwargs):
        draft = self.get_object()
        unit_form = DraftUnitForm(request.POST, user=request.user)
        count = len(draft.data.get("plans") or [])
        plan_forms = [DraftPlanForm(request.POST, prefix=f"plan{i}") for i in range(count)]
        if unit_form.is_valid() and all(f.is_valid() for f in plan_forms):
            try:
                services.draft_metadata_update(
                    draft=draft,
                    user=request.user,
                    unit=unit_form.cleaned_data,
                    plans=[f.cleaned_data for f in plan_forms],
                )
            except DocumentError as exc:
                unit_form.add_error(None, str(exc))
            else:
                messages.success(request, "已保存")
                return redirect(draft.get_absolute_url())
        context = {
            "object": draft,
            **self.get_extra_context(request, draft, unit_form, plan_forms),
        }
        return render(request, self.template_name, context, status=400)


class ImportDraftJsonView(DraftViewBase):
    """The draft in the `parse_plan` JSON shape: GET reads it, POST replaces it (400 with a
    Chinese message naming the node, and nothing changed, when it is not valid)."""

    def get(self, request, *args, **kwargs):
        draft = self.get_object()
        if draft.status == ImportDraft.Status.PARSING:
            return JsonResponse({"status": draft.status, "progress": draft.progress}, status=202)
        if draft.status == ImportDraft.Status.FAILED:
            return JsonResponse({"status": draft.status, "error": draft.error}, status=409)
        return JsonResponse(draft.data, json_dumps_params={"ensure_ascii": False})

    def post(self, request, *args, **kwargs):
        draft = self.get_object()
        try:
            data = json.loads(request.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            return JsonResponse({"error": f"不是有效的 JSON：{exc}"}, status=400)
        try:
            services.draft_update(draft=draft, data=data, user=request.user)
        except DocumentError as exc:
            return JsonResponse({"error": str(exc)}, status=400)
        return JsonResponse(draft.data, json_dumps_params={"ensure_ascii": False})


class ImportConfirmView(DraftViewBase):
    def get(self, request, *args, **kwargs):
        return redirect(reverse("imports:draft_detail", args=[kwargs["pk"]]))

    def post(self, request, *args, **kwargs):
        draft = self.get_object()
        try:
            draft = services.draft_confirm(draft_id=draft.pk, user=request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "已导入")
        return redirect(draft.get_absolute_url())


class ImportFileView(DraftViewBase):
    """The original file as uploaded."""

    def get(self, request, *args, **kwargs):
        draft = self.get_object()
        return FileResponse(
            draft.source_file.open("rb"), as_attachment=True, filename=draft.source_name
        )


# === Bulk assignment from the task list ==================================================


class TaskBulkAssignView(BulkSelectionView):
    """The task list's rows (same filters) with check boxes and one form that sets 牵头科室,
    责任人 and 截止日期 on the selected ones; for leaders and administrators only."""

    template_name = "imports/task_assign.html"
    filterset = TaskFilterSet

    def dispatch(self, request, *args, **kwargs):
        if not user_can_assign(request.user):
            raise PermissionDenied("只有单位领导或管理员可以批量分配任务。")
        return super().dispatch(request, *args, **kwargs)

    def selectable(self, request):
        return assignable_tasks(request.user)

    def form(self, request, data=None):
        return TaskBulkAssignForm(
            data,
            tasks=assignable_tasks(request.user),
            departments=assignable_departments(request.user),
        )

    def act(self, request, form) -> str:
        changed = tasks_assign(
            user=request.user,
            task_ids=[t.pk for t in form.cleaned_data["tasks"]],
            lead_department=form.cleaned_data["lead_department"],
            responsible_person=form.cleaned_data["responsible_person"],
            due_date=form.cleaned_data["due_date"],
        )
        return f"已分配 {changed} 项任务"
