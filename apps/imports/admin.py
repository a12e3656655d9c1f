from django.contrib import admin

from apps.imports.models import ImportDraft, PlanVersion


@admin.register(ImportDraft)
class ImportDraftAdmin(admin.ModelAdmin):
    list_display = ["source_name", "subdistrict", "created_by", "status", "created_at"]
    list_filter = ["status", "subdistrict"]
    search_fields = ["source_name", "document_unit"]
    list_select_related = ["subdistrict", "created_by"]
    readonly_fields = ["source_hash", "created_at", "updated_at", "confirmed_at"]
    raw_id_fields = ["created_by", "plans"]

    def has_add_permission(self, request):
        return False  # drafts come from the upload page


@admin.register(PlanVersion)
class PlanVersionAdmin(admin.ModelAdmin):
    list_display = ["plan", "number", "source_name", "created_by", "created_at"]
    list_select_related = ["plan", "created_by"]
    raw_id_fields = ["plan", "draft", "created_by"]
