from django.contrib import admin

from section307.parties.models import Party, PartyAddress, PartyIdentifier, PartyName, PartyRelation


class PartyNameInline(admin.TabularInline):
    model = PartyName
    extra = 0
    readonly_fields = ["key"]


class PartyAddressInline(admin.TabularInline):
    model = PartyAddress
    extra = 0
    raw_id_fields = ["region"]


class PartyIdentifierInline(admin.TabularInline):
    model = PartyIdentifier
    extra = 0


class PartyRelationInline(admin.TabularInline):
    model = PartyRelation
    fk_name = "parent"
    extra = 0
    raw_id_fields = ["child"]
    verbose_name = "subsidiary or affiliate"


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "region"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "names__name", "identifiers__value"]
    inlines = [PartyNameInline, PartyAddressInline, PartyIdentifierInline, PartyRelationInline]
    raw_id_fields = ["region"]
