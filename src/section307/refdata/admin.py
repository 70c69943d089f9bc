from django.contrib import admin

from section307.refdata.models import RefdataLoad


@admin.register(RefdataLoad)
class RefdataLoadAdmin(admin.ModelAdmin):
    list_display = ["loaded_at", "source", "location", "counts"]
    list_filter = ["source"]
    readonly_fields = ["source", "location", "sha256", "loaded_at", "actor", "counts", "changes"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
