"""The importer portal: requests (proof of admissibility, applicability, exceptions, order changes),
their versioned document packages and the questions exchanged with the port."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy

from section307.accounts.models import Organization
from section307.core.models import TimeStampedModel
from section307.core.words import humanize_code
from section307.orders.models import EnforcementOrder
from section307.ports.models import Detention


class RequestKind(models.TextChoices):
    WRO_ADMISSIBILITY = "wro_admissibility", gettext_lazy("WRO admissibility review")
    UFLPA_APPLICABILITY = "uflpa_applicability", gettext_lazy("UFLPA applicability review")
    UFLPA_EXCEPTION = "uflpa_exception", gettext_lazy("UFLPA exception")
    CAATSA_EXCEPTION = "caatsa_exception", gettext_lazy("CAATSA exception")
    ORDER_MODIFICATION = "order_modification", gettext_lazy("WRO modification")
    ORDER_REVOCATION = "order_revocation", gettext_lazy("WRO revocation")


DETENTION_KINDS = (
    RequestKind.WRO_ADMISSIBILITY,
    RequestKind.UFLPA_APPLICABILITY,
    RequestKind.UFLPA_EXCEPTION,
    RequestKind.CAATSA_EXCEPTION,
)
ORDER_KINDS = (RequestKind.ORDER_MODIFICATION, RequestKind.ORDER_REVOCATION)


class TradeRequest(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", gettext_lazy("Draft")
        SUBMITTED = "submitted", gettext_lazy("Submitted")
        INFO_REQUESTED = "info_requested", gettext_lazy("More information requested")
        GRANTED = "granted", gettext_lazy("Granted")
        DENIED = "denied", gettext_lazy("Denied")
        WITHDRAWN = "withdrawn", gettext_lazy("Withdrawn")

    # For whom: the importer of record. Who acted: the importer itself or a broker it delegated to.
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="trade_requests")
    acting_organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="trade_requests_filed"
    )
    kind = models.CharField(max_length=24, choices=RequestKind.choices)
    detention = models.ForeignKey(
        Detention, null=True, blank=True, on_delete=models.PROTECT, related_name="trade_requests"
    )
    order = models.ForeignKey(
        EnforcementOrder, null=True, blank=True, on_delete=models.PROTECT, related_name="trade_requests"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    statement = models.TextField(blank=True, help_text=gettext_lazy("The importer's detailed statement or grounds"))
    # Change requests: one answer per ILO forced-labour indicator.
    ilo_answers = models.JSONField(default=dict, blank=True)
    grounds = models.CharField(max_length=20, blank=True)
    # Modification requests: what the order should become (narrower merchandise, parties removed...).
    proposed_change = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    # Where a change request landed in case management (reference of the related case).
    case_reference = models.CharField(max_length=60, blank=True)
    # The case-management change request this was filed as (an id, so the portal runs without that app).
    change_request_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("use_portal", "Can use the importer portal for the user's organization")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.SUBMITTED, self.Status.INFO_REQUESTED)


def _document_path(instance: RequestDocument, filename: str) -> str:
    # A random name: neither the original name nor the upload time reaches the file system.
    return f"trade/{uuid.uuid4().hex}.bin"


class RequestDocument(models.Model):
    """An uploaded document. Never deleted or replaced: a correction is a new document."""

    request = models.ForeignKey(TradeRequest, on_delete=models.PROTECT, related_name="documents")
    category = models.CharField(max_length=40)
    tier = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=gettext_lazy("Supply-chain tier (1 = direct supplier)")
    )
    file = models.FileField(upload_to=_document_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    language = models.CharField(max_length=12, default="en")
    translation_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="translations"
    )
    description = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    # Stored encrypted under SECTION307_ENCRYPTION_KEYS (`section307 files rotate-keys` re-encrypts).
    encrypted_file_fields = ("file",)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    def get_category_display(self) -> str:
        """What the document is, in words (the categories are the checklists' keys)."""
        from section307.trade.checklists import CATEGORIES

        return str(CATEGORIES.get(self.category) or humanize_code(self.category))

    @property
    def needs_translation(self) -> bool:
        return not self.language.lower().startswith("en") and self.translation_of_id is None


class RequestVersion(models.Model):
    """A submitted package: the statement and the documents as they stood when submitted."""

    request = models.ForeignKey(TradeRequest, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    statement = models.TextField(blank=True)
    ilo_answers = models.JSONField(default=dict, blank=True)
    documents = models.ManyToManyField(RequestDocument, related_name="versions")
    checklist = models.JSONField(default=list, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["request", "number"]
        constraints = [models.UniqueConstraint(fields=["request", "number"], name="request_version_unique")]

    def __str__(self) -> str:
        return f"{self.request} v{self.number}"


class RequestMessage(models.Model):
    class Kind(models.TextChoices):
        QUESTION = "question", gettext_lazy("Question from the port")
        ANSWER = "answer", gettext_lazy("Answer from the importer")

    request = models.ForeignKey(TradeRequest, on_delete=models.PROTECT, related_name="messages")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    body = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.request}"
