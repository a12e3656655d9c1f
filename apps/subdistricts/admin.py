from django.contrib import admin

from apps.subdistricts.models import Department, Subdistrict


class DepartmentInline(admin.TabularInline):
    model = Department
    extra = 0


@admin.register(Subdistrict)
class SubdistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "district", "city", "updates_need_review"]
    list_filter = ["level", "district"]
    search_fields = ["name", "district"]
    inlines = [DepartmentInline]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "subdistrict"]
    list_filter = ["subdistrict"]
    search_fields = ["name", "subdistrict__name"]
    list_select_related = ["subdistrict"]
