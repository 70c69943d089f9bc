from django.contrib import admin

from section307.orders.models import EnforcementOrder, OrderEvent, OrderParty


class OrderPartyInline(admin.TabularInline):
    model = OrderParty
    extra = 0
    raw_id_fields = ["party"]


class OrderEventInline(admin.TabularInline):
    model = OrderEvent
    extra = 0
    can_delete = False
    readonly_fields = [
        "kind",
        "effective_date",
        "from_status",
        "to_status",
        "changes",
        "note",
        "source",
        "actor",
        "recorded_at",
    ]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(EnforcementOrder)
class EnforcementOrderAdmin(admin.ModelAdmin):
    list_display = ["reference", "order_type", "status", "effective_date", "country", "merchandise"]
    list_filter = ["order_type", "status", "source", "labor_type", "country"]
    search_fields = ["reference", "merchandise", "parties__name", "parties__names__name"]
    inlines = [OrderPartyInline, OrderEventInline]
    filter_horizontal = ["regions", "goods"]
    # Status changes go through the lifecycle services so history and audit stay complete.
    readonly_fields = ["status", "source", "source_key"]
