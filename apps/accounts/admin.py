from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from apps.accounts.models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["subdistrict", "department"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "display_name", "email", "is_staff", "is_active"]
    search_fields = ["username", "display_name", "email"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("姓名", {"fields": ["display_name"]}),
    )
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "subdistrict", "role", "department"]
    list_filter = ["role", "subdistrict"]
    search_fields = ["user__username", "user__display_name", "subdistrict__name"]
    list_select_related = ["user", "subdistrict", "department"]
    autocomplete_fields = ["user", "subdistrict", "department"]
