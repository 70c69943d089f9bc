"""Recorded trademarks and copyrights, their owners' accounts, and detentions of suspected counterfeits.

A detention under 19 CFR 133.21 runs on four periods (``ports.law``: IPR_NOTICE, IPR_IMPORTER_REPLY,
IPR_DECISION, IPR_SEIZURE_INFO) counted from the dates kept here. Every time the rights holder or the
importer is shown something (information, an image, codes, a sample) a ``Disclosure`` row says who,
what, when and under which rule.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from section307.accounts.models import Organization
from section307.core.models import TimeStampedModel
from section307.ipr.photostandard import SHOT_CHOICES
from section307.ports.models import Detention, Entry, ForfeitureStepBase


class Recordation(TimeStampedModel):
    """A trademark or copyright recorded with CBP (19 CFR Part 133, subparts A and D)."""

    class Kind(models.TextChoices):
        TRADEMARK = "trademark", _("Trademark")
        COPYRIGHT = "copyright", _("Copyright")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    number = models.CharField(max_length=40, unique=True, help_text=_("CBP recordation number"))
    registration_number = models.CharField(
        max_length=40, blank=True, help_text=_("USPTO or Copyright Office registration number")
    )
    title = models.CharField(max_length=200, help_text=_("The mark or the title of the work"))
    owner = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="recordations")
    goods = models.TextField(blank=True, help_text=_("Goods or classes the recordation covers"))
    expires_on = models.DateField(null=True, blank=True)
    active = models.BooleanField(default=True)
    # The rights holder's accounts for this recordation (created by staff).
    holders = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="recordations")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["number"]
        permissions = [("manage_recordation", "Can record trademarks and copyrights and their holders' accounts")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class IprDetention(TimeStampedModel):
    class Procedure(models.TextChoices):
        """Which rule of 19 CFR Part 133 the detention runs under (each has its own lifecycle table)."""

        COUNTERFEIT = "counterfeit", _("Suspected counterfeit mark (19 CFR 133.21)")
        COPYING = "copying", _("Mark copying or simulating a recorded mark (19 CFR 133.22, 133.25)")
        GRAY_MARKET = "gray_market", _("Restricted gray-market goods (19 CFR 133.23, 133.25)")
        PIRATICAL = "piratical", _("Suspected piratical article of a recorded copyright (19 CFR 133.42-133.43)")

    class Status(models.TextChoices):
        DETAINED = "detained", _("Detained, notice to the importer due")
        NOTICED = "noticed", _("Notice sent, the importer's 7 business days running")
        DISCLOSED = "disclosed", _("Disclosed to the rights holder, decision pending")
        RELEASED = "released", _("Released")
        SEIZED = "seized", _("Seized")
        EXCLUDED = "excluded", _("Excluded (no decision within 30 days)")

    entry = models.OneToOneField(Entry, on_delete=models.PROTECT, related_name="ipr_detention")
    # The forced-labor detention of the same entry, when there is one.
    port_detention = models.ForeignKey(
        Detention, null=True, blank=True, on_delete=models.PROTECT, related_name="ipr_detentions"
    )
    recordations = models.ManyToManyField(Recordation, related_name="detentions")
    procedure = models.CharField(max_length=12, choices=Procedure.choices, default=Procedure.COUNTERFEIT)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DETAINED, db_index=True)
    reasons = models.TextField(help_text=_("Why the marks are suspected counterfeit"))
    # The limited importation information (19 CFR 133.21(b)(2)): shown to the rights holder from the start.
    description = models.TextField()
    quantity = models.CharField(max_length=60)
    country_of_origin = models.CharField(max_length=60)
    # Codes on the goods and packaging: [{"kind": "serial|upc|sku|other", "value": "...", "where": "..."}].
    codes = models.JSONField(default=list, blank=True)
    presented_on = models.DateField()
    decided_on = models.DateField(help_text=_("Date of the decision to detain"))
    notice_sent_on = models.DateField(null=True, blank=True)
    importer_reply = models.TextField(blank=True)
    importer_reply_on = models.DateField(null=True, blank=True)
    disclosed_at = models.DateTimeField(null=True, blank=True)
    sample_requested_at = models.DateTimeField(null=True, blank=True)
    sample_bond_reference = models.CharField(max_length=60, blank=True)
    sample_provided_on = models.DateField(null=True, blank=True)
    decision_on = models.DateField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    seized_on = models.DateField(null=True, blank=True)
    seizure_info_sent_on = models.DateField(null=True, blank=True)
    # Restricted articles (19 CFR 133.25): days CBP added to the 30 for good cause, and the date the
    # mark owner was given the importation information (133.25(b)).
    extension_days = models.PositiveIntegerField(default=0)
    owner_info_sent_on = models.DateField(null=True, blank=True)
    # The procedure for piratical copies replaced on 23 August 2024 by CBP Dec. 24-03 (the copyright owner
    # told of the importer's denial, its written demand and bond): kept for detentions recorded under it,
    # no longer written.
    owner_notified_on = models.DateField(null=True, blank=True)
    demand_on = models.DateField(null=True, blank=True)
    demand_bond_reference = models.CharField(max_length=60, blank=True)
    detained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-decided_on", "-id"]
        permissions = [("manage_iprdetention", "Can detain suspected counterfeits and decide on them")]

    def __str__(self) -> str:
        return f"IPR detention of {self.entry.entry_number}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def restricted(self) -> bool:
        """Detained under 19 CFR 133.25 (copying or simulating marks, gray-market goods)."""
        return self.procedure in (self.Procedure.COPYING, self.Procedure.GRAY_MARKET)

    @property
    def piratical(self) -> bool:
        return self.procedure == self.Procedure.PIRATICAL

    @property
    def status_label(self) -> str:
        """The status in the words of this detention's procedure."""
        label = STATUS_LABELS.get((self.procedure, self.status))
        return str(label) if label is not None else str(self.get_status_display())


_S, _P = IprDetention.Status, IprDetention.Procedure
OPEN_STATUSES = (_S.DETAINED, _S.NOTICED, _S.DISCLOSED)
STATUS_LABELS: dict[tuple[str, str], StrOrPromise] = {
    (_P.COPYING, _S.NOTICED): _("Notice sent; the importer may show an exception applies (30 days)"),
    (_P.GRAY_MARKET, _S.NOTICED): _("Notice sent; the importer may show an exception applies (30 days)"),
}


def _image_path(instance: IprImage, filename: str) -> str:
    # A random name: nothing about the entry or the upload reaches the disk.
    return f"ipr/{uuid.uuid4().hex}.bin"


class IprImage(models.Model):
    detention = models.ForeignKey(IprDetention, on_delete=models.PROTECT, related_name="images")
    shot_type = models.CharField(max_length=20, choices=SHOT_CHOICES)
    caption = models.CharField(max_length=300)
    # Both stored encrypted under SECTION307_ENCRYPTION_KEYS (`section307 files rotate-keys` re-encrypts).
    image = models.FileField(upload_to=_image_path)
    redacted = models.FileField(upload_to=_image_path, blank=True)
    redaction_boxes = models.JSONField(default=list, blank=True)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    checks = models.JSONField(default=dict)
    passed = models.BooleanField()
    override_reason = models.TextField(blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    encrypted_file_fields = ("image", "redacted")

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_shot_type_display()}: {self.caption}"


class HolderResponse(models.Model):
    """The rights holder's answer on the detained goods."""

    class Answer(models.TextChoices):
        GENUINE = "genuine", _("Genuine")
        COUNTERFEIT = "counterfeit", _("Counterfeit")
        NEEDS_SAMPLE = "needs_sample", _("Needs a sample to decide")

    detention = models.ForeignKey(IprDetention, on_delete=models.PROTECT, related_name="responses")
    recordation = models.ForeignKey(Recordation, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(max_length=12, choices=Answer.choices)
    note = models.TextField(blank=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    responded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["responded_at", "id"]

    def __str__(self) -> str:
        return f"{self.recordation.number}: {self.get_answer_display()}"


class Disclosure(models.Model):
    """One showing of detention information to someone outside CBP: append-only."""

    class What(models.TextChoices):
        LIMITED = "limited", _("Importation information (date, port, description, quantity, origin)")
        REDACTED_IMAGE = "redacted_image", _("Redacted image")
        UNREDACTED_IMAGE = "unredacted_image", _("Unredacted image")
        CODES = "codes", _("Codes on the goods and packaging")
        SAMPLE = "sample", _("Sample under bond")
        SEIZURE_INFO = "seizure_info", _("Information after seizure")

    class Recipient(models.TextChoices):
        RIGHTS_HOLDER = "rights_holder", _("Rights holder")
        IMPORTER = "importer", _("Importer")

    detention = models.ForeignKey(IprDetention, on_delete=models.PROTECT, related_name="disclosures")
    what = models.CharField(max_length=20, choices=What.choices)
    image = models.ForeignKey(IprImage, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recipient_kind = models.CharField(max_length=14, choices=Recipient.choices)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recipient_label = models.CharField(max_length=200)
    organization = models.ForeignKey(Organization, null=True, on_delete=models.SET_NULL, related_name="+")
    rule = models.CharField(max_length=80)
    channel = models.CharField(max_length=20)
    disclosed_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-disclosed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_what_display()} to {self.recipient_label}"


class IprForfeitureStep(ForfeitureStepBase):
    """A step of the forfeiture that follows an IPR seizure (19 CFR 133.21; 133.42(c); Part 162 subpart E,
    Part 171). The steps, their order, the cost bond and the clocks are the port's
    (``ports.services.forfeiture_step_apply``)."""

    detention = models.ForeignKey(IprDetention, on_delete=models.PROTECT, related_name="forfeiture_steps")

    class Meta(ForfeitureStepBase.Meta):
        constraints = [models.UniqueConstraint(fields=["detention", "step"], name="ipr_forfeiture_step_once")]
