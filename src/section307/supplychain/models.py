"""Supplier maps: organizations and facilities (nodes) linked supplier to buyer, with their screening,
traceability evidence and EPCIS events, import jobs and monitoring alerts."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from section307.accounts.models import Organization
from section307.core.models import TimeStampedModel
from section307.geo.models import Country
from section307.goods.models import Good
from section307.parties.models import Party
from section307.supplychain.diligence import ELEMENT_BY_CODE, ELEMENTS, AnswerStatus, Element


class CustodyModel(models.TextChoices):
    """ISO 22095 chain-of-custody models, as UNTP names them."""

    IDENTITY_PRESERVED = "identity_preserved", _("Identity preserved")
    SEGREGATED = "segregated", _("Segregated")
    MASS_BALANCE = "mass_balance", _("Mass balance")
    BOOK_AND_CLAIM = "book_and_claim", _("Book and claim")


class RiskLevel(models.TextChoices):
    CLEAR = "clear", _("Clear")
    REVIEW = "review", _("Review")
    HIT = "hit", _("At risk")


class MatchStatus(models.TextChoices):
    """How a map row relates to a registry party (as Open Supply Hub's facility matches)."""

    UNMATCHED = "unmatched", _("No registry party found")
    PENDING = "pending", _("Possible match, to confirm")
    AUTOMATIC = "automatic", _("Matched automatically")
    CONFIRMED = "confirmed", _("Match confirmed")
    REJECTED = "rejected", _("Match rejected")


class SupplyChainMap(TimeStampedModel):
    """One imported good's supply chain, owned by an importer's organization (or drafted in a case)."""

    class Source(models.TextChoices):
        UPLOAD = "upload", _("Spreadsheet upload")
        API = "api", _("API")
        ENTRY = "entry", _("Entry data")
        CASE = "case", _("Case map")

    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="supply_chain_maps"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="supply_chain_maps"
    )
    title = models.CharField(max_length=200)
    good = models.ForeignKey(Good, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    hts = models.CharField(max_length=10, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.UPLOAD)
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices, default=RiskLevel.CLEAR)
    screened_at = models.DateTimeField(null=True, blank=True)
    # The registry version the last screening used: monitoring re-screens when it moves.
    screened_version = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("view_all_maps", "Can read every supply-chain map")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("supplychain:detail", args=[self.pk])


class Node(models.Model):
    """An organization or facility in a map. Tier 0 is the importer; 1 its direct supplier; up to raw materials."""

    map = models.ForeignKey(SupplyChainMap, on_delete=models.CASCADE, related_name="nodes")
    name = models.CharField(max_length=300)
    # Folded name: one node per name in a map.
    key = models.CharField(max_length=300)
    country = models.ForeignKey(Country, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    address = models.CharField(max_length=500, blank=True)
    identifier = models.CharField(max_length=100, blank=True)
    tier = models.PositiveSmallIntegerField()
    party = models.ForeignKey(Party, null=True, blank=True, on_delete=models.SET_NULL, related_name="supply_nodes")
    match_status = models.CharField(max_length=10, choices=MatchStatus.choices, default=MatchStatus.UNMATCHED)
    match_score = models.FloatField(null=True, blank=True)
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices, default=RiskLevel.CLEAR)
    # The engine's signals for this node (kind, level, detail, list, order), as it reported them.
    risk_signals = models.JSONField(default=list, blank=True)
    row = models.PositiveIntegerField(null=True, blank=True, help_text="Row of the file it came from")

    class Meta:
        ordering = ["map", "tier", "name"]
        constraints = [models.UniqueConstraint(fields=["map", "key"], name="supplychain_node_unique")]
        indexes = [models.Index(fields=["map", "risk_level"]), models.Index(fields=["party"])]

    def __str__(self) -> str:
        return self.name


class Link(models.Model):
    """Supplier → buyer for one input good, with the share of the buyer's input and the custody model."""

    map = models.ForeignKey(SupplyChainMap, on_delete=models.CASCADE, related_name="links")
    supplier = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="supplies")
    buyer = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="buys")
    tier = models.PositiveSmallIntegerField()
    good_key = models.CharField(max_length=200, blank=True)
    good = models.ForeignKey(Good, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    hts = models.CharField(max_length=10, blank=True)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    share = models.DecimalField(
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="Share of the buyer's input of this good, 0 to 1",
    )
    custody_model = models.CharField(max_length=20, choices=CustodyModel.choices, default=CustodyModel.MASS_BALANCE)
    row = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["map", "tier", "id"]
        indexes = [
            models.Index(fields=["map", "buyer"]),
            # The upstream walk (risk.upstream_risky) reads supplier by buyer: covered by this index alone.
            models.Index(fields=["buyer", "supplier"], name="supplychain_link_up_idx"),
            models.Index(fields=["supplier"]),
        ]

    def __str__(self) -> str:
        return f"{self.supplier_id} → {self.buyer_id}"


def _evidence_path(instance: Evidence, filename: str) -> str:
    return f"supplychain/{instance.map_id}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    """A traceability document for a node or a link; stored encrypted, its SHA-256 checked on every read."""

    class Kind(models.TextChoices):
        PURCHASE_ORDER = "purchase_order", _("Purchase order")
        INVOICE = "invoice", _("Invoice")
        PRODUCTION = "production", _("Production record")
        TRANSPORT = "transport", _("Transport record")
        ORIGIN_TEST = "origin_test", _("Origin test (isotopic or DNA)")
        AUDIT = "audit", _("Audit report")
        OTHER = "other", _("Other")

    map = models.ForeignKey(SupplyChainMap, on_delete=models.CASCADE, related_name="evidence")
    node = models.ForeignKey(Node, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence")
    link = models.ForeignKey(Link, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.CharField(max_length=300, blank=True)
    file = models.FileField(upload_to=_evidence_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    encrypted_file_fields = ("file",)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class TraceEvent(models.Model):
    """A GS1 EPCIS 2.0 event (object, aggregation, transformation, transaction) tied to a node when its
    business location names one."""

    class Type(models.TextChoices):
        OBJECT = "ObjectEvent", _("Object event")
        AGGREGATION = "AggregationEvent", _("Aggregation event")
        TRANSFORMATION = "TransformationEvent", _("Transformation event")
        TRANSACTION = "TransactionEvent", _("Transaction event")

    map = models.ForeignKey(SupplyChainMap, on_delete=models.CASCADE, related_name="events")
    node = models.ForeignKey(Node, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    event_type = models.CharField(max_length=20, choices=Type.choices)
    event_time = models.DateTimeField()
    biz_step = models.CharField(max_length=200, blank=True)
    biz_location = models.CharField(max_length=300, blank=True)
    event_id = models.CharField(max_length=300, blank=True)
    data = models.JSONField()

    class Meta:
        ordering = ["event_time", "id"]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_time:%Y-%m-%d}"


class ImportJob(TimeStampedModel):
    """A large upload parsed and imported in the background; the page polls its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Kind(models.TextChoices):
        MAP = "map", _("Supplier map")
        ENTRIES = "entries", _("Entry file self-screening")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MAP)
    title = models.CharField(max_length=200)
    filename = models.CharField(max_length=255)
    # The uploaded file, encrypted; emptied once the job has finished.
    payload = models.BinaryField(blank=True, default=b"")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    results = models.JSONField(default=list, blank=True)
    map = models.ForeignKey(SupplyChainMap, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        return 100 if self.status == self.Status.DONE else (self.done * 100 // self.total if self.total else 0)


class MapAlert(models.Model):
    """A notice to a map's owner: its risk changed after an order or reference-list change."""

    map = models.ForeignKey(SupplyChainMap, on_delete=models.CASCADE, related_name="alerts")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=300)
    body = models.TextField()
    trigger = models.CharField(max_length=300)
    risk_before = models.CharField(max_length=10, choices=RiskLevel.choices)
    risk_after = models.CharField(max_length=10, choices=RiskLevel.choices)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.subject


# ------------------------------------------------------------------------------- due diligence


class Assessment(TimeStampedModel):
    """One version of an organization's self-assessment: a draft the importer edits, or a submitted
    version frozen for good (the services refuse any change to it)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="diligence_assessments")
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    score = models.PositiveSmallIntegerField(default=0)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["organization", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "version"], name="supplychain_assessment_version"),
            models.UniqueConstraint(
                fields=["organization"], condition=models.Q(status="draft"), name="supplychain_assessment_one_draft"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} v{self.version}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("supplychain:assessment", args=[self.pk])


def _answer_path(instance: AssessmentAnswer, filename: str) -> str:
    return f"supplychain/diligence/{instance.assessment.organization_id}/{uuid.uuid4().hex}"


class AssessmentAnswer(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    element = models.CharField(max_length=30, choices=[(e.code, e.label) for e in ELEMENTS])
    status = models.CharField(max_length=12, choices=AnswerStatus.choices, default=AnswerStatus.NOT_STARTED)
    narrative = models.TextField(blank=True)
    # Evidence: a supplier map, a traceability document, or an uploaded document (encrypted, hashed).
    map = models.ForeignKey(
        "supplychain.SupplyChainMap", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    evidence = models.ForeignKey(
        "supplychain.Evidence", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(upload_to=_answer_path, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)

    encrypted_file_fields = ("file",)

    class Meta:
        ordering = ["assessment", "id"]
        constraints = [models.UniqueConstraint(fields=["assessment", "element"], name="supplychain_answer_unique")]

    def __str__(self) -> str:
        return f"{self.assessment} {self.element}"

    @property
    def has_evidence(self) -> bool:
        return bool(self.map_id or self.evidence_id or self.sha256)

    @property
    def element_info(self) -> Element:
        return ELEMENT_BY_CODE[self.element]


class RemediationPlan(TimeStampedModel):
    """A plan to remediate a risk (on a map, a risky node or a detention), with milestones, tracked to
    its outcome (``supplychain.lifecycle.REMEDIATION_PLAN``)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        REMEDIATED = "remediated", _("Remediated")
        NOT_REMEDIATED = "not_remediated", _("Not remediated")
        ABANDONED = "abandoned", _("Abandoned")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="remediation_plans")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    map = models.ForeignKey(
        "supplychain.SupplyChainMap", null=True, blank=True, on_delete=models.SET_NULL, related_name="remediation_plans"
    )
    node = models.ForeignKey(
        "supplychain.Node", null=True, blank=True, on_delete=models.SET_NULL, related_name="remediation_plans"
    )
    detention = models.ForeignKey("ports.Detention", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True)
    outcome_note = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("supplychain:plan", args=[self.pk])


class Milestone(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DONE = "done", _("Done")

    plan = models.ForeignKey(RemediationPlan, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    due_date = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    done_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return self.title

    @property
    def overdue(self) -> bool:
        return self.status == self.Status.PENDING and self.due_date < timezone.localdate()
