from django.contrib import admin

from section307.geo.models import Country, Region, TipRanking


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "alpha3", "name"]
    search_fields = ["code", "alpha3", "name"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "country", "parent"]
    list_filter = ["kind", "country"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]


@admin.register(TipRanking)
class TipRankingAdmin(admin.ModelAdmin):
    list_display = ["country", "year", "tier"]
    list_filter = ["year", "tier"]
    search_fields = ["country__name"]
