from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.forms import ModelForm
from django.http import HttpRequest

from section307.accounts.models import Organization, User
from section307.accounts.roles import may_change_roles
from section307.accounts.services import user_roles_set

# Fields that grant access: only a superuser edits them, never on their own account, and always
# through accounts.services.user_roles_set (which audits the change).
ROLE_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")


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

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and not may_change_roles(request.user, obj):
            readonly += [f for f in ROLE_FIELDS if f not in readonly]
        return readonly

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        # A superuser's account (password included) is changed only by another superuser.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        if change and "is_superuser" in form.cleaned_data:
            # The flags are written by the service in save_related, after the other fields.
            stored = User.objects.get(pk=obj.pk)
            obj.is_staff, obj.is_superuser = stored.is_staff, stored.is_superuser
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool) -> None:
        managed = change and "groups" in form.cleaned_data
        groups = list(form.cleaned_data.pop("groups", []))
        form.cleaned_data.pop("user_permissions", None)
        super().save_related(request, form, formsets, change)
        if managed:
            user_roles_set(
                actor=request.user,
                user=form.instance,
                roles=groups,
                is_staff=bool(form.cleaned_data.get("is_staff")),
                is_superuser=bool(form.cleaned_data.get("is_superuser")),
            )
