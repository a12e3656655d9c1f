"""Task pages. Views set attributes on the apps/core bases; scope and writes go through
`for_user` and `user_can_update_task`, business logic through services and selectors."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views import View

from apps.accounts.selectors import user_can_update_task
from apps.core.formatting import highlight_sources
from apps.core.views import ObjectDetailView, ObjectListView
from apps.evidence.archives import evidence_archive_chunks
from apps.evidence.selectors import evidence_for_plan, evidence_for_task
from apps.evidence.services import evidence_attach
from apps.plans.exports import table_xlsx
from apps.plans.filtersets import OPEN, TaskFilterSet
from apps.plans.forms import TaskUpdateForm
from apps.plans.models import Plan, Task, TaskUpdate
from apps.plans.selectors import (
    TIMELINE_SHOWN,
    indicator_list_with_latest_reading,
    task_ancestors,
    task_children,
    task_detail_queryset,
    task_list_queryset,
    task_update_list,
)
from apps.plans.services import SUBMITTED_MESSAGE, task_update_submit
from apps.plans.tables import TaskTable

# === Task list ==========================================================================


class TaskListView(ObjectListView):
    queryset = task_list_queryset()
    filterset = TaskFilterSet
    table = TaskTable
    template_name = "plans/task_list.html"
    export_filename = "任务列表.xlsx"
    exporter = staticmethod(table_xlsx)

    def is_search(self, filterset):
        return bool(filterset.form.cleaned_data.get("q"))

    def default_filters(self, request):
        # A staff member opening the list lands on their own department's open tasks.
        department_ids = request.user.department_ids()
        if not department_ids:
            return {}
        return {"department": str(min(department_ids)), "status": OPEN}


# === Task detail and update =============================================================
class TaskDetailView(ObjectDetailView):
    """The task page: the task in its plan, its indicators and timeline, and (for those
    who may update it) the update form, which posts back to this page."""

    queryset = task_detail_queryset()
    template_name = "plans/task_detail.html"

    def get_extra_context(self, request, obj, form=None):
        indicators = indicator_list_with_latest_reading(obj)
        children = task_children(obj)
        can_update = user_can_update_task(request.user, obj)
        if can_update and form is None:
            form = TaskUpdateForm(task=obj, indicators=indicators, has_children=bool(children))
        # One row more than shown says whether there are older ones, without a count.
        whole = request.GET.get("timeline") == "all"
        updates = task_update_list(obj, limit=None if whole else TIMELINE_SHOWN + 1)
        return {
            "task": obj,
            "ancestors": task_ancestors(obj),
            "children": children,
            "indicators": indicators,
            "text_html": highlight_sources(obj.text, [i.source_text for i in indicators]),
            "updates": updates[:TIMELINE_SHOWN] if not whole else updates,
            "timeline_more": not whole and len(updates) > TIMELINE_SHOWN,
            "can_update": can_update,
            "form": form if can_update else None,
        }

    def post(self, request, *args, **kwargs):
        task = self.get_object()
        if not user_can_update_task(request.user, task):
            raise PermissionDenied("你没有更新该任务的权限。")
        form = TaskUpdateForm(
            request.POST,
            request.FILES,
            task=task,
            indicators=list(task.indicators.all()),
            has_children=task.children.exists(),
        )
        if not form.is_valid():
            return self.render_form(request, task, form)
        try:
            # The update and its 台账 files are saved together or not at all; with review
            # (审核) on for the unit, a staff member's update waits as pending, files and all.
            with transaction.atomic():
                update = task_update_submit(
                    task_id=task.pk, user=request.user, **form.service_kwargs()
                )
                evidence_attach(
                    update=update, files=form.cleaned_data["attachments"], user=request.user
                )
        except ValidationError as exc:
            return self.handle_refusal(request, task, form, exc)
        pending = update.state == TaskUpdate.State.PENDING
        messages.success(request, SUBMITTED_MESSAGE if pending else "已保存")
        return redirect(task)

    def handle_refusal(self, request, task, form, exc: ValidationError):
        code = getattr(exc, "code", None)
        if code == "no_changes":
            messages.info(request, exc.message)
            return redirect(task)
        form.add_error(None, exc)
        if code != "conflict":
            return self.render_form(request, task, form)
        # Show the task as it is now, keep what the user typed, and let the next submit
        # be made against the current version: they have now seen the other change.
        task = self.get_object()
        form.data = form.data.copy()
        form.data["version"] = task.version
        return self.render_form(request, task, form, status=409)

    def render_form(self, request, task, form, status=200):
        context = {"object": task, **self.get_extra_context(request, task, form=form)}
        return render(request, self.template_name, context, status=status)


# === 台账 archives ==========================================================================
ZIP_CONTENT_TYPE = "application/zip"


def evidence_archive_response(files, filename: str) -> StreamingHttpResponse:
    """The zip made while it is sent: a plan's 台账 can run to gigabytes, and a download
    that starts at once does not run into the server's request timeout."""
    response = StreamingHttpResponse(evidence_archive_chunks(files), content_type=ZIP_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


class TaskEvidenceArchiveView(View):
    """A task's whole 台账 as one .zip, with a contents sheet, for an inspection."""

    def get(self, request, pk):
        task = get_object_or_404(Task.objects.for_user(request.user), pk=pk)
        name = f"台账_{task.number}{task.title}"[:80].replace("/", "_")
        return evidence_archive_response(
            evidence_for_task(task.pk, update_states=TaskUpdate.EFFECTIVE_STATES), f"{name}.zip"
        )


class PlanEvidenceArchiveView(View):
    """A plan's whole 台账, task by task."""

    def get(self, request, pk):
        plan = get_object_or_404(Plan.objects.for_user(request.user), pk=pk)
        name = f"台账_{plan.title}"[:80].replace("/", "_")
        return evidence_archive_response(
            evidence_for_plan(plan.pk, update_states=TaskUpdate.EFFECTIVE_STATES), f"{name}.zip"
        )
