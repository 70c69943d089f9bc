"""Admin: administrators edit case templates; everything else is read-only here (services own the writes)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from section307.cases.models import CaseTemplate, CustodyEvent, Evidence, TaskTemplate


class TaskTemplateInline(admin.TabularInline):
    model = TaskTemplate
    extra = 1
    fields = ["position", "phase", "title", "description", "due_offset_days"]


@admin.register(CaseTemplate)
class CaseTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active", "updated_at"]
    inlines = [TaskTemplateInline]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ["title", "case", "kind", "sha256", "added_by", "added_at"]
    list_filter = ["kind", "origin"]
    search_fields = ["title", "sha256", "case__reference"]


@admin.register(CustodyEvent)
class CustodyEventAdmin(ReadOnlyAdmin):
    list_display = ["evidence", "action", "actor_label", "occurred_at"]
    list_filter = ["action"]
