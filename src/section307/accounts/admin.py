from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from section307.accounts.models import Organization, User


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "importer_number"]
    list_filter = ["kind"]
    search_fields = ["name", "importer_number"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "email", "organization", "is_active", "is_staff"]
    list_filter = ["groups", "is_active", "is_staff", "organization"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("Organization", {"fields": ("organization",)}),
    )
    # Roles are groups; direct per-user permissions are hidden so access stays role-based.
    filter_horizontal = ("groups",)

    def get_fieldsets(self, request, obj=None):  # type: ignore[no-untyped-def]
        fieldsets = super().get_fieldsets(request, obj)
        cleaned = []
        for name, opts in fieldsets:
            fields = tuple(f for f in opts.get("fields", ()) if f != "user_permissions")
            cleaned.append((name, {**opts, "fields": fields}))
        return cleaned
