from django.contrib import admin

from apps.evidence.models import Evidence


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    """Read-only: files are added on the task page, with the update they document."""

    list_display = ["original_name", "kind", "size", "uploaded_by", "created_at"]
    list_filter = ["kind"]
    readonly_fields = [f.name for f in Evidence._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
