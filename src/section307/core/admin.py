from django.contrib import admin

from section307.core.models import AuditEvent

admin.site.site_header = "section307 administration"
admin.site.site_title = "section307 administration"
admin.site.index_title = "Reference data, users and audit trail"


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "actor_label", "action", "target_repr"]
    list_filter = ["action"]
    search_fields = ["actor_label", "action", "target_repr", "target_id"]
    date_hierarchy = "occurred_at"

    # The audit trail is append-only, even for administrators.
    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
