from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext, gettext_lazy, ngettext

from section307.core.models import TimeStampedModel


class Organization(TimeStampedModel):
    class Kind(models.TextChoices):
        IMPORTER = "importer", gettext_lazy("Importer of record")
        BROKER = "broker", gettext_lazy("Customs broker")
        AGENCY = "agency", gettext_lazy("Enforcing agency")
        PARTNER = "partner", gettext_lazy("Partner agency")
        NGO = "ngo", gettext_lazy("Non-governmental organization")
        RIGHTS_HOLDER = "rights_holder", gettext_lazy("Trademark or copyright owner")

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Importer-of-record number (IRS/EIN-based) for trade organizations.
    importer_number = models.CharField(max_length=30, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text=gettext_lazy("ISO 3166-1 alpha-2"))

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    # "issuer|subject" of the OpenID Connect identity bound to this account (set on its first OIDC sign-in).
    oidc_subject = models.CharField(max_length=300, blank=True, editable=False)

    class Meta:
        ordering = ["username"]
        constraints = [
            models.UniqueConstraint(
                fields=["oidc_subject"], condition=~models.Q(oidc_subject=""), name="user_oidc_subject_unique"
            )
        ]

    def has_perm(self, perm: str, obj: models.Model | None = None) -> bool:
        from section307.accounts.roles import ROLE_ONLY_PERMISSIONS, role_grants

        if perm in ROLE_ONLY_PERMISSIONS and obj is None:
            return role_grants(self, perm)
        return super().has_perm(perm, obj)

    def has_role(self, role: str) -> bool:
        from section307.accounts.roles import user_has_role

        return user_has_role(self, role)


class EntryAccessGrant(TimeStampedModel):
    """An importer of record lets a customs broker act for it: on all its entries, or on the listed
    entry numbers. Revoked grants are kept (with who revoked them and when) for the record."""

    importer = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="broker_grants")
    broker = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="importer_grants")
    all_entries = models.BooleanField(default=True)
    entry_numbers = models.JSONField(default=list, blank=True)
    granted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["importer", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["importer", "broker"], condition=models.Q(revoked_at__isnull=True), name="entry_grant_active"
            )
        ]

    def __str__(self) -> str:
        n = len(self.entry_numbers)
        scope = gettext("all entries") if self.all_entries else ngettext("%(n)d entry", "%(n)d entries", n) % {"n": n}
        return f"{self.importer} → {self.broker} ({scope})"

    def covers(self, entry_number: str) -> bool:
        return self.revoked_at is None and (self.all_entries or entry_number in self.entry_numbers)
