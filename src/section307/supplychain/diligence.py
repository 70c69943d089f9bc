"""Importer due diligence: the self-assessment (CBP's elements and the OECD due-diligence steps),
scored and versioned, and remediation plans with milestones tracked to an outcome.

The element list lives here and nowhere else (``ELEMENTS``), each with its source. The scoring rule
is ``answer_points`` / ``assessment_score``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.functional import Promise

from section307.accounts.models import Organization
from section307.core.models import TimeStampedModel

CBP_SOURCE = "CBP, Forced labor: due diligence elements (the eight elements CBP names for importers)"
OECD_SOURCE = "OECD Due Diligence Guidance for Responsible Business Conduct (2018), steps 1-6"


@dataclass(frozen=True)
class Element:
    code: str
    label: Promise
    source: str
    group: str  # "cbp" or "oecd"


# The one list of due-diligence elements. CBP: the eight elements of a social compliance system CBP
# expects of importers (also DOL ILAB's Comply Chain steps). OECD: the six due-diligence steps.
ELEMENTS: tuple[Element, ...] = (
    Element("cbp_engage", _("Engage stakeholders and partners"), CBP_SOURCE, "cbp"),
    Element("cbp_assess", _("Assess risks and impacts in policies and practices"), CBP_SOURCE, "cbp"),
    Element("cbp_code", _("Develop a code of conduct"), CBP_SOURCE, "cbp"),
    Element("cbp_train", _("Communicate and train across the supply chain"), CBP_SOURCE, "cbp"),
    Element("cbp_monitor", _("Monitor compliance"), CBP_SOURCE, "cbp"),
    Element("cbp_remediate", _("Remediate violations"), CBP_SOURCE, "cbp"),
    Element("cbp_review", _("Independent review"), CBP_SOURCE, "cbp"),
    Element("cbp_report", _("Report performance and engagement"), CBP_SOURCE, "cbp"),
    Element("oecd_embed", _("Embed responsible business conduct into policies and management systems"), OECD_SOURCE, "oecd"),
    Element("oecd_identify", _("Identify and assess adverse impacts"), OECD_SOURCE, "oecd"),
    Element("oecd_cease", _("Cease, prevent or mitigate adverse impacts"), OECD_SOURCE, "oecd"),
    Element("oecd_track", _("Track implementation and results"), OECD_SOURCE, "oecd"),
    Element("oecd_communicate", _("Communicate how impacts are addressed"), OECD_SOURCE, "oecd"),
    Element("oecd_remedy", _("Provide for or cooperate in remediation"), OECD_SOURCE, "oecd"),
)
ELEMENT_BY_CODE = {e.code: e for e in ELEMENTS}


class AnswerStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    PARTIAL = "partial", _("Partial")
    IN_PLACE = "in_place", _("In place")


# Scoring rule: in place = 2 points, partial = 1, not started = 0; an answer without evidence (a
# supplier map, a traceability document or an uploaded document) counts half. The score is the
# points over the maximum (2 per element), as a percentage rounded down.
STATUS_POINTS = {AnswerStatus.NOT_STARTED: 0, AnswerStatus.PARTIAL: 1, AnswerStatus.IN_PLACE: 2}
MAX_POINTS_PER_ELEMENT = 2


def answer_points(status: str, *, has_evidence: bool) -> float:
    points = float(STATUS_POINTS.get(AnswerStatus(status), 0))
    return points if has_evidence else points / 2


def assessment_score(answers: list[tuple[str, bool]]) -> int:
    """Percentage for (status, has_evidence) per element; elements not answered count as not started."""
    total = sum(answer_points(status, has_evidence=ev) for status, ev in answers)
    return int(total * 100 // (MAX_POINTS_PER_ELEMENT * len(ELEMENTS)))


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
    map = models.ForeignKey("supplychain.SupplyChainMap", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    evidence = models.ForeignKey("supplychain.Evidence", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
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
    map = models.ForeignKey("supplychain.SupplyChainMap", null=True, blank=True, on_delete=models.SET_NULL, related_name="remediation_plans")
    node = models.ForeignKey("supplychain.Node", null=True, blank=True, on_delete=models.SET_NULL, related_name="remediation_plans")
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
