from django.contrib import admin
from django.shortcuts import redirect
from simple_history.admin import SimpleHistoryAdmin

from apps.plans.models import Indicator, IndicatorReading, Plan, Task, TaskUpdate, Urge
from apps.plans.selectors import task_search
from apps.plans.services import indicator_admin_saved, task_admin_save


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "subdistrict", "kind", "year_start", "year_end", "is_review"]
    list_filter = ["kind", "is_review", "year_start", "subdistrict"]
    search_fields = ["title", "doc_number", "subdistrict__name"]
    list_select_related = ["subdistrict"]
    readonly_fields = ["content_hash", "source_name", "created_at", "updated_at"]

    def add_view(self, request, form_url="", extra_context=None):
        # A plan is its document's tasks and indicators: an empty form made plans with none.
        return redirect("imports:draft_create")


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ["name", "comparator", "target_value", "unit", "order"]


@admin.register(Task)
class TaskAdmin(SimpleHistoryAdmin):
    """Tasks come from imports and change on the task page. Here an administrator corrects
    what a task says (title, text, due date, lead); its status and percent are read-only
    (they go through `task_update`, which keeps the version, the parents and the roll-ups
    right), and so are its place in the tree and the computed fields."""

    list_display = ["__str__", "plan", "depth", "status", "percent", "due_date"]
    list_filter = ["status", "plan__subdistrict", "depth"]
    # The search box is shown because search_fields is set; get_search_results replaces
    # Django's OR over every field (and a join) with the task list's search.
    search_fields = ["title", "text"]
    search_help_text = "搜索标题和正文（与任务列表相同）"
    list_select_related = ["plan"]
    raw_id_fields = ["lead_department"]
    readonly_fields = [
        "plan",
        "parent",
        "status",
        "percent",
        "path",
        "depth",
        "order",
        "health",
        "is_overdue",
        "last_update_at",
        "version",
        "created_at",
        "updated_at",
    ]
    inlines = [IndicatorInline]

    def has_add_permission(self, request):
        return False

    def get_search_results(self, request, queryset, search_term):
        return task_search(queryset, search_term), False

    def save_model(self, request, obj, form, change):
        task_admin_save(task=obj, user=request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        indicator_admin_saved(plan_id=form.instance.plan_id)


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "comparator", "target_value", "unit", "task"]
    list_filter = ["comparator", "task__plan__subdistrict"]
    search_fields = ["name", "source_text", "task__title"]
    list_select_related = ["task"]
    raw_id_fields = ["task"]
    readonly_fields = ["latest_value", "latest_date", "expected_value", "forecast_value"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        indicator_admin_saved(plan_id=obj.task.plan_id)


@admin.register(IndicatorReading)
class IndicatorReadingAdmin(admin.ModelAdmin):
    """Readings as people recorded them; read-only, because a reading is recorded on the
    task page (dated in the plan's period, with the indicator's latest value and the
    roll-up kept current) and never edited afterwards."""

    list_display = ["indicator", "date", "value", "recorded_by", "note"]
    list_filter = ["date"]
    search_fields = ["indicator__name", "note"]
    list_select_related = ["indicator", "recorded_by"]
    raw_id_fields = ["indicator", "recorded_by"]
    readonly_fields = ["created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TaskUpdate)
class TaskUpdateAdmin(admin.ModelAdmin):
    """The timeline as people wrote it; read-only, because editing it would rewrite what
    someone reported. Field-level history with who and when is on Task and Indicator."""

    list_display = ["task", "user", "created_at"]
    list_filter = ["created_at", "task__plan__subdistrict"]
    search_fields = ["task__title", "note", "user__username", "user__display_name"]
    list_select_related = ["task", "user"]
    raw_id_fields = ["task", "user"]
    readonly_fields = ["task", "user", "created_at", "changes", "note"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Urge)
class UrgeAdmin(admin.ModelAdmin):
    """催办 as sent; read-only: they are sent and closed on the site (apps/supervision)."""

    list_display = ["task", "sender", "created_at", "deadline", "closed_at", "escalated_at"]
    list_filter = ["created_at", "task__plan__subdistrict"]
    list_select_related = ["task", "sender"]
    raw_id_fields = ["task", "sender", "closed_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
