from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy

from section307.core.models import TimeStampedModel
from section307.geo.models import Country
from section307.goods.hts import InvalidHts, format_hts, normalize_hts


class Good(TimeStampedModel):
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    # Downstream goods point at their inputs: solar modules -> polysilicon, apparel -> cotton.
    inputs = models.ManyToManyField("self", symmetrical=False, related_name="derived_goods", blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def hts_prefixes(self) -> list[str]:
        return [h.code for h in self.hts_codes.all()]


class GoodHtsCode(models.Model):
    good = models.ForeignKey(Good, on_delete=models.CASCADE, related_name="hts_codes")
    code = models.CharField(
        max_length=10, help_text=gettext_lazy("HTSUS digits; 2-10 digits, a prefix covers all codes under it")
    )
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["good", "code"], name="good_hts_unique")]
        indexes = [models.Index(fields=["code"])]
        verbose_name = "HTS code"

    def __str__(self) -> str:
        return format_hts(self.code)

    def clean(self) -> None:
        try:
            self.code = normalize_hts(self.code)
        except InvalidHts as exc:
            raise ValidationError({"code": str(exc)}) from exc


class DolGoodListing(TimeStampedModel):
    """One line of the DOL List of Goods Produced by Child Labor or Forced Labor."""

    good = models.ForeignKey(Good, on_delete=models.CASCADE, related_name="dol_listings")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="dol_listings")
    child_labor = models.BooleanField(default=False)
    forced_labor = models.BooleanField(default=False)
    forced_child_labor = models.BooleanField(default=False)
    # DOL's "produced with inputs made with forced labor" listings name the inputs.
    derived_from = models.ManyToManyField(Good, related_name="dol_downstream_listings", blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["good__name", "country__name"]
        constraints = [models.UniqueConstraint(fields=["good", "country"], name="dol_one_listing_per_country")]
        verbose_name = "DOL List of Goods entry"
        verbose_name_plural = "DOL List of Goods entries"

    def __str__(self) -> str:
        flags = [
            label
            for flag, label in (
                (self.child_labor, "child labor"),
                (self.forced_labor, "forced labor"),
                (self.forced_child_labor, "forced child labor"),
            )
            if flag
        ]
        return f"{self.good} ({self.country}): {', '.join(flags) or 'listed'}"
