"""Targets for the indicators, outcome records with evidence, the detention fact table, quarterly reports."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from section307.cases.models import Case
from section307.orders.models import EnforcementOrder
from section307.ports.models import Detention, Regime


class Target(models.Model):
    """A manager's target for one indicator (``metrics.indicators``); the newest row per indicator counts."""

    indicator = models.CharField(max_length=40, db_index=True)
    value = models.DecimalField(max_digits=14, decimal_places=2)
    note = models.TextField(blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    set_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["indicator", "-set_at", "-id"]
        permissions = [
            ("view_dashboard", "Can see the outcome dashboard and download its reports"),
            ("set_target", "Can set indicator targets"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"


class OutcomeKind(models.TextChoices):
    FEES_REPAID = "fees_repaid", _("Recruitment fees repaid")
    WAGES_REPAID = "wages_repaid", _("Wages repaid")
    DOCUMENTS_RETURNED = "documents_returned", _("Identity documents returned")
    AUDIT_PASSED = "audit_passed", _("Independent audit passed")
    ORDER_MODIFIED = "order_modified", _("Order modified because of remediation")
    ORDER_REVOKED = "order_revoked", _("Order revoked because of remediation")
    RECURRENCE = "recurrence", _("Recurrence: forced labor found again")


# Kinds that repay money: these need an amount and a currency.
MONEY_KINDS = (OutcomeKind.FEES_REPAID, OutcomeKind.WAGES_REPAID)


def _evidence_path(instance: OutcomeRecord, filename: str) -> str:
    # A random name: nothing about the case or the original file name reaches the disk.
    return f"metrics/outcomes/{uuid.uuid4().hex}.bin"


class OutcomeRecord(models.Model):
    """Remediation achieved (or its failure) for a case or an order, with its evidence (encrypted at rest)."""

    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="outcome_records")
    order = models.ForeignKey(
        EnforcementOrder, null=True, blank=True, on_delete=models.PROTECT, related_name="outcome_records"
    )
    kind = models.CharField(max_length=20, choices=OutcomeKind.choices)
    occurred_on = models.DateField()
    amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    workers_covered = models.PositiveIntegerField(null=True, blank=True)
    description = models.TextField()
    evidence = models.FileField(upload_to=_evidence_path)
    evidence_name = models.CharField(max_length=255)
    evidence_type = models.CharField(max_length=100)
    evidence_sha256 = models.CharField(max_length=64)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        permissions = [("record_outcome", "Can record remediation outcomes for cases and orders")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(case__isnull=False) | models.Q(order__isnull=False),
                name="outcome_case_or_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on}"


class Outcome(models.TextChoices):
    """CBP's dashboard words: denied is seized, excluded, exported or destroyed (abandoned)."""

    RELEASED = "released", _("Released")
    DENIED = "denied", _("Denied")
    PENDING = "pending", _("Pending")


class DetentionFact(models.Model):
    """One row per detention with the dimensions the figures group by, kept in step by signals and rebuilt
    by ``metrics_refresh``. The line that caused the detention (its top line) gives country and HTS."""

    detention = models.OneToOneField(Detention, on_delete=models.CASCADE, primary_key=True, related_name="+")
    notice_date = models.DateField()
    fiscal_year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    month = models.DateField(help_text="First day of the month of the notice")
    regime = models.CharField(max_length=8, choices=Regime.choices)
    country = models.CharField(max_length=60, blank=True)
    industry = models.CharField(max_length=20)
    hts4 = models.CharField(max_length=4, blank=True)
    port = models.CharField(max_length=4)
    status = models.CharField(max_length=14, choices=Detention.Status.choices)
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    value = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    decided_on = models.DateField(null=True, blank=True)
    # Days from the notice to the final decision (the median is taken in the database).
    days_to_decision = models.IntegerField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["decided_on", "days_to_decision"], name="metrics_fact_decided"),
            models.Index(fields=["fiscal_year", "regime"], name="metrics_fact_fy_regime"),
            models.Index(fields=["month"], name="metrics_fact_month"),
        ]

    def __str__(self) -> str:
        return f"Fact for detention {self.detention_id}"


class DetentionTally(models.Model):
    """Detention counts and values per month, regime, status and one value of one dimension: what the
    dashboard and the public statistics read instead of grouping the fact table.

    Each detention counts once in every dimension: ``all`` (key ""; the fiscal year, quarter, month and
    regime tables), ``country``, ``industry``, ``hts4`` and ``port`` (key: its value), all by the month of
    its notice; and, once decided, in ``decision_days`` (key: days from the notice to the decision) by
    the month of the decision. Kept in step with the fact table in the same transaction
    (``metrics.tallies``) and rebuilt from it by ``section307 metrics_refresh``.
    """

    class Dimension(models.TextChoices):
        ALL = "all", _("All detentions")
        COUNTRY = "country", _("Country of origin")
        INDUSTRY = "industry", _("Industry")
        HTS4 = "hts4", _("HTS heading (4 digits)")
        PORT = "port", _("Port")
        DECISION_DAYS = "decision_days", _("Days from notice to decision")

    dimension = models.CharField(max_length=16, choices=Dimension.choices)
    key = models.CharField(max_length=60, blank=True)
    month = models.DateField(help_text="First day of the month of the notice (of the decision for decision_days)")
    fiscal_year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    regime = models.CharField(max_length=8, choices=Regime.choices)
    status = models.CharField(max_length=14, choices=Detention.Status.choices)
    n = models.IntegerField(default=0)
    value = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    changed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "key", "month", "regime", "status"], name="metrics_tally_unique"
            )
        ]
        indexes = [
            models.Index(fields=["dimension", "fiscal_year"], name="metrics_tally_dim_fy"),
            models.Index(fields=["changed_at"], name="metrics_tally_changed"),
        ]

    def __str__(self) -> str:
        return f"{self.dimension}={self.key} {self.month:%Y-%m} {self.regime} {self.status}: {self.n}"


class QuarterlyReport(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Being built")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    fiscal_year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(upload_to="metrics/reports/", blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"FY{self.fiscal_year} Q{self.quarter}"
