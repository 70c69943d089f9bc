from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy

from section307.core.models import TimeStampedModel


class Country(models.Model):
    code = models.CharField(max_length=2, primary_key=True, help_text=gettext_lazy("ISO 3166-1 alpha-2"))
    alpha3 = models.CharField(max_length=3, unique=True)
    name = models.CharField(max_length=100)
    official_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self) -> str:
        return self.name


class Region(TimeStampedModel):
    """A sub-national area an order or presumption can cover (e.g. XUAR, its prefectures, the XPCC)."""

    class Kind(models.TextChoices):
        REGION = "region", gettext_lazy("Region or province")
        PREFECTURE = "prefecture", gettext_lazy("Prefecture")
        CITY = "city", gettext_lazy("City")
        COUNTY = "county", gettext_lazy("County")
        CORPS = "corps", gettext_lazy("Production and construction corps")
        DIVISION = "division", gettext_lazy("Corps division")

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="regions")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    # Every known spelling: English, pinyin with and without spaces, original script.
    names = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list[Region]:
        chain: list[Region] = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain

    def descendants(self) -> list[Region]:
        found: list[Region] = []
        frontier = [self]
        while frontier:
            children = list(Region.objects.filter(parent__in=frontier))
            found.extend(children)
            frontier = children
        return found


class TipRanking(TimeStampedModel):
    """A country's tier in the State Department's Trafficking in Persons report for one year."""

    class Tier(models.TextChoices):
        TIER_1 = "1", gettext_lazy("Tier 1")
        TIER_2 = "2", gettext_lazy("Tier 2")
        TIER_2WL = "2WL", gettext_lazy("Tier 2 Watch List")
        TIER_3 = "3", gettext_lazy("Tier 3")
        SPECIAL = "special", gettext_lazy("Special case")

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="tip_rankings")
    year = models.PositiveSmallIntegerField()
    tier = models.CharField(max_length=10, choices=Tier.choices)

    class Meta:
        ordering = ["-year", "country__name"]
        constraints = [models.UniqueConstraint(fields=["country", "year"], name="tip_one_tier_per_year")]

    def __str__(self) -> str:
        return f"{self.country} {self.year}: {self.get_tier_display()}"
