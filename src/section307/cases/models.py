"""Cases: the four-phase investigation of a forced-labour allegation through to a WRO or Finding."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from section307.accounts.models import Organization
from section307.cases.ilo import Dimension, Element, Indicator, Reliability, Strength
from section307.cases.storage import evidence_storage
from section307.core.models import TimeStampedModel
from section307.geo.models import Country, Region
from section307.goods.models import Good
from section307.orders.models import EnforcementOrder, LaborType, OrderType
from section307.parties.models import Party


class Phase(models.TextChoices):
    INITIATION = "initiation", gettext_lazy("1. Case initiation")
    RESEARCH = "research", gettext_lazy("2. Research and validity check")
    ESCALATION = "escalation", gettext_lazy("3. Escalation and evidentiary review")
    DECISION = "decision", gettext_lazy("4. Proposal awaiting approval")
    ENFORCEMENT = "enforcement", gettext_lazy("4. Enforcement and monitoring")
    CLOSED = "closed", gettext_lazy("Closed")


# The phase a task template belongs to; phase 4 covers both the decision and enforcement states.
TASK_PHASES = [
    (Phase.INITIATION.value, gettext_lazy("Phase 1: initiation")),
    (Phase.RESEARCH.value, gettext_lazy("Phase 2: research and validity")),
    (Phase.ESCALATION.value, gettext_lazy("Phase 3: escalation")),
    (Phase.DECISION.value, gettext_lazy("Phase 4: issuance and enforcement")),
]


class CaseTemplate(TimeStampedModel):
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# The condition a task tracks: the task is done as soon as the case meets it (cases.taskgates).
TASK_GATES = [
    ("", gettext_lazy("None: done by hand")),
    ("map", gettext_lazy("Supply-chain map drafted")),
    ("memo", gettext_lazy("Validity memo written")),
    ("engagement", gettext_lazy("Stakeholder engagement recorded")),
    ("ilo", gettext_lazy("ILO assessment recorded")),
    ("proposal", gettext_lazy("Proposal submitted")),
    ("approval", gettext_lazy("Proposal approved and the order issued")),
    ("issued", gettext_lazy("Order issued (published and screened at the ports)")),
]


class TaskTemplate(models.Model):
    template = models.ForeignKey(CaseTemplate, on_delete=models.CASCADE, related_name="tasks")
    phase = models.CharField(max_length=20, choices=TASK_PHASES)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # Days after the case opens that the task falls due.
    due_offset_days = models.PositiveSmallIntegerField(default=14)
    position = models.PositiveSmallIntegerField(default=0)
    gate = models.CharField(max_length=12, choices=TASK_GATES, blank=True, default="")

    class Meta:
        ordering = ["template", "position", "id"]

    def __str__(self) -> str:
        return f"{self.template}: {self.title}"


class Case(TimeStampedModel):
    class Origin(models.TextChoices):
        TIP = "tip", gettext_lazy("Tip or allegation")
        SELF = "self", gettext_lazy("Self-initiated")
        REPORT = "report", gettext_lazy("Published report")
        DOL = "dol", gettext_lazy("DOL research")
        COURT = "court", gettext_lazy("Court case")
        MEDIA = "media", gettext_lazy("Media")

    class Priority(models.TextChoices):
        LOW = "low", gettext_lazy("Low")
        MEDIUM = "medium", gettext_lazy("Medium")
        HIGH = "high", gettext_lazy("High")
        URGENT = "urgent", gettext_lazy("Urgent")

    class Risk(models.TextChoices):
        LOW = "low", gettext_lazy("Low")
        MEDIUM = "medium", gettext_lazy("Medium")
        HIGH = "high", gettext_lazy("High")
        CRITICAL = "critical", gettext_lazy("Critical")

    class Outcome(models.TextChoices):
        ORDER_ISSUED = "order_issued", gettext_lazy("Order issued and monitoring ended")
        INSUFFICIENT = "insufficient", gettext_lazy("Insufficient evidence")
        REMEDIATED = "remediated", gettext_lazy("Remediated during grace period")
        NOT_IMPORTED = "not_imported", gettext_lazy("Goods not imported into the United States")
        REFERRED = "referred", gettext_lazy("Referred to another agency")
        MERGED = "merged", gettext_lazy("Merged into another case")
        OTHER = "other", gettext_lazy("Other")

    reference = models.CharField(max_length=30, unique=True)
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.INITIATION, db_index=True)
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.TIP)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.MEDIUM)
    risk_rating = models.CharField(max_length=10, choices=Risk.choices, default=Risk.MEDIUM)
    labor_type = models.CharField(max_length=12, choices=LaborType.choices, blank=True)
    # The agency that owns the case; its supervisors see and approve it.
    agency = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_cases")
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="team_cases", blank=True)
    template = models.ForeignKey(CaseTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    parties = models.ManyToManyField(Party, through="CaseParty", related_name="cases", blank=True)
    goods = models.ManyToManyField(Good, related_name="cases", blank=True)
    hts_prefixes = models.JSONField(default=list, blank=True)
    countries = models.ManyToManyField(Country, related_name="cases", blank=True)
    regions = models.ManyToManyField(Region, related_name="cases", blank=True)
    validity_memo = models.TextField(
        blank=True, help_text=gettext_lazy("Why the case is valid to pursue (phase 2 gate)")
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    closing_note = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_cases"
    )

    class Meta:
        ordering = ["-created_at"]
        permissions = [
            ("approve_proposal", "Can approve or reject a WRO or Finding proposal"),
            ("work_case", "Can open and work cases"),
            ("reopen_case", "Can reopen a closed case"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.phase != Phase.CLOSED


class CaseParty(models.Model):
    """A party in the case's draft map of the global supply chain: its role, tier and buyer."""

    class Role(models.TextChoices):
        PRODUCER = "producer", gettext_lazy("Producer or grower")
        PROCESSOR = "processor", gettext_lazy("Processor or manufacturer")
        SUPPLIER = "supplier", gettext_lazy("Supplier or trader")
        EXPORTER = "exporter", gettext_lazy("Exporter")
        IMPORTER = "importer", gettext_lazy("U.S. importer")
        LABOR_AGENT = "labor_agent", gettext_lazy("Labor recruiter or agent")
        OTHER = "other", gettext_lazy("Other")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_parties")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="case_links")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PRODUCER)
    # Tier 0 is the importer; tier 1 its direct supplier; higher tiers go upstream to raw materials.
    tier = models.PositiveSmallIntegerField(null=True, blank=True)
    supplies_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="suppliers")
    is_target = models.BooleanField(default=True, help_text=gettext_lazy("A target of the case (named in any order)"))
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["case", "tier", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "party"], name="case_party_unique")]

    def __str__(self) -> str:
        return f"{self.party} (tier {self.tier if self.tier is not None else '?'})"

    def clean(self) -> None:
        if self.supplies_to_id and self.supplies_to_id == self.pk:
            raise ValidationError({"supplies_to": gettext("A party cannot supply itself.")})
        if self.supplies_to is not None and self.supplies_to.case_id != self.case_id:
            raise ValidationError({"supplies_to": gettext("The buyer must be a party in the same case.")})


class CaseTask(TimeStampedModel):
    class Status(models.TextChoices):
        OPEN = "open", gettext_lazy("Open")
        DONE = "done", gettext_lazy("Done")
        CANCELLED = "cancelled", gettext_lazy("Cancelled")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    phase = models.CharField(max_length=20, choices=TASK_PHASES)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    due_date = models.DateField(null=True, blank=True, db_index=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="case_tasks"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)
    reminded_on = models.DateField(null=True, blank=True)
    gate = models.CharField(max_length=12, choices=TASK_GATES, blank=True, default="")
    cancel_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["case", "due_date", "position", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_date is not None and self.due_date < timezone.localdate()


class TaskComment(models.Model):
    task = models.ForeignKey(CaseTask, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["task", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.author} on {self.task}"


class CaseComment(models.Model):
    """A note on the case; partner agencies with comment rights write here."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.author} on {self.case.reference}"


class StakeholderEngagement(models.Model):
    class Kind(models.TextChoices):
        INTERNAL = "internal", gettext_lazy("Internal office")
        AGENCY = "agency", gettext_lazy("Other U.S. agency")
        FOREIGN_GOVERNMENT = "foreign_gov", gettext_lazy("Foreign government")
        NGO = "ngo", gettext_lazy("NGO or civil society")
        WORKERS = "workers", gettext_lazy("Workers or their representatives")
        INDUSTRY = "industry", gettext_lazy("Industry or importer")
        IN_COUNTRY = "in_country", gettext_lazy("In-country engagement")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="engagements")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    stakeholder = models.CharField(max_length=300)
    engaged_on = models.DateField()
    summary = models.TextField()
    # Affected workers referred to protection or remedy services (shelters, legal aid, NGOs).
    protection_referral = models.BooleanField(default=False)
    referral_details = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "-engaged_on", "-id"]

    def __str__(self) -> str:
        return f"{self.stakeholder} ({self.engaged_on})"


def _evidence_path(instance: Evidence, filename: str) -> str:
    # A random name: the original name is kept in a field and never reaches the file system.
    return f"evidence/{instance.case.reference}/{uuid.uuid4().hex}"


class ImmutableRecord(Exception):
    pass


class Evidence(models.Model):
    """A piece of evidence, stored once and never changed. Analysts annotate and tag it instead."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", gettext_lazy("Document")
        PHOTO = "photo", gettext_lazy("Photo or video still")
        TESTIMONY = "testimony", gettext_lazy("Testimony note")
        AUDIT = "audit", gettext_lazy("Audit report")
        TRADE_RECORD = "trade_record", gettext_lazy("Trade record")
        WEB_CAPTURE = "web_capture", gettext_lazy("Web capture")

    class Origin(models.TextChoices):
        UPLOAD = "upload", gettext_lazy("Uploaded by staff")
        ALLEGATION = "allegation", gettext_lazy("From an allegation (sanitized copy)")
        PARTNER = "partner", gettext_lazy("From a partner agency")
        DEMO = "demo", gettext_lazy("Demo data")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    source = models.CharField(max_length=300, help_text=gettext_lazy("Who or where it came from"))
    reliability = models.CharField(max_length=1, choices=Reliability.choices, default=Reliability.F)
    date_obtained = models.DateField()
    file = models.FileField(upload_to=_evidence_path, storage=evidence_storage, max_length=300)
    original_filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.UPLOAD)
    origin_ref = models.CharField(max_length=100, blank=True, help_text=gettext_lazy("E.g. the allegation's reference"))
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    # Stored encrypted under SECTION307_ENCRYPTION_KEYS (`section307 files rotate-keys` re-encrypts).
    encrypted_file_fields = ("file",)

    class Meta:
        ordering = ["case", "added_at", "id"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return f"{self.title} ({self.sha256[:12]})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Immutability holds below the services too: a stored row is never rewritten.
        if self.pk is not None and not self._state.adding:
            raise ImmutableRecord("Evidence is immutable; add an annotation instead.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableRecord("Evidence cannot be deleted.")


class EvidenceAnnotation(models.Model):
    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT, related_name="annotations")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["evidence", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.author} on {self.evidence}"


class CustodyEvent(models.Model):
    """Chain of custody: every addition, view, download and export of a piece of evidence."""

    class Action(models.TextChoices):
        ADDED = "added", gettext_lazy("Added")
        VIEWED = "viewed", gettext_lazy("Viewed")
        DOWNLOADED = "downloaded", gettext_lazy("Downloaded")
        EXPORTED = "exported", gettext_lazy("Exported")
        ANNOTATED = "annotated", gettext_lazy("Annotated")
        TAGGED = "tagged", gettext_lazy("Tagged")
        VERIFIED = "verified", gettext_lazy("Hash verified")

    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT, related_name="custody")
    action = models.CharField(max_length=20, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(max_length=200)
    occurred_at = models.DateTimeField(auto_now_add=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["evidence", "occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.actor_label}"


class IndicatorTag(models.Model):
    """A finding: this piece of evidence speaks to this ILO indicator, in this dimension and element."""

    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT, related_name="tags")
    indicator = models.CharField(max_length=20, choices=Indicator.choices)
    dimension = models.CharField(max_length=20, choices=Dimension.choices)
    element = models.CharField(max_length=20, choices=Element.choices)
    strength = models.CharField(max_length=10, choices=Strength.choices)
    note = models.TextField(blank=True)
    tagged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    tagged_at = models.DateTimeField(auto_now_add=True)
    # Tags are withdrawn, not deleted, so the assessment's history stays readable.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["evidence", "indicator", "id"]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()} ({self.get_strength_display()})"


class IloAssessment(models.Model):
    """The analyst's written conclusion on the ILO matrix (a WRO gate)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="ilo_assessment")
    conclusion = models.TextField()
    # The computed summary at the time it was recorded, so later tagging cannot silently change it.
    snapshot = models.JSONField(default=dict)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"ILO assessment of {self.case.reference}"


class OrderProposal(TimeStampedModel):
    """A proposed WRO or Finding, written by one person and approved by a supervisor who is someone else."""

    class Status(models.TextChoices):
        DRAFT = "draft", gettext_lazy("Draft")
        SUBMITTED = "submitted", gettext_lazy("Submitted for approval")
        APPROVED = "approved", gettext_lazy("Approved and issued")
        REJECTED = "rejected", gettext_lazy("Returned")
        WITHDRAWN = "withdrawn", gettext_lazy("Withdrawn")

    class GracePeriod(models.TextChoices):
        NOT_APPLICABLE = "not_applicable", gettext_lazy("Not applicable: no real due diligence or remediation shown")
        OFFERED = "offered", gettext_lazy("Offered a grace period with an alert first")
        NOT_OFFERED = "not_offered", gettext_lazy("Not offered (reason given)")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="proposals")
    order_type = models.CharField(
        max_length=20,
        choices=[(OrderType.WRO.value, OrderType.WRO.label), (OrderType.FINDING.value, gettext_lazy("Finding"))],
    )
    # Blank is allowed in a draft; the submission gate requires it.
    merchandise = models.TextField(blank=True)
    industry = models.CharField(max_length=100, blank=True)
    country = models.ForeignKey(Country, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    effective_date = models.DateField(null=True, blank=True)
    scope_parties = models.ManyToManyField(CaseParty, related_name="+", blank=True)
    # "and its subsidiaries" etc., applied to every named party.
    qualifiers = models.JSONField(default=list, blank=True)
    regions = models.ManyToManyField(Region, related_name="+", blank=True)
    goods = models.ManyToManyField(Good, related_name="+", blank=True)
    hts_prefixes = models.JSONField(default=list, blank=True)
    # WRO: why the information reasonably but not conclusively indicates forced-labour goods (12.42(e)).
    basis = models.TextField(blank=True)
    # Finding: the probable-cause evidence (12.42(f)) and its publication.
    probable_cause = models.TextField(blank=True)
    citation = models.CharField(max_length=300, blank=True)
    importer_due_diligence = models.BooleanField(
        default=False, help_text=gettext_lazy("The importer has shown real due diligence and remediation")
    )
    grace_period = models.CharField(max_length=20, choices=GracePeriod.choices, default=GracePeriod.NOT_APPLICABLE)
    grace_period_note = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    order = models.OneToOneField(
        EnforcementOrder, null=True, blank=True, on_delete=models.PROTECT, related_name="proposal"
    )

    class Meta:
        ordering = ["case", "-created_at"]

    def __str__(self) -> str:
        return f"{self.case.reference} {self.get_order_type_display()} proposal"


class CaseShare(models.Model):
    class Access(models.TextChoices):
        READ = "read", gettext_lazy("Read only")
        COMMENT = "comment", gettext_lazy("Read and comment")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shares")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="case_shares")
    access = models.CharField(max_length=10, choices=Access.choices, default=Access.READ)
    include_evidence = models.BooleanField(
        default=False, help_text=gettext_lazy("Partners may also open evidence files")
    )
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case", "-granted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "organization"], condition=models.Q(revoked_at__isnull=True), name="case_share_active"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case.reference} → {self.organization} ({self.access})"


class OrderChangeRequest(TimeStampedModel):
    """A petition to modify or revoke an order: any order, issued from a case here or loaded from
    an official list. Every petition lands in the one headquarters queue and is decided there
    (``cases.lifecycle.PETITION_LIFECYCLE``); the issuing case, when there is one, is linked."""

    class Kind(models.TextChoices):
        MODIFY = "modify", gettext_lazy("Modification")
        REVOKE = "revoke", gettext_lazy("Revocation")

    class Ground(models.TextChoices):
        NOT_MADE_WITH_FL = "not_made", gettext_lazy("The goods are not made with forced labor")
        NO_LONGER_MADE = "no_longer_made", gettext_lazy("The goods are no longer made with forced labor")
        NOT_IMPORTED = "not_imported", gettext_lazy("The goods are no longer imported")

    class Status(models.TextChoices):
        FILED = "filed", gettext_lazy("Filed")
        UNDER_REVIEW = "under_review", gettext_lazy("Under review")
        INFO_REQUESTED = "info_requested", gettext_lazy("More information requested")
        GRANTED_MODIFICATION = "granted_modification", gettext_lazy("Granted: order modified")
        GRANTED_REVOCATION = "granted_revocation", gettext_lazy("Granted: order revoked")
        DENIED = "denied", gettext_lazy("Denied")
        WITHDRAWN = "withdrawn", gettext_lazy("Withdrawn")

    class Channel(models.TextChoices):
        PORTAL = "portal", gettext_lazy("Importer portal or API")
        CASE = "case", gettext_lazy("Analyst, from a case")
        HQ = "hq", gettext_lazy("Headquarters")

    class Finding(models.TextChoices):
        REMEDIATED = "remediated", gettext_lazy("Remediated")
        REFUTED = "refuted", gettext_lazy("Refuted (not present)")
        NOT_REMEDIATED = "not_remediated", gettext_lazy("Not remediated")

    order = models.ForeignKey(EnforcementOrder, on_delete=models.PROTECT, related_name="change_requests")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="change_requests")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    ground = models.CharField(max_length=20, choices=Ground.choices)
    grounds = models.TextField(help_text=gettext_lazy("The facts and documents offered"))
    filed_via = models.CharField(max_length=10, choices=Channel.choices, default=Channel.CASE)
    # A modification narrows the order: e.g. a party removed or new merchandise text.
    proposed_merchandise = models.TextField(blank=True)
    proposed_remove_party_ids = models.JSONField(default=list, blank=True)
    requester_name = models.CharField(max_length=200, blank=True)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="order_change_requests"
    )
    # The evidence CBP asks for (WRO Modification/Revocation Processes Overview, 2021).
    indicators = models.JSONField(
        default=list, blank=True, help_text=gettext_lazy("ILO indicators identified in the order")
    )
    indicator_responses = models.JSONField(
        default=dict, blank=True, help_text=gettext_lazy("Per indicator: refuted or remediated")
    )
    policies = models.TextField(blank=True, help_text=gettext_lazy("Policies, procedures and controls"))
    audit_firm = models.CharField(max_length=200, blank=True)
    audit_date = models.DateField(null=True, blank=True)
    audit_unannounced = models.BooleanField(default=False)
    audit_summary = models.TextField(blank=True)
    supply_chain_map = models.TextField(blank=True)
    remediation = models.TextField(
        blank=True, help_text=gettext_lazy("Worker remediation, e.g. recruitment fees repaid")
    )
    remediation_amount_usd = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    remediation_workers = models.PositiveIntegerField(null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.FILED, db_index=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    info_question = models.TextField(blank=True)
    info_due_date = models.DateField(null=True, blank=True)
    info_answer = models.TextField(blank=True)
    indicator_findings = models.JSONField(
        default=dict, blank=True, help_text=gettext_lazy("Headquarters' finding per indicator")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    # Open detentions under the order when it was decided: the port acts on these.
    detained_entries = models.JSONField(default=list, blank=True)

    OPEN_STATUSES = (Status.FILED, Status.UNDER_REVIEW, Status.INFO_REQUESTED)
    GRANTED_STATUSES = (Status.GRANTED_MODIFICATION, Status.GRANTED_REVOCATION)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "order petition"
        permissions = [("decide_petition", "Can review and decide order modification and revocation petitions")]

    def __str__(self) -> str:
        return f"Petition {self.pk} ({self.get_kind_display().lower()} of {self.order.reference})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_granted(self) -> bool:
        return self.status in self.GRANTED_STATUSES


class CaseAllegation(models.Model):
    """An allegation this case grew from or that was attached to it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="allegation_links")
    allegation = models.ForeignKey("allegations.Allegation", on_delete=models.PROTECT, related_name="case_links")
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["case", "linked_at", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "allegation"], name="case_allegation_unique")]

    def __str__(self) -> str:
        return f"{self.case.reference} ← {self.allegation}"
