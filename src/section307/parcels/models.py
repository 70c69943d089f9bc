"""Low-value parcels: manifests, parcels with their screening, parcel groups, and their detentions.

The house bill or tracking number is the one reference that follows a parcel from the manifest
to its detention and disposition. Parcels that screen as hits or reviews are gathered in a
``ParcelGroup`` (one listed seller or shipper in one manifest): the officer decides the group once
and the decision holds all its parcels.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from section307.accounts.models import Organization
from section307.core.models import TimeStampedModel
from section307.orders.models import EnforcementOrder
from section307.ports import law
from section307.ports.models import Decision, DecisionRecord, ForfeitureStepBase, Regime


def _manifest_path(instance: Manifest, filename: str) -> str:
    # A random name: neither the carrier nor the original name reaches the disk.
    return f"parcels/manifests/{uuid.uuid4().hex}"


class Manifest(TimeStampedModel):
    class Source(models.TextChoices):
        EXPRESS = "express", _("Express consignment manifest")
        POSTAL = "postal", _("Postal advance electronic data")

    class Format(models.TextChoices):
        CSV = "csv", _("CSV")
        PARQUET = "parquet", _("Parquet")
        JSON = "json", _("JSON")
        ROWS = "rows", _("JSON rows (API)")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received, waiting to be read")
        PROCESSING = "processing", _("Being read and screened")
        SCREENED = "screened", _("Screened")
        FAILED = "failed", _("Refused")

    source = models.CharField(max_length=8, choices=Source.choices)
    carrier = models.CharField(max_length=120)
    port = models.CharField(max_length=4, blank=True)
    # Presented for examination (19 U.S.C. 1499(c)(1)): starts the decision period of every parcel.
    presented_on = models.DateField()
    file = models.FileField(upload_to=_manifest_path, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    file_format = models.CharField(max_length=8, choices=Format.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED, db_index=True)
    failure = models.TextField(blank=True)
    rows_read = models.PositiveIntegerField(default=0)
    rows_stored = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    hits = models.PositiveIntegerField(default=0)
    reviews = models.PositiveIntegerField(default=0)
    # [{"row": n, "column": "...", "reason": "..."}], at most SECTION307_PARCELS_MAX_ROW_ERRORS kept.
    row_errors = models.JSONField(default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    # Stored encrypted in segments under SECTION307_ENCRYPTION_KEYS (core.streamcrypt); read as a stream.
    # `section307 files rotate-keys` re-encrypts them segment by segment.
    segmented_file_fields = ("file",)

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [
            ("upload_manifest", "Can send parcel manifests"),
            ("decide_parcels", "Can detain, release and decide parcel groups"),
        ]

    def __str__(self) -> str:
        return f"Manifest {self.pk} ({self.carrier})"


class ParcelGroup(TimeStampedModel):
    """Parcels of one manifest that share the listed party (or seller and shipper) behind their screening."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting the officer's decision")
        RELEASED = "released", _("Released")
        DETAINED = "detained", _("Detained")

    manifest = models.ForeignKey(Manifest, on_delete=models.PROTECT, related_name="groups")
    key = models.CharField(max_length=400)
    seller = models.CharField(max_length=300, blank=True)
    shipper = models.CharField(max_length=300, blank=True)
    matched_name = models.CharField(max_length=300, blank=True)
    matched_field = models.CharField(max_length=40, blank=True)
    order_reference = models.CharField(max_length=40, blank=True)
    order = models.ForeignKey(EnforcementOrder, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decision = models.CharField(max_length=8, choices=Decision.choices)
    reasons = models.TextField(blank=True)
    parcel_count = models.PositiveIntegerField(default=0)
    consignee_count = models.PositiveIntegerField(default=0)
    total_value = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    release_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["manifest", "key"], name="parcel_group_key_unique")]

    def __str__(self) -> str:
        return f"{self.matched_name or self.seller or self.shipper} ({self.parcel_count})"

    @property
    def label(self) -> str:
        return self.matched_name or self.seller or self.shipper


class Parcel(models.Model):
    class Status(models.TextChoices):
        CLEARED = "cleared", _("Cleared on screening")
        HELD = "held", _("Held for the officer's decision")
        RELEASED = "released", _("Released")
        DETAINED = "detained", _("Detained")
        EXCLUDED = "excluded", _("Excluded")
        EXPORTED = "exported", _("Exported under supervision")
        SEIZED = "seized", _("Seized")
        ABANDONED = "abandoned", _("Deemed abandoned")

    tracking_number = models.CharField(max_length=40, unique=True)
    manifest = models.ForeignKey(Manifest, on_delete=models.CASCADE, related_name="parcels")
    row = models.PositiveIntegerField(help_text="Row of the manifest file (1 = first row under the header)")
    master_bill = models.CharField(max_length=40, blank=True)
    carrier = models.CharField(max_length=120, blank=True)
    seller = models.CharField(max_length=300, blank=True)
    seller_address = models.CharField(max_length=500, blank=True)
    shipper = models.CharField(max_length=300, blank=True)
    shipper_address = models.CharField(max_length=500, blank=True)
    consignee = models.CharField(max_length=300)
    consignee_address = models.CharField(max_length=500, blank=True)
    description = models.TextField()
    value_usd = models.DecimalField(max_digits=12, decimal_places=2)
    quantity = models.PositiveIntegerField(default=1)
    hts = models.CharField(max_length=14, blank=True)
    origin_country = models.CharField(max_length=60)
    # Screening (the same engine as entry lines).
    decision = models.CharField(max_length=8, choices=Decision.choices, db_index=True)
    score = models.FloatField(default=0.0)
    matched_name = models.CharField(max_length=300, blank=True)
    matched_field = models.CharField(max_length=40, blank=True)
    watch_list = models.CharField(max_length=20, blank=True)
    order_reference = models.CharField(max_length=40, blank=True)
    reasons = models.TextField(blank=True)
    signals = models.JSONField(default=list, blank=True)
    group_key = models.CharField(max_length=400, blank=True)
    group = models.ForeignKey(ParcelGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="parcels")
    status = models.CharField(max_length=10, choices=Status.choices, db_index=True)

    class Meta:
        ordering = ["manifest", "row"]
        indexes = [models.Index(fields=["manifest", "group_key"], name="parcel_manifest_group")]

    def __str__(self) -> str:
        return self.tracking_number


class ParcelDetention(TimeStampedModel):
    """One detention holding every parcel of a group: one decision for all of them."""

    class Status(models.TextChoices):
        DETAINED = "detained", _("Detained")
        RELEASED = "released", _("Released")
        EXCLUDED = "excluded", _("Excluded")
        EXPORTED = "exported", _("Exported under supervision")
        SEIZED = "seized", _("Seized")
        ABANDONED = "abandoned", _("Deemed abandoned")

    class NoticeTo(models.TextChoices):
        CONSIGNEE = "consignee", _("Each consignee")
        CARRIER = "carrier", _("Each carrier")

    group = models.OneToOneField(ParcelGroup, on_delete=models.PROTECT, related_name="detention")
    regime = models.CharField(max_length=8, choices=Regime.choices)
    order = models.ForeignKey(EnforcementOrder, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    order_reference = models.CharField(max_length=40)
    reasons = models.TextField()
    notice_to = models.CharField(max_length=10, choices=NoticeTo.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DETAINED, db_index=True)
    presented_on = models.DateField()
    detained_on = models.DateField()
    notice_date = models.DateField()
    exclusion_date = models.DateField(null=True, blank=True)
    # The importer of record, when known (``services.importer_of``): its trade users, and a broker it
    # delegated to, answer in the importer portal.
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="parcel_detentions"
    )
    # The first proof of admissibility (recorded by the officer, or sent through the portal), and
    # whether it came after the 19 CFR 12.43 period (accepted, flagged), as for entries.
    proof_received_on = models.DateField(null=True, blank=True)
    proof_note = models.TextField(blank=True)
    proof_untimely = models.BooleanField(default=False)
    detained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-detained_on", "-id"]

    def __str__(self) -> str:
        return f"Parcel detention {self.pk} ({self.group.label})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.DETAINED


class ParcelClock(models.Model):
    """A legal period running on a parcel detention, with its rule (``ports.law``) copied in."""

    detention = models.ForeignKey(ParcelDetention, on_delete=models.CASCADE, related_name="clocks")
    kind = models.CharField(max_length=24)
    citation = models.CharField(max_length=120)
    start_event = models.CharField(max_length=120)
    start_date = models.DateField()
    due_date = models.DateField(db_index=True)
    running = models.BooleanField(default=True, db_index=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    stop_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [models.UniqueConstraint(fields=["detention", "kind"], name="parcel_clock_kind_unique")]

    def __str__(self) -> str:
        return f"{self.rule.label} due {self.due_date}"

    @property
    def rule(self) -> law.Rule:
        return law.rule(self.kind)


class ParcelNotice(models.Model):
    """One detention notice to one consignee or carrier, listing every parcel of theirs it covers."""

    detention = models.ForeignKey(ParcelDetention, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=10, default="detention")
    addressee_kind = models.CharField(max_length=10, choices=ParcelDetention.NoticeTo.choices)
    addressee = models.CharField(max_length=300)
    tracking_numbers = models.JSONField(default=list)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    issued_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["issued_on", "addressee", "id"]

    def __str__(self) -> str:
        return self.subject


class ParcelDecision(DecisionRecord):
    """One decision for every parcel of a detention (reason, who and when as for entries)."""

    class Outcome(models.TextChoices):
        RELEASE = "release", _("Release")
        EXCLUDE = "exclude", _("Exclusion")
        EXPORT = "export", _("Export under supervision")
        SEIZE = "seize", _("Seizure")

    detention = models.ForeignKey(ParcelDetention, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    parcel_count = models.PositiveIntegerField()

    class Meta(DecisionRecord.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} of {self.parcel_count} parcels"


class GroupEvent(models.Model):
    """One step in a group's life; a parcel's timeline is its manifest's steps plus its group's."""

    group = models.ForeignKey(ParcelGroup, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=40)
    occurred_at = models.DateTimeField(default=timezone.now)
    actor_label = models.CharField(max_length=200, blank=True)
    summary = models.TextField()

    class Meta:
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.group_id} {self.kind}"


class ParcelRescreenRun(models.Model):
    """Parcels not yet disposed, screened again after an order was published, modified or revoked."""

    trigger = models.CharField(max_length=200)
    order_reference = models.CharField(max_length=40, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    parcels_screened = models.PositiveIntegerField(default=0)
    new_hits = models.PositiveIntegerField(default=0)
    cleared = models.PositiveIntegerField(default=0)
    groups_created = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"Parcel re-screen ({self.trigger})"


class ParcelRescreenFinding(models.Model):
    """A parcel whose screening changed on a re-screen: a new hit (or review), or a hit now cleared."""

    class Kind(models.TextChoices):
        NEW_HIT = "new_hit", _("Newly flagged")
        CLEARED = "cleared", _("Now clear")
        CHANGED = "changed", _("Flagged under another order")

    run = models.ForeignKey(ParcelRescreenRun, on_delete=models.CASCADE, related_name="findings")
    parcel = models.ForeignKey(Parcel, on_delete=models.CASCADE, related_name="rescreen_findings")
    # The group the parcel is in once the run is over (the new group of a newly flagged parcel).
    group = models.ForeignKey(
        ParcelGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="rescreen_findings"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    previous_decision = models.CharField(max_length=8, choices=Decision.choices)
    previous_order = models.CharField(max_length=40, blank=True)
    decision = models.CharField(max_length=8, choices=Decision.choices)
    order_reference = models.CharField(max_length=40, blank=True)
    reasons = models.TextField(blank=True)

    class Meta:
        ordering = ["run", "id"]

    def __str__(self) -> str:
        return f"{self.parcel_id}: {self.previous_decision} -> {self.decision}"


class ParcelProof(TimeStampedModel):
    """Proof of admissibility sent through the importer portal (19 CFR 12.43): a statement and documents."""

    detention = models.ForeignKey(ParcelDetention, on_delete=models.PROTECT, related_name="proofs")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    acting_organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    statement = models.TextField()
    received_on = models.DateField()
    untimely = models.BooleanField(default=False)

    class Meta:
        ordering = ["received_on", "id"]

    def __str__(self) -> str:
        return f"Proof for parcel detention {self.detention_id} ({self.received_on})"


def _proof_path(instance: ParcelProofDocument, filename: str) -> str:
    return f"parcels/proofs/{uuid.uuid4().hex}.bin"


class ParcelProofDocument(models.Model):
    proof = models.ForeignKey(ParcelProof, on_delete=models.PROTECT, related_name="documents")
    file = models.FileField(upload_to=_proof_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    # Stored encrypted under SECTION307_ENCRYPTION_KEYS (`section307 files rotate-keys` re-encrypts).
    encrypted_file_fields = ("file",)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class ParcelProtest(TimeStampedModel):
    """A protest of the exclusion of a detention's parcels (19 U.S.C. 1514(a)(4)): one per decision."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ALLOWED = "allowed", _("Allowed")
        DENIED = "denied", _("Denied")
        # Not decided before the 30th day: denied by operation of law (19 U.S.C. 1499(c)(5)(B)).
        DEEMED_DENIED = "deemed", _("Denied by operation of law")

    decision = models.OneToOneField(ParcelDecision, on_delete=models.PROTECT, related_name="protest")
    detention = models.ForeignKey(ParcelDetention, on_delete=models.PROTECT, related_name="protests")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    filed_on = models.DateField()
    grounds = models.TextField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True)
    decided_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-filed_on", "-id"]

    def __str__(self) -> str:
        return f"Protest of parcel detention {self.detention_id}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class ParcelReview(TimeStampedModel):
    """A headquarters determination on a parcel detention (the proof, or a protest), effective once a
    second reviewer concurs, as for entries; the port carries it out."""

    class Kind(models.TextChoices):
        ADMISSIBILITY = "admissibility", _("Admissibility of the proof (19 CFR 12.44)")
        PROTEST = "protest", _("Protest (19 U.S.C. 1515)")

    class Outcome(models.TextChoices):
        GRANTED = "granted", _("In the importer's favour")
        DENIED = "denied", _("Against the importer")

    class Status(models.TextChoices):
        AWAITING = "awaiting", _("Awaiting a second reviewer's concurrence")
        EFFECTIVE = "effective", _("Effective")
        RETURNED = "returned", _("Returned by the second reviewer")

    detention = models.ForeignKey(ParcelDetention, on_delete=models.PROTECT, related_name="reviews")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    reasons = models.TextField()
    protest = models.ForeignKey(ParcelProtest, null=True, blank=True, on_delete=models.PROTECT, related_name="reviews")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.AWAITING, db_index=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    concurred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    concurred_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_outcome_display()}"

    @property
    def favourable(self) -> bool:
        return self.outcome == self.Outcome.GRANTED


class ParcelForfeitureStep(ForfeitureStepBase):
    """A step of the forfeiture that follows the seizure of a detention's parcels under a Finding (19 CFR
    12.42(f), 12.44(b); Part 162 subpart E, Part 171), on the rules every forfeiture shares
    (``ports.services.forfeiture_step_check``)."""

    detention = models.ForeignKey(ParcelDetention, on_delete=models.PROTECT, related_name="forfeiture_steps")

    class Meta(ForfeitureStepBase.Meta):
        constraints = [models.UniqueConstraint(fields=["detention", "step"], name="parcel_forfeiture_step_once")]
