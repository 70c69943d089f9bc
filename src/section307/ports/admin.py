from django.contrib import admin
from django.http import HttpRequest

from section307.ports.models import FederalClosure


@admin.register(FederalClosure)
class FederalClosureAdmin(admin.ModelAdmin):
    list_display = ["date", "reason", "created_by", "created_at"]
    search_fields = ["reason"]
    readonly_fields = ["created_by", "created_at"]

    def save_model(self, request: HttpRequest, obj: FederalClosure, form: object, change: bool) -> None:
        if obj.created_by_id is None:
            obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)
