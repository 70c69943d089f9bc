"""Importer due diligence: the elements of the self-assessment (CBP's elements and the OECD
due-diligence steps) and its scoring rule. The models (``Assessment``, ``AssessmentAnswer``,
``RemediationPlan``, ``Milestone``) are in ``supplychain/models.py``.

The element list lives here and nowhere else (``ELEMENTS``), each with its source. The scoring rule
is ``answer_points`` / ``assessment_score``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

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
    Element(
        "oecd_embed", _("Embed responsible business conduct into policies and management systems"), OECD_SOURCE, "oecd"
    ),
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
