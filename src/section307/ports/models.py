"""Entries, screening on arrival, targeting, exams and images, detentions, clocks, decisions, timeline.

The entry number is the one reference that follows a shipment through every step; every
step writes a ``TimelineEvent`` on its entry.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from section307.accounts.models import Organization
from section307.core.models import TimeStampedModel
from section307.core.words import choice_label
from section307.orders.models import EnforcementOrder, OrderType
from section307.ports import law


class Regime(models.TextChoices):
    WRO = "wro", gettext_lazy("Withhold Release Order (19 CFR 12.42-12.44)")
    FINDING = "finding", gettext_lazy("Finding (19 CFR 12.42(f), 12.44(b))")
    UFLPA = "uflpa", gettext_lazy("UFLPA rebuttable presumption")
    CAATSA = "caatsa", gettext_lazy("CAATSA sec. 302A presumption")


REGIME_FOR_ORDER_TYPE = {
    OrderType.WRO: Regime.WRO,
    OrderType.FINDING: Regime.FINDING,
    OrderType.UFLPA_ENTITY: Regime.UFLPA,
    OrderType.UFLPA_REGION: Regime.UFLPA,
    OrderType.CAATSA: Regime.CAATSA,
}


class Decision(models.TextChoices):
    HIT = "hit", gettext_lazy("Hit")
    REVIEW = "review", gettext_lazy("Review")
    CLEAR = "clear", gettext_lazy("Clear")


DECISION_RANK = {Decision.CLEAR: 0, Decision.REVIEW: 1, Decision.HIT: 2, "": -1}


class Entry(TimeStampedModel):
    class Status(models.TextChoices):
        CLEARED = "cleared", gettext_lazy("Cleared on screening")
        TARGETED = "targeted", gettext_lazy("In the targeting queue")
        EXAM = "exam", gettext_lazy("Held for exam")
        DETAINED = "detained", gettext_lazy("Detained")
        RELEASED = "released", gettext_lazy("Released")
        EXCLUDED = "excluded", gettext_lazy("Excluded")
        EXPORTED = "exported", gettext_lazy("Exported")
        SEIZED = "seized", gettext_lazy("Seized")
        ABANDONED = "abandoned", gettext_lazy("Abandoned")

    class Mode(models.TextChoices):
        OCEAN = "ocean", gettext_lazy("Vessel")
        AIR = "air", gettext_lazy("Air")
        TRUCK = "truck", gettext_lazy("Truck")
        RAIL = "rail", gettext_lazy("Rail")
        MAIL = "mail", gettext_lazy("Mail or express")

    class Source(models.TextChoices):
        API = "api", gettext_lazy("API")
        UPLOAD = "upload", gettext_lazy("File upload")
        BATCH = "batch", gettext_lazy("Batch file")
        DEMO = "demo", gettext_lazy("Demo data")

    entry_number = models.CharField(max_length=20, unique=True)
    port = models.CharField(max_length=4, help_text=gettext_lazy("Four-digit port code"))
    mode = models.CharField(max_length=10, choices=Mode.choices)
    filer = models.CharField(max_length=100, blank=True, help_text=gettext_lazy("Filer (broker) code or name"))
    filer_organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="filed_entries"
    )
    importer_name = models.CharField(max_length=200)
    importer_number = models.CharField(max_length=30, blank=True)
    # The importer of record, when the name or number is known: its trade users see this entry.
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    date_of_import = models.DateField()
    # Presented for examination (19 U.S.C. 1499(c)(1)): starts the decision and deemed-exclusion periods.
    presented_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, db_index=True)
    decision = models.CharField(max_length=8, choices=Decision.choices, blank=True, db_index=True)
    source = models.CharField(max_length=8, choices=Source.choices)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "entries"
        permissions = [
            ("file_entry", "Can file entries"),
            ("target_entry", "Can release, examine or detain targeted entries"),
            ("rescreen_entries", "Can re-screen past entries"),
        ]

    def __str__(self) -> str:
        return self.entry_number

    @property
    def top_line(self) -> EntryLine | None:
        lines = sorted(self.lines.all(), key=lambda ln: (-DECISION_RANK.get(ln.decision, -1), -ln.score, ln.line))
        return lines[0] if lines else None


class EntryLine(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="lines")
    line = models.PositiveIntegerField()
    manufacturer = models.CharField(max_length=300, blank=True)
    manufacturer_address = models.CharField(max_length=500, blank=True)
    manufacturer_id = models.CharField(max_length=40, blank=True)
    shipper = models.CharField(max_length=300, blank=True)
    shipper_address = models.CharField(max_length=500, blank=True)
    consignee = models.CharField(max_length=300, blank=True)
    suppliers = models.TextField(blank=True)
    identifiers = models.CharField(max_length=500, blank=True)
    country_of_origin = models.CharField(max_length=60, blank=True)
    hts = models.CharField(max_length=14, blank=True)
    description = models.TextField(blank=True)
    value_usd = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    quantity = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    quantity_unit = models.CharField(max_length=10, blank=True)
    # Screening result (the engine's decision, evidence and the order it points to).
    decision = models.CharField(max_length=8, choices=Decision.choices, blank=True)
    score = models.FloatField(default=0.0)
    matched_name = models.CharField(max_length=300, blank=True)
    matched_field = models.CharField(max_length=40, blank=True)
    watch_list = models.CharField(max_length=20, blank=True)
    order_reference = models.CharField(max_length=40, blank=True)
    order = models.ForeignKey(EnforcementOrder, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reasons = models.TextField(blank=True)
    signals = models.JSONField(default=list, blank=True)
    screened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["entry", "line"]
        constraints = [models.UniqueConstraint(fields=["entry", "line"], name="entry_line_unique")]

    def __str__(self) -> str:
        return f"{self.entry.entry_number}/{self.line}"

    def as_screening_input(self) -> dict[str, str]:
        return {
            "entry_number": self.entry.entry_number,
            "line": str(self.line),
            "importer": self.entry.importer_name,
            "manufacturer": self.manufacturer,
            "manufacturer_address": self.manufacturer_address,
            "manufacturer_id": self.manufacturer_id,
            "shipper": self.shipper,
            "shipper_address": self.shipper_address,
            "consignee": self.consignee,
            "suppliers": self.suppliers,
            "identifiers": self.identifiers,
            "country_of_origin": self.country_of_origin,
            "hts": self.hts,
            "description": self.description,
            "value_usd": "" if self.value_usd is None else str(self.value_usd),
            "date_of_import": self.entry.date_of_import.isoformat(),
        }


class TimelineEvent(models.Model):
    """One step in an entry's life. Append-only; ``shared`` events are shown to the importer."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(max_length=40)
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True)
    summary = models.TextField()
    data = models.JSONField(default=dict, blank=True)
    shared = models.BooleanField(default=False)

    class Meta:
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.entry.entry_number} {self.kind}"


class Detention(TimeStampedModel):
    class Status(models.TextChoices):
        DETAINED = "detained", gettext_lazy("Detained, awaiting the importer")
        UNDER_REVIEW = "under_review", gettext_lazy("Proof under review")
        RELEASED = "released", gettext_lazy("Released")
        EXCLUDED = "excluded", gettext_lazy("Excluded")
        EXPORTED = "exported", gettext_lazy("Exported under supervision")
        SEIZED = "seized", gettext_lazy("Seized")
        ABANDONED = "abandoned", gettext_lazy("Deemed abandoned")

    entry = models.OneToOneField(Entry, on_delete=models.PROTECT, related_name="detention")
    regime = models.CharField(max_length=8, choices=Regime.choices)
    order = models.ForeignKey(EnforcementOrder, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    order_reference = models.CharField(max_length=40)
    scope = models.TextField(help_text=gettext_lazy("The order's scope as it applies to these goods"))
    reasons = models.TextField(help_text=gettext_lazy("Why the goods are detained"))
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.DETAINED, db_index=True)
    notice_date = models.DateField()
    detained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    export_elected_at = models.DateTimeField(null=True, blank=True)
    exclusion_date = models.DateField(null=True, blank=True)
    # True when no decision came within 30 days of presentation (19 U.S.C. 1499(c)(5)(A)).
    deemed_exclusion = models.BooleanField(default=False)
    decided_at = models.DateTimeField(null=True, blank=True)
    # The first proof submitted, and whether it came after the 19 CFR 12.43 period (accepted, flagged).
    proof_received_on = models.DateField(null=True, blank=True)
    proof_untimely = models.BooleanField(default=False)

    class Meta:
        ordering = ["-notice_date", "-id"]
        permissions = [
            ("decide_detention", "Can decide detentions and manage their clocks"),
            ("review_detention", "Can make headquarters determinations on detentions and protests"),
        ]

    def __str__(self) -> str:
        return f"Detention of {self.entry.entry_number}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.DETAINED, self.Status.UNDER_REVIEW)


class DecisionRecord(models.Model):
    """What every decision on a detention records, for entries (``DetentionDecision``) and parcels
    (``parcels.ParcelDecision``): the outcome's reason, who decided and when."""

    reason = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["decided_at", "id"]


class DetentionDecision(DecisionRecord):
    class Outcome(models.TextChoices):
        RELEASE = "release", gettext_lazy("Release")
        EXCLUDE = "exclude", gettext_lazy("Exclusion")
        EXPORT = "export", gettext_lazy("Export under supervision")
        SEIZE = "seize", gettext_lazy("Seizure")
        ABANDON = "abandon", gettext_lazy("Deemed abandoned")

    detention = models.ForeignKey(Detention, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)

    class Meta(DecisionRecord.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.detention}: {self.get_outcome_display()}"


class Protest(TimeStampedModel):
    """A protest of an exclusion or deemed exclusion (19 U.S.C. 1514(a)(4)); one per entry (1514(c)(1))."""

    class Status(models.TextChoices):
        PENDING = "pending", gettext_lazy("Pending")
        ALLOWED = "allowed", gettext_lazy("Allowed")
        DENIED = "denied", gettext_lazy("Denied")
        # Not decided before the 30th day: denied by operation of law (19 U.S.C. 1499(c)(5)(B), 1515(b)).
        DEEMED_DENIED = "deemed", gettext_lazy("Denied by operation of law")

    entry = models.OneToOneField(Entry, on_delete=models.PROTECT, related_name="protest")
    detention = models.ForeignKey(Detention, on_delete=models.PROTECT, related_name="protests")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="protests")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    filed_on = models.DateField()
    grounds = models.TextField()
    # 19 U.S.C. 1515(b): the importer asked for accelerated disposition.
    accelerated = models.BooleanField(default=False)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True)
    decided_on = models.DateField(null=True, blank=True)
    decision_reasons = models.TextField(blank=True)

    class Meta:
        ordering = ["-filed_on", "-id"]

    def __str__(self) -> str:
        return f"Protest of {self.entry.entry_number}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class Determination(TimeStampedModel):
    """A headquarters determination, effective once a second reviewer concurs; the port carries it out.

    Admissibility of WRO/Finding goods is the Commissioner's (19 CFR 12.44); UFLPA applicability and
    sec. 3(b) exceptions, CAATSA 302A(b) exceptions and protests (19 U.S.C. 1515) are decided here too.
    """

    class Kind(models.TextChoices):
        ADMISSIBILITY = "admissibility", gettext_lazy("Admissibility of the proof (19 CFR 12.44)")
        APPLICABILITY = "applicability", gettext_lazy("UFLPA applicability review")
        UFLPA_EXCEPTION = "uflpa_exception", gettext_lazy("UFLPA exception (sec. 3(b))")
        CAATSA_EXCEPTION = "caatsa_exception", gettext_lazy("CAATSA exception (22 U.S.C. 9241a(b))")
        PROTEST = "protest", gettext_lazy("Protest (19 U.S.C. 1515)")

    class Outcome(models.TextChoices):
        GRANTED = "granted", gettext_lazy("In the importer's favour")
        DENIED = "denied", gettext_lazy("Against the importer")

    class Status(models.TextChoices):
        AWAITING_CONCURRENCE = "awaiting", gettext_lazy("Awaiting a second reviewer's concurrence")
        EFFECTIVE = "effective", gettext_lazy("Effective")
        RETURNED = "returned", gettext_lazy("Returned by the second reviewer")

    detention = models.ForeignKey(Detention, on_delete=models.PROTECT, related_name="determinations")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    reasons = models.TextField()
    # The legal test's conditions, each found met or not (UFLPA sec. 3(b), CAATSA 302A(b)).
    conditions = models.JSONField(default=dict, blank=True)
    # The importer-portal package decided (an id, so ports does not depend on the portal).
    request_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    protest = models.ForeignKey(Protest, null=True, blank=True, on_delete=models.PROTECT, related_name="determinations")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.AWAITING_CONCURRENCE, db_index=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    concurred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    concurred_at = models.DateTimeField(null=True, blank=True)
    concurrence_note = models.TextField(blank=True)
    effective_on = models.DateField(null=True, blank=True)
    carried_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.outcome_label}"

    @property
    def outcome_label(self) -> str:
        return gettext(OUTCOME_LABELS[(self.kind, self.outcome)])

    @property
    def favourable(self) -> bool:
        return self.outcome == self.Outcome.GRANTED

    @property
    def condition_findings(self) -> list[tuple[str, bool]]:
        """Each condition of the legal test as the reader's words, with whether it was found met."""
        labels = dict(law.UFLPA_EXCEPTION_CONDITIONS + law.CAATSA_EXCEPTION_CONDITIONS)
        return [(gettext(labels[key]) if key in labels else key, bool(met)) for key, met in self.conditions.items()]


_DK, _DO = Determination.Kind, Determination.Outcome
OUTCOME_LABELS: dict[tuple[str, str], str] = {
    (_DK.ADMISSIBILITY, _DO.GRANTED): gettext_noop("The proof establishes admissibility"),
    (_DK.ADMISSIBILITY, _DO.DENIED): gettext_noop("The proof does not establish admissibility"),
    (_DK.APPLICABILITY, _DO.GRANTED): gettext_noop("The goods are outside the UFLPA presumption"),
    (_DK.APPLICABILITY, _DO.DENIED): gettext_noop("The UFLPA presumption applies"),
    (_DK.UFLPA_EXCEPTION, _DO.GRANTED): gettext_noop("Exception granted"),
    (_DK.UFLPA_EXCEPTION, _DO.DENIED): gettext_noop("Exception denied: the presumption is not rebutted"),
    (_DK.CAATSA_EXCEPTION, _DO.GRANTED): gettext_noop("Exception granted"),
    (_DK.CAATSA_EXCEPTION, _DO.DENIED): gettext_noop("Exception denied"),
    (_DK.PROTEST, _DO.GRANTED): gettext_noop("Protest allowed"),
    (_DK.PROTEST, _DO.DENIED): gettext_noop("Protest denied"),
}


class ForfeitureStepBase(models.Model):
    """One step of a forfeiture after a seizure (Part 162 subpart E, Part 171); the seizing record adds
    its own ``detention`` (a Finding's here, an IPR seizure's in section307.ipr)."""

    class Step(models.TextChoices):
        NOTICE_OF_SEIZURE = "notice", gettext_lazy("Notice of seizure mailed (19 U.S.C. 1607; 19 CFR 162.45)")
        PUBLICATION = "publication", gettext_lazy("Notice of seizure first published (19 CFR 162.45)")
        PETITION = "petition", gettext_lazy("Petition for relief filed (19 CFR Part 171)")
        CLAIM_BOND = "claim_bond", gettext_lazy("Claim and cost bond filed (19 CFR 162.45)")
        DECISION = "decision", gettext_lazy("Forfeiture decided")

    step = models.CharField(max_length=12, choices=Step.choices)
    on = models.DateField()
    note = models.TextField(blank=True)
    amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.get_step_display()} {self.on}"


class ForfeitureStep(ForfeitureStepBase):
    """A step of the forfeiture that follows a seizure under a Finding (19 CFR 12.44(b), Part 162 subpart E)."""

    detention = models.ForeignKey(Detention, on_delete=models.PROTECT, related_name="forfeiture_steps")

    class Meta(ForfeitureStepBase.Meta):
        constraints = [models.UniqueConstraint(fields=["detention", "step"], name="forfeiture_step_once")]


class Clock(models.Model):
    """A legal time limit running on a shipment: its rule (``ports.law``) copied in at the start,
    so the record says on what basis it ran even if the law module changes later."""

    class Kind(models.TextChoices):
        # One per rule in ports.law (a test keeps the two in step).
        DECISION = law.DECISION, gettext_lazy("Decision to release or detain")
        NOTICE = law.NOTICE, gettext_lazy("Notice of detention to the importer")
        DEEMED_EXCLUSION = law.DEEMED_EXCLUSION, gettext_lazy("Final admissibility decision")
        RESPONSE = law.RESPONSE, gettext_lazy("Importer's documentation")
        ADMISSIBILITY = law.ADMISSIBILITY, gettext_lazy("Proof of admissibility")
        ABANDONMENT = law.ABANDONMENT, gettext_lazy("Export before abandonment")
        PROTEST_FILING = law.PROTEST_FILING, gettext_lazy("Protest of the exclusion")
        PROTEST_DECISION = law.PROTEST_DECISION, gettext_lazy("Decision on the protest")
        FURTHER_REVIEW = law.FURTHER_REVIEW, gettext_lazy("Decision on an application for further review")
        ACCELERATED_DISPOSITION = law.ACCELERATED_DISPOSITION, gettext_lazy("Accelerated disposition of the protest")
        EXCLUSION_PROTEST = law.EXCLUSION_PROTEST, gettext_lazy("Decision on a protest of an exclusion")
        PETITION = law.PETITION, gettext_lazy("Petition for relief from the seizure")
        CLAIM_BOND = law.CLAIM_BOND, gettext_lazy("Claim and cost bond")
        CONGRESS_REPORT = law.CONGRESS_REPORT, gettext_lazy("Report to Congress and the public on the exception")
        CIVIL_ACTION = law.CIVIL_ACTION, gettext_lazy("Civil action in the Court of International Trade")

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="clocks")
    # Empty while the goods are held for exam and not yet detained (the 1499(c)(1) decision period).
    detention = models.ForeignKey(Detention, null=True, blank=True, on_delete=models.PROTECT, related_name="clocks")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    citation = models.CharField(max_length=120, blank=True)
    start_event = models.CharField(max_length=120, blank=True)
    calendar = models.CharField(max_length=16, blank=True)
    statutory = models.BooleanField(default=True)
    start_date = models.DateField()
    # Kept in step with suspensions and extensions by the services, so queues can filter on it.
    due_date = models.DateField(db_index=True)
    running = models.BooleanField(default=True, db_index=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    stop_reason = models.CharField(max_length=200, blank=True)
    last_reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [models.UniqueConstraint(fields=["entry", "kind"], name="clock_entry_kind_unique")]
        # Clock compliance on the metrics dashboard counts from this index alone (kind, due date, stop).
        indexes = [models.Index(fields=["kind", "due_date", "running", "stopped_at"], name="ports_clock_compliance")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.entry.entry_number}"

    @property
    def rule(self) -> law.Rule:
        return law.rule(self.kind)


class ClockSuspension(models.Model):
    clock = models.ForeignKey(Clock, on_delete=models.PROTECT, related_name="suspensions")
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    reason = models.TextField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start", "id"]

    def __str__(self) -> str:
        return f"Suspended {self.start} to {self.end or '…'}"


class ClockExtension(models.Model):
    """An agency extension: time CBP grants in practice on a non-statutory period, never the law's own."""

    clock = models.ForeignKey(Clock, on_delete=models.PROTECT, related_name="extensions")
    days = models.PositiveSmallIntegerField()
    reason = models.TextField()
    approving_official = models.CharField(max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["granted_at", "id"]

    def __str__(self) -> str:
        return f"+{self.days} days"


def _image_path(instance: ExamImage, filename: str) -> str:
    # A random name: neither the entry number, the upload time nor the original name reaches the disk.
    return f"ports/exam/{uuid.uuid4().hex}.jpg"


class ExamImage(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="images")
    image = models.FileField(upload_to=_image_path)
    redacted = models.FileField(upload_to=_image_path, blank=True)
    redaction_boxes = models.JSONField(default=list, blank=True)
    original_name = models.CharField(max_length=255)
    caption = models.CharField(max_length=300)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    original_sha256 = models.CharField(max_length=64)
    taken_at = models.DateTimeField(null=True, blank=True)
    camera = models.CharField(max_length=200, blank=True)
    checks = models.JSONField(default=dict)
    passed = models.BooleanField()
    override_reason = models.TextField(blank=True)
    shared_with_importer = models.BooleanField(default=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.entry.entry_number}: {self.caption}"


class Notice(models.Model):
    """A message to an importer of record: shown in its portal and sent by email from a task."""

    class Kind(models.TextChoices):
        DETENTION = "detention", gettext_lazy("Detention notice")
        DECISION = "decision", gettext_lazy("Decision")
        REMINDER = "reminder", gettext_lazy("Deadline reminder")
        QUESTION = "question", gettext_lazy("Question from the port")
        REQUEST = "request", gettext_lazy("Request status")
        CLOCK = "clock", gettext_lazy("Deadline changed")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="notices")
    entry = models.ForeignKey(Entry, null=True, blank=True, on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_to = models.JSONField(default=list, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.subject


class RescreenRun(models.Model):
    """A look-back: past entries re-screened after an order changed; findings list what changed."""

    since = models.DateField()
    order_reference = models.CharField(max_length=40, blank=True)
    trigger = models.CharField(max_length=200)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    lines_screened = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"Re-screen since {self.since} ({self.trigger})"


class RescreenFinding(models.Model):
    run = models.ForeignKey(RescreenRun, on_delete=models.CASCADE, related_name="findings")
    entry_line = models.ForeignKey(EntryLine, on_delete=models.CASCADE, related_name="+")
    previous_decision = models.CharField(max_length=8, blank=True)
    previous_order = models.CharField(max_length=40, blank=True)
    decision = models.CharField(max_length=8)
    order_reference = models.CharField(max_length=40, blank=True)
    reasons = models.TextField(blank=True)

    class Meta:
        ordering = ["run", "id"]

    def __str__(self) -> str:
        return f"{self.previous_decision or '-'} -> {self.decision} {self.order_reference}"

    def get_decision_display(self) -> str:
        return choice_label(Decision, self.decision)

    def get_previous_decision_display(self) -> str:
        return choice_label(Decision, self.previous_decision) if self.previous_decision else "—"

    @property
    def newly_affected(self) -> bool:
        return DECISION_RANK[self.decision] > DECISION_RANK.get(self.previous_decision, -1) or (
            self.decision == Decision.HIT and self.order_reference != self.previous_order
        )


class ApiToken(models.Model):
    """A filer's API token. Only a SHA-256 of the secret is stored; the secret is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class FederalClosure(models.Model):
    """A day federal offices were closed beyond the federal holidays the ``holidays`` package knows
    (a weather closure, an executive order issued after the package's release). Business-day
    periods skip it."""

    date = models.DateField(unique=True)
    reason = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date}: {self.reason}"


def today() -> dt.date:
    return timezone.localdate()
