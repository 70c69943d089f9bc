"""Allegations of forced labor (19 CFR 12.42), their evidence, and the conversation with the reporter.

Deliberately absent: any field for the submitter's IP address, user agent or other request
metadata. Identity, when given, lives only in ``identity_encrypted``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from section307.core.models import TimeStampedModel
from section307.geo.models import Country, Region
from section307.goods.models import Good
from section307.orders.models import LaborType
from section307.parties.models import Party
from section307.parties.names import name_key


class AllegationStatus(models.TextChoices):
    NEW = "new", _("New")
    IN_TRIAGE = "in_triage", _("In triage")
    INFO_REQUESTED = "info_requested", _("Information requested")
    ESCALATED = "escalated", _("Escalated (linked to a case)")
    DUPLICATE = "duplicate", _("Duplicate (merged)")
    CLOSED = "closed", _("Closed")


class PublicStatus(models.TextChoices):
    """What a reporter sees: never the internal state."""

    RECEIVED = "received", _("Received")
    UNDER_REVIEW = "under_review", _("Under review")
    INFO_REQUESTED = "more_information_requested", _("More information requested")
    CLOSED = "closed", _("Closed")


class IloIndicator(models.TextChoices):
    """The 11 ILO indicators of forced labour (ILO, 2012)."""

    ABUSE_OF_VULNERABILITY = "abuse_of_vulnerability", _("Abuse of vulnerability")
    DECEPTION = "deception", _("Deception")
    RESTRICTION_OF_MOVEMENT = "restriction_of_movement", _("Restriction of movement")
    ISOLATION = "isolation", _("Isolation")
    PHYSICAL_SEXUAL_VIOLENCE = "physical_sexual_violence", _("Physical and sexual violence")
    INTIMIDATION_THREATS = "intimidation_threats", _("Intimidation and threats")
    RETENTION_OF_DOCUMENTS = "retention_of_documents", _("Retention of identity documents")
    WITHHOLDING_OF_WAGES = "withholding_of_wages", _("Withholding of wages")
    DEBT_BONDAGE = "debt_bondage", _("Debt bondage")
    ABUSIVE_CONDITIONS = "abusive_conditions", _("Abusive working and living conditions")
    EXCESSIVE_OVERTIME = "excessive_overtime", _("Excessive overtime")


class SourceType(models.TextChoices):
    WORKER_TESTIMONY = "worker_testimony", _("Worker testimony")
    AUDIT = "audit", _("Social or supply-chain audit")
    RESEARCH_REPORT = "research_report", _("Research or NGO report")
    MEDIA = "media", _("Media report")
    COURT_CASE = "court_case", _("Court case or official proceeding")
    SITE_VISIT = "site_visit", _("Site visit")
    GOVERNMENT = "government", _("Government publication")
    SHIPPING_RECORDS = "shipping_records", _("Shipping or trade records")
    OTHER = "other", _("Other")


class SupplyChainStage(models.TextChoices):
    RAW_MATERIAL = "raw_material", _("Raw material (farming, fishing, mining, harvesting)")
    PROCESSING = "processing", _("Processing of inputs (ginning, spinning, refining, smelting)")
    COMPONENTS = "components", _("Components or intermediate goods")
    MANUFACTURING = "manufacturing", _("Manufacturing or assembly of the finished good")
    PACKING_TRANSPORT = "packing_transport", _("Packing, warehousing or transport")
    UNKNOWN = "unknown", _("Not known")


class Industry(models.TextChoices):
    AGRICULTURE = "agriculture", _("Agriculture and food")
    APPAREL = "apparel", _("Apparel, textiles and footwear")
    ELECTRONICS = "electronics", _("Electronics")
    ENERGY = "energy", _("Solar and energy")
    FISHING = "fishing", _("Fishing and seafood")
    MINING = "mining", _("Mining, metals and minerals")
    RUBBER_PLASTICS = "rubber_plastics", _("Rubber, gloves and plastics")
    TIMBER = "timber", _("Timber, paper and furniture")
    OTHER_MANUFACTURING = "manufacturing", _("Other manufacturing")
    OTHER = "other", _("Other or not known")


class ContactMethod(models.TextChoices):
    RECEIPT_ONLY = "receipt", _("Only through this portal with my receipt code")
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone or messaging app")
    OTHER = "other", _("Another way (describe it)")


class CloseReason(models.TextChoices):
    INSUFFICIENT = "insufficient", _("Insufficient information to act on")
    OUT_OF_SCOPE = "out_of_scope", _("Outside the scope of 19 U.S.C. 1307")
    NO_US_NEXUS = "no_us_nexus", _("No imports into the United States found")
    ALREADY_COVERED = "already_covered", _("Already covered by an active order")
    REFERRED = "referred", _("Referred to another agency")
    WITHDRAWN = "withdrawn", _("Withdrawn by the reporter")
    SPAM = "spam", _("Spam or abusive submission")


class Allegation(TimeStampedModel):
    # A short internal reference for analysts ("ALG-2026-00042"); the receipt code is separate and secret.
    reference = models.CharField(max_length=20, unique=True)
    # HMAC-SHA256 of the receipt code under a server key: lookups without storing the code.
    receipt_digest = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=20, choices=AllegationStatus.choices, default=AllegationStatus.NEW)
    # The class of labor alleged (19 U.S.C. 1307), set by the analyst at triage.
    labor_type = models.CharField(max_length=12, choices=LaborType.choices, blank=True)
    language = models.CharField(max_length=10, blank=True, help_text=gettext_lazy("The language the reporter used"))
    submitted_at = models.DateTimeField(db_index=True)

    # 12.42(b)(1): a full statement of the reasons for the belief.
    reasons = models.TextField()
    source_type = models.CharField(max_length=20, choices=SourceType.choices)
    source_details = models.TextField(blank=True)

    # 12.42(b)(2): the merchandise.
    merchandise = models.TextField()
    hts_code = models.CharField(max_length=10, blank=True, help_text=gettext_lazy("HTSUS digits as given, normalized"))
    industry = models.CharField(max_length=20, choices=Industry.choices, blank=True)
    sample_available = models.BooleanField(default=False)
    sample_details = models.TextField(blank=True)

    # 12.42(b)(3): production abroad.
    country = models.ForeignKey(Country, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    region_text = models.CharField(
        max_length=300, blank=True, help_text=gettext_lazy("Province, district or site as written")
    )
    supply_chain_stage = models.CharField(max_length=20, choices=SupplyChainStage.choices, blank=True)
    importers_brands = models.TextField(blank=True)
    # [{"kind": "bill_of_lading"|"container"|"entry"|"other", "value": "..."}]
    shipment_refs = models.JSONField(default=list, blank=True)

    # Contact and identity. Identity is a Fernet token of a JSON object; empty when anonymous.
    contact_allowed = models.BooleanField(default=False)
    contact_method = models.CharField(max_length=10, choices=ContactMethod.choices, blank=True)
    identity_encrypted = models.TextField(blank=True)
    discard_originals = models.BooleanField(
        default=False, help_text=gettext_lazy("The reporter asked that original files be discarded after sanitizing")
    )

    # Triage, filled by analysts.
    goods = models.ManyToManyField(Good, blank=True, related_name="allegations")
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates")
    case_reference = models.CharField(max_length=40, blank=True, db_index=True)
    close_reason = models.CharField(max_length=20, choices=CloseReason.choices, blank=True)
    close_note = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Last time the reporter answered or added something: the inbox flags unseen reporter activity.
    reporter_activity_at = models.DateTimeField(null=True, blank=True)
    # Set when the reporter writes; cleared when a triage user opens the allegation.
    reporter_unread = models.BooleanField(default=False, db_index=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["status", "submitted_at"])]
        permissions = [
            ("triage_allegation", "Can triage allegations (ask, merge, link, close)"),
            ("view_reporter_identity", "Can read a reporter's identity"),
            ("view_original_evidence", "Can open original (unsanitized) evidence files"),
            ("reopen_allegation", "Can reopen a closed or merged allegation"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_anonymous(self) -> bool:
        return not self.identity_encrypted


class AllegationIndicator(models.Model):
    allegation = models.ForeignKey(Allegation, on_delete=models.CASCADE, related_name="indicators")
    indicator = models.CharField(max_length=30, choices=IloIndicator.choices)
    observation = models.TextField(help_text=gettext_lazy("What was seen or heard"))

    class Meta:
        ordering = ["allegation", "indicator"]
        constraints = [models.UniqueConstraint(fields=["allegation", "indicator"], name="allegation_indicator_unique")]

    def __str__(self) -> str:
        return self.get_indicator_display()


class AllegationParty(models.Model):
    """A company or site named by the reporter; ``party`` is the domain record it was resolved to."""

    class Role(models.TextChoices):
        MANUFACTURER = "manufacturer", _("Manufacturer or producer")
        SUPPLIER = "supplier", _("Supplier of inputs")
        EXPORTER = "exporter", _("Exporter or trader")
        IMPORTER = "importer", _("Importer")
        BRAND = "brand", _("Brand or buyer")
        OTHER = "other", _("Other")

    allegation = models.ForeignKey(Allegation, on_delete=models.CASCADE, related_name="named_parties")
    role = models.CharField(max_length=20, choices=Role.choices)
    name = models.CharField(max_length=500)
    address = models.TextField(blank=True)
    country = models.ForeignKey(Country, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    party = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.SET_NULL, related_name="allegation_mentions"
    )
    position = models.PositiveSmallIntegerField(default=0)
    # Folded name (parties.names.name_key) so similar-item lookups are indexed.
    key = models.CharField(max_length=500, blank=True, db_index=True, editable=False)

    class Meta:
        ordering = ["allegation", "position", "id"]
        verbose_name_plural = "allegation parties"

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.key = name_key(self.name)
        super().save(*args, **kwargs)


class AllegationMessage(models.Model):
    """The receipt channel: analysts' questions and the reporter's answers and additions."""

    class Direction(models.TextChoices):
        TO_REPORTER = "to_reporter", _("Question to the reporter")
        FROM_REPORTER = "from_reporter", _("From the reporter")

    allegation = models.ForeignKey(Allegation, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=20, choices=Direction.choices)
    body = models.TextField()
    # Staff author of a question; never set for the reporter's own messages.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.allegation} {self.direction} {self.created_at:%Y-%m-%d}"


class Attachment(models.Model):
    """An evidence file: the encrypted original and the sanitized working copy derived from it.

    Files uploaded during a draft carry a ``draft_key`` and no allegation until the final submit;
    a background task deletes drafts that expire.
    """

    class Kind(models.TextChoices):
        PDF = "pdf", _("PDF document")
        IMAGE = "image", _("Image")
        OFFICE = "office", _("Office document")
        SPREADSHEET = "spreadsheet", _("Spreadsheet")
        TEXT = "text", _("Plain text")
        AUDIO = "audio", _("Audio")
        VIDEO = "video", _("Video")

    class Sanitization(models.TextChoices):
        # Sanitizing runs in a background task after the receipt code is issued.
        PENDING = "pending", _("Being checked")
        CLEANED = "cleaned", _("Metadata removed")
        NONE_FOUND = "none_found", _("No metadata to remove")
        NOT_SUPPORTED = "not_supported", _("Cannot be sanitized here; treat as original")
        FAILED = "failed", _("Sanitizing failed; treat as original")

    allegation = models.ForeignKey(
        Allegation, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    message = models.ForeignKey(
        AllegationMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    # Random token kept in the reporter's session while the form is a draft.
    draft_key = models.CharField(max_length=64, blank=True, db_index=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    mime_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, help_text=gettext_lazy("SHA-256 of the file exactly as uploaded"))
    # The original file name may itself identify a reporter: kept encrypted alongside the original.
    original_name_encrypted = models.TextField(blank=True)
    original_path = models.CharField(
        max_length=300, blank=True, help_text=gettext_lazy("Encrypted original; empty once discarded")
    )
    original_discarded_at = models.DateTimeField(null=True, blank=True)
    sanitized_path = models.CharField(max_length=300, blank=True, help_text=gettext_lazy("Encrypted sanitized copy"))
    sanitized_sha256 = models.CharField(max_length=64, blank=True)
    sanitized_size = models.PositiveBigIntegerField(null=True, blank=True)
    sanitization = models.CharField(max_length=20, choices=Sanitization.choices)
    removed_metadata = models.JSONField(default=list, blank=True, help_text=gettext_lazy("Which fields were removed"))
    description = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    # Storage names held in plain columns (not FileFields): the orphan sweep keeps these files.
    stored_path_fields = ("original_path", "sanitized_path")

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.sha256[:12]}"

    @property
    def display_name(self) -> str:
        # Neutral name for lists: the original file name is not shown (it can identify a reporter).
        return f"evidence-{self.pk}.{self.extension}"
