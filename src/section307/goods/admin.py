from django.contrib import admin

from section307.goods.models import DolGoodListing, Good, GoodHtsCode


class GoodHtsInline(admin.TabularInline):
    model = GoodHtsCode
    extra = 0


@admin.register(Good)
class GoodAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name", "hts_codes__code"]
    inlines = [GoodHtsInline]
    filter_horizontal = ["inputs"]


@admin.register(DolGoodListing)
class DolGoodListingAdmin(admin.ModelAdmin):
    list_display = ["good", "country", "child_labor", "forced_labor", "forced_child_labor", "year"]
    list_filter = ["child_labor", "forced_labor", "forced_child_labor", "year"]
    search_fields = ["good__name", "country__name"]
    filter_horizontal = ["derived_from"]
