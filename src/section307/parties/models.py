from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy

from section307.core.models import TimeStampedModel
from section307.geo.models import Country, Region
from section307.parties.identifiers import SCHEMES, InvalidIdentifier, normalize_identifier
from section307.parties.names import name_key, script_of


class Party(TimeStampedModel):
    class Kind(models.TextChoices):
        ORGANIZATION = "organization", gettext_lazy("Organization")
        FACILITY = "facility", gettext_lazy("Facility")
        VESSEL = "vessel", gettext_lazy("Vessel")
        PERSON = "person", gettext_lazy("Person")

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ORGANIZATION)
    # The display name in Latin script; the original-script name is a PartyName of kind "original".
    name = models.CharField(max_length=500)
    country = models.ForeignKey(Country, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="parties")
    notes = models.TextField(blank=True)
    subsidiaries = models.ManyToManyField(
        "self", through="PartyRelation", symmetrical=False, related_name="parents", blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "parties"
        indexes = [models.Index(fields=["country", "kind"])]

    def __str__(self) -> str:
        return self.name

    def all_names(self) -> list[str]:
        seen: dict[str, None] = {self.name: None}
        for n in self.names.all():
            seen.setdefault(n.name, None)
        return list(seen)

    def aliases(self) -> list[str]:
        return [n for n in self.all_names() if n != self.name]


class PartyName(models.Model):
    class Kind(models.TextChoices):
        PRIMARY = "primary", gettext_lazy("Primary")
        ORIGINAL = "original", gettext_lazy("Original script")
        ALIAS = "alias", gettext_lazy("Also known as")
        FORMER = "former", gettext_lazy("Formerly known as")
        TRADE = "trade", gettext_lazy("Doing business as")
        VARIANT = "variant", gettext_lazy("Spelling variant")

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(max_length=500)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ALIAS)
    # ISO 15924-style script name as reported by rigour ("Latin", "Han", "Cyrillic", ...).
    script = models.CharField(max_length=30, blank=True)
    # Case-, punctuation- and width-folded form for exact lookups and duplicate checks.
    key = models.CharField(max_length=500, db_index=True, editable=False)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["party", "key"], name="party_name_unique")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.key = name_key(self.name)
        if not self.script:
            self.script = script_of(self.name)
        super().save(*args, **kwargs)


class PartyAddress(models.Model):
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="addresses")
    text = models.TextField(help_text=gettext_lazy("The address as written, in any script"))
    city = models.CharField(max_length=200, blank=True)
    country = models.ForeignKey(Country, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name_plural = "party addresses"

    def __str__(self) -> str:
        return self.text


class PartyIdentifier(models.Model):
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="identifiers")
    scheme = models.CharField(max_length=10, choices=list(SCHEMES.items()))
    value = models.CharField(max_length=64)

    class Meta:
        ordering = ["scheme", "value"]
        constraints = [models.UniqueConstraint(fields=["scheme", "value"], name="identifier_unique")]

    def __str__(self) -> str:
        return f"{self.scheme}:{self.value}"

    def clean(self) -> None:
        try:
            self.value = normalize_identifier(self.scheme, self.value)
        except InvalidIdentifier as exc:
            raise ValidationError({"value": str(exc)}) from exc


class PartyRelation(models.Model):
    class Kind(models.TextChoices):
        SUBSIDIARY = "subsidiary", gettext_lazy("Subsidiary")
        AFFILIATE = "affiliate", gettext_lazy("Affiliate")
        JOINT_VENTURE = "joint_venture", gettext_lazy("Joint venture")
        BRANCH = "branch", gettext_lazy("Branch or facility")

    parent = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="child_links")
    child = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="parent_links")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SUBSIDIARY)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["parent", "child", "kind"], name="party_relation_unique"),
            models.CheckConstraint(condition=~models.Q(parent=models.F("child")), name="party_not_own_parent"),
        ]

    def __str__(self) -> str:
        return f"{self.child} is a {self.get_kind_display().lower()} of {self.parent}"
