"""The 督办 pages: 我的任务, 催办 (one task or a selection), the review queue and a task's
owners. Scope: tasks through `for_user` (another unit's are 404); writes need the unit's
leader or admin role (viewers and staff get 403)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from apps.accounts.models import User
from apps.accounts.selectors import review_subdistrict_ids
from apps.core.views import BulkSelectionView, require_write
from apps.plans.filtersets import TaskFilterSet
from apps.plans.models import Task
from apps.plans.rules.urgency import URGENCY_LABELS
from apps.plans.selectors import task_list_queryset
from apps.plans.services import task_owners_set, updates_approve, updates_return
from apps.supervision.forms import BulkUrgeForm, OwnersForm, ReviewForm, UrgeForm
from apps.supervision.selectors import my_tasks, review_queue, review_queue_rows, unit_members
from apps.supervision.services import urges_send, user_can_urge

REVIEW_MAX_ROWS = 300


def scoped_task(request, pk) -> Task:
    return get_object_or_404(Task.objects.for_user(request.user).select_related("plan"), pk=pk)


def form_errors(form) -> str:
    return "；".join(e for errors in form.errors.values() for e in errors)


class MyTasksView(View):
    def get(self, request):
        context = {**my_tasks(request.user), "urgency_labels": URGENCY_LABELS.values()}
        return render(request, "supervision/my_tasks.html", context)


class TaskUrgeView(View):
    """催办 one task, from the task page."""

    def post(self, request, pk):
        task = scoped_task(request, pk)
        require_write(request)
        if not user_can_urge(request.user, task.plan.subdistrict_id):
            raise PermissionDenied("只有本单位的领导或管理员可以催办。")
        form = UrgeForm(request.POST)
        if form.is_valid():
            try:
                urges_send(sender=request.user, task_ids=[task.pk], **form.cleaned_data)
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            else:
                messages.success(request, "已催办")
        else:
            messages.error(request, form_errors(form))
        return redirect(task)


def urgeable_tasks(user: User):
    ids = review_subdistrict_ids(user)
    tasks = task_list_queryset()
    return tasks if ids is None else tasks.filter(plan__subdistrict_id__in=ids)


class TaskBulkUrgeView(BulkSelectionView):
    """The task list's rows (same filters) with check boxes and one 催办 form."""

    template_name = "supervision/task_urge.html"
    filterset = TaskFilterSet

    def dispatch(self, request, *args, **kwargs):
        require_write(request)
        ids = review_subdistrict_ids(request.user)
        if ids is not None and not ids:
            raise PermissionDenied("只有单位领导或管理员可以催办。")
        return super().dispatch(request, *args, **kwargs)

    def selectable(self, request):
        return urgeable_tasks(request.user)

    def form(self, request, data=None):
        return BulkUrgeForm(data, tasks=urgeable_tasks(request.user))

    def act(self, request, form) -> str:
        urges = urges_send(
            sender=request.user,
            task_ids=[t.pk for t in form.cleaned_data["tasks"]],
            message=form.cleaned_data["message"],
            deadline=form.cleaned_data["deadline"],
        )
        return f"已催办 {len(urges)} 项任务"


class ReviewListView(View):
    """The leader's queue of pending updates; approve or return, singly or in bulk."""

    template_name = "supervision/review_list.html"

    def dispatch(self, request, *args, **kwargs):
        ids = review_subdistrict_ids(request.user)
        if ids is not None and not ids:
            raise PermissionDenied("只有单位领导或管理员可以审核更新。")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render(request, ReviewForm(updates=review_queue(request.user)))

    def render(self, request, form, status=200):
        rows = review_queue_rows(request.user, limit=REVIEW_MAX_ROWS)
        return render(request, self.template_name, {"form": form, "rows": rows}, status=status)

    def post(self, request):
        require_write(request)
        named = {v for v in request.POST.getlist("updates") if v.isdigit()}
        if review_queue(request.user).filter(pk__in=named).count() != len(named):
            raise Http404("没有找到该更新。")  # another unit's, or already reviewed
        form = ReviewForm(request.POST, updates=review_queue(request.user))
        if form.is_valid():
            ids = [u.pk for u in form.cleaned_data["updates"]]
            try:
                if form.cleaned_data["decision"] == ReviewForm.APPROVE:
                    done = updates_approve(reviewer=request.user, update_ids=ids)
                    messages.success(request, f"已通过 {done} 条更新")
                else:
                    done = updates_return(
                        reviewer=request.user, update_ids=ids, comment=form.cleaned_data["comment"]
                    )
                    messages.success(request, f"已退回 {done} 条更新")
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect("supervision:review_list")
        return self.render(request, form, status=400)


class TaskOwnersView(View):
    """Set a task's 责任人 accounts (the unit's leaders and admins)."""

    def post(self, request, pk):
        task = scoped_task(request, pk)
        require_write(request)
        if not user_can_urge(request.user, task.plan.subdistrict_id):
            raise PermissionDenied("只有本单位的领导或管理员可以指定责任人。")
        form = OwnersForm(request.POST, members=unit_members(task.plan.subdistrict_id))
        if form.is_valid():
            task_owners_set(task=task, users=list(form.cleaned_data["owners"]), by=request.user)
            messages.success(request, "已更新责任人")
        else:
            messages.error(request, form_errors(form))
        return redirect(task)
