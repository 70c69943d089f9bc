from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy

from section307.core.models import TimeStampedModel
from section307.geo.models import Country, Region
from section307.goods.models import Good
from section307.parties.models import Party


class OrderType(models.TextChoices):
    WRO = "wro", gettext_lazy("Withhold Release Order")
    FINDING = "finding", gettext_lazy("Finding")
    UFLPA_ENTITY = "uflpa_entity", gettext_lazy("UFLPA Entity List entry")
    UFLPA_REGION = "uflpa_region", gettext_lazy("UFLPA Xinjiang presumption")
    CAATSA = "caatsa", gettext_lazy("CAATSA sec. 302A presumption")


class OrderStatus(models.TextChoices):
    ACTIVE = "active", gettext_lazy("Active")
    MODIFIED = "modified", gettext_lazy("Modified")
    REVOKED = "revoked", gettext_lazy("Revoked")
    INACTIVE = "inactive", gettext_lazy("Inactive")


# Statuses under which merchandise in scope is still detained.
ENFORCED_STATUSES = (OrderStatus.ACTIVE, OrderStatus.MODIFIED)


class LaborType(models.TextChoices):
    """The classes of labor 19 U.S.C. 1307 bars (and 19 CFR 12.42(a) repeats): one list for allegations,
    cases and orders."""

    CONVICT = "convict", gettext_lazy("Convict or prison labor")
    FORCED = "forced", gettext_lazy("Forced labor")
    INDENTURED = "indentured", gettext_lazy("Indentured labor under penal sanctions")
    CHILD = "child", gettext_lazy("Forced or indentured child labor")


class OrderSource(models.TextChoices):
    CBP_LIST = "cbp-wro", gettext_lazy("CBP WRO and Findings list")
    UFLPA_LIST = "uflpa", gettext_lazy("UFLPA Entity List")
    STATUTE = "statute", gettext_lazy("Statutory presumption")
    CASE = "case", gettext_lazy("Issued from a case")
    MANUAL = "manual", gettext_lazy("Entered by staff")
    DEMO = "demo", gettext_lazy("Demo data")


class EnforcementOrder(TimeStampedModel):
    reference = models.CharField(max_length=40, unique=True)
    order_type = models.CharField(max_length=20, choices=OrderType.choices)
    status = models.CharField(max_length=20, choices=OrderStatus.choices, default=OrderStatus.ACTIVE)
    merchandise = models.TextField(help_text=gettext_lazy("The merchandise covered, as published"))
    industry = models.CharField(max_length=100, blank=True)
    country = models.ForeignKey(Country, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    effective_date = models.DateField(null=True, blank=True)
    # Findings are published in the Federal Register and the Customs Bulletin.
    citation = models.CharField(
        max_length=300, blank=True, help_text=gettext_lazy("Federal Register / Customs Bulletin")
    )
    # 19 CFR 12.42(f)-(g): a Finding takes effect on publication and covers goods not released before it.
    fr_citation = models.CharField(
        max_length=100, blank=True, help_text=gettext_lazy("Federal Register citation, e.g. 86 FR 16634")
    )
    fr_published_on = models.DateField(
        null=True, blank=True, help_text=gettext_lazy("Federal Register publication date")
    )
    cb_citation = models.CharField(max_length=100, blank=True, help_text=gettext_lazy("Customs Bulletin citation"))
    cb_published_on = models.DateField(
        null=True, blank=True, help_text=gettext_lazy("Customs Bulletin publication date")
    )
    labor_type = models.CharField(max_length=12, choices=LaborType.choices, blank=True)
    press_release_url = models.URLField(max_length=500, blank=True)
    remarks = models.TextField(blank=True)
    # UFLPA Entity List: the section of the Act the entity is listed under.
    legal_basis = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=20, choices=OrderSource.choices, default=OrderSource.MANUAL)
    # Natural key within the source so reloading a list updates rather than duplicates.
    source_key = models.CharField(max_length=300, blank=True)
    parties = models.ManyToManyField(Party, through="OrderParty", related_name="orders", blank=True)
    regions = models.ManyToManyField(Region, related_name="orders", blank=True)
    # Goods from anywhere in `country` are covered (CAATSA, Turkmenistan cotton), not just named parties.
    country_wide = models.BooleanField(default=False)
    goods = models.ManyToManyField(Good, related_name="orders", blank=True)
    hts_prefixes = models.JSONField(
        default=list, blank=True, help_text=gettext_lazy("HTSUS digits covered beyond the goods")
    )

    class Meta:
        ordering = ["-effective_date", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_key"], condition=~models.Q(source_key=""), name="order_source_key"
            )
        ]
        indexes = [models.Index(fields=["order_type", "status"])]
        permissions = [("publish_order", "Can issue, modify and revoke orders")]

    def __str__(self) -> str:
        return f"{self.reference} {self.get_order_type_display()}"

    @property
    def is_enforced(self) -> bool:
        return self.status in ENFORCED_STATUSES

    @property
    def published_on(self) -> dt.date | None:
        """When a Finding took effect (its Federal Register publication, 19 CFR 12.42(f)); None if not recorded."""
        return self.fr_published_on


class OrderParty(models.Model):
    order = models.ForeignKey(EnforcementOrder, on_delete=models.CASCADE, related_name="order_parties")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="order_links")
    # E.g. "and its subsidiaries": the order reaches beyond the named party.
    qualifiers = models.JSONField(default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "position"]
        constraints = [models.UniqueConstraint(fields=["order", "party"], name="order_party_unique")]

    def __str__(self) -> str:
        return f"{self.order.reference}: {self.party}"


class OrderEvent(models.Model):
    """The history of an order: issuance, loads, modifications, revocations. Append-only."""

    class Kind(models.TextChoices):
        ISSUED = "issued", gettext_lazy("Issued")
        AMENDED = "amended", gettext_lazy("Details amended")
        MODIFIED = "modified", gettext_lazy("Modified")
        REVOKED = "revoked", gettext_lazy("Revoked")
        INACTIVATED = "inactivated", gettext_lazy("Inactivated")
        REINSTATED = "reinstated", gettext_lazy("Reinstated")

    order = models.ForeignKey(EnforcementOrder, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    effective_date = models.DateField(null=True, blank=True)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)
    source = models.CharField(max_length=20, choices=OrderSource.choices, default=OrderSource.MANUAL)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.order.reference} {self.get_kind_display()}"
