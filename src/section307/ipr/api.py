"""IPR detentions API, for rights holders first: what the rule lets the caller see at this moment.

* ``GET /ipr/detentions``: the detentions the caller may see (a rights holder: those concerning its
  recordations; an importer: its entries'; staff: all), newest first;
* ``GET /ipr/detentions/{id}``: the importation information, the periods of 19 CFR 133.21 with their
  deadlines, the photos (redacted for a rights holder until the importer's 7 business days have run),
  the codes on the goods once disclosed, the seizure information once given; a rights holder's call
  is logged as a disclosure;
* ``POST /ipr/detentions/{id}/response``: the rights holder's answer (genuine, counterfeit, needs a sample).

Another holder's detention answers 404, like one that does not exist.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema, Status
from ninja.security import SessionAuth
from pydantic import Field

from section307.core.api import choices, error_responses, lifecycle_rule
from section307.core.errors import NotFound
from section307.core.types import Actor
from section307.ipr import permissions as perms
from section307.ipr import selectors, services
from section307.ipr.models import HolderResponse, IprDetention, IprImage, Recordation
from section307.ipr.photostandard import SHOT_TYPES
from section307.ports import law
from section307.ports.api import TokenAuth
from section307.ports.models import ForfeitureStep

router = Router(tags=["ipr"], auth=[TokenAuth(), SessionAuth()])

IprStatus = Literal[("", *IprDetention.Status.values)]  # type: ignore[valid-type]


class RecordationOut(Schema):
    number: str
    kind: str = Field(json_schema_extra=choices(Recordation.Kind))
    title: str


class IprSummaryOut(Schema):
    id: int
    entry_number: str
    procedure: str = Field(
        json_schema_extra=choices(IprDetention.Procedure),
        description="counterfeit: 19 CFR 133.21; copying, gray_market: 133.25; "
        "piratical: 133.42-133.43 (CBP Dec. 24-03)",
    )
    status: str = Field(json_schema_extra=choices(IprDetention.Status))
    status_label: str
    decided_on: str = Field(description="Date of the decision to detain")
    recordations: list[RecordationOut]


class ImportationOut(Schema):
    """The limited importation information (19 CFR 133.21(b)), given from the notice of detention at the latest."""

    date_of_importation: str
    port_of_entry: str
    description: str
    quantity: str
    country_of_origin: str


class IprClockOut(Schema):
    kind: str = Field(json_schema_extra=choices(law.IPR_KINDS))
    label: str
    citation: str
    period: str
    start: str | None
    due: str | None
    done_on: str | None


class IprImageOut(Schema):
    id: int
    shot_type: str = Field(json_schema_extra=choices([s.key for s in SHOT_TYPES]))
    caption: str
    redacted: bool = Field(description="True when this is the redacted copy (before disclosure to a rights holder)")
    url: str = Field(description="The image, for a signed-in session")


class CodeOut(Schema):
    kind: str = Field(json_schema_extra=choices(services.CODE_KINDS))
    value: str
    where: str = ""


class SeizureInfoOut(ImportationOut):
    """19 CFR 133.21(e): given to the mark owner after seizure."""

    manufacturer: str
    exporter: str
    importer: str


class HolderResponseOut(Schema):
    id: int
    recordation: str
    answer: str = Field(json_schema_extra=choices(HolderResponse.Answer))
    note: str
    responded_at: str


class ForfeitureStepOut(Schema):
    step: str = Field(json_schema_extra=choices(ForfeitureStep.Step))
    label: str
    on: str


class IprDetailOut(IprSummaryOut):
    presented_on: str
    notice_sent_on: str | None
    extension_days: int = Field(description="Days CBP added for good cause (19 CFR 133.25(a)); 0 otherwise")
    owner_info_sent_on: str | None = Field(description="19 CFR 133.25(b): importation information given")
    forfeiture: list[ForfeitureStepOut] = Field(description="Steps after seizure (Part 162 subpart E, Part 171)")
    disclosed: bool = Field(description="Unredacted photos, codes and samples are open to the rights holder")
    importation: ImportationOut | None = Field(description="Null while the rule withholds it from the caller")
    clocks: list[IprClockOut]
    images: list[IprImageOut]
    codes: list[CodeOut] | None = Field(description="Null while not disclosed to the caller")
    sample: Literal["", "requested", "provided"]
    seizure_info: SeizureInfoOut | None
    responses: list[HolderResponseOut]


class HolderResponseIn(Schema):
    answer: Literal["genuine", "counterfeit", "needs_sample"]
    note: str = Field("", max_length=4000)
    recordation: str = Field("", max_length=40, description="Recordation number; default: your one on the detention")


def _summary(d: IprDetention) -> dict[str, Any]:
    return {
        "id": d.pk,
        "entry_number": d.entry.entry_number,
        "procedure": d.procedure,
        "status": d.status,
        "status_label": d.status_label,
        "decided_on": d.decided_on.isoformat(),
        "recordations": [{"number": r.number, "kind": r.kind, "title": r.title} for r in d.recordations.all()],
    }


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _image(image: IprImage, *, redacted: bool) -> dict[str, Any]:
    variant = "redacted" if redacted else "image"
    return {
        "id": image.pk,
        "shot_type": image.shot_type,
        "caption": image.caption,
        "redacted": redacted,
        "url": reverse("ipr:image_file", args=[image.pk, variant]),
    }


def _response(r: HolderResponse) -> dict[str, Any]:
    return {
        "id": r.pk,
        "recordation": r.recordation.number,
        "answer": r.answer,
        "note": r.note,
        "responded_at": r.responded_at.isoformat(),
    }


def _detail(user: Actor, d: IprDetention) -> dict[str, Any]:
    kind = perms.viewer_kind(user, d)
    clocks = selectors.ipr_clocks(d)
    out = {
        **_summary(d),
        "presented_on": d.presented_on.isoformat(),
        "notice_sent_on": _iso(d.notice_sent_on),
        "disclosed": d.disclosed_at is not None,
        "extension_days": d.extension_days,
        "owner_info_sent_on": _iso(d.owner_info_sent_on),
        "forfeiture": [
            {"step": f.step, "label": str(f.get_step_display()), "on": f.on.isoformat()}
            for f in d.forfeiture_steps.all()
        ],
        "importation": selectors.limited_info(d),
        "clocks": [
            {
                "kind": c.kind,
                "label": c.label,
                "citation": c.citation,
                "period": c.period,
                "start": _iso(c.start),
                "due": _iso(c.due),
                "done_on": _iso(c.done_on),
            }
            for c in clocks.values()
        ],
    }
    if kind == perms.HOLDER:
        view = selectors.holder_view(d, user)
        out.update(
            importation=view.limited,
            images=[_image(image, redacted=not unredacted) for image, unredacted in view.images],
            codes=view.codes,
            sample=view.sample,
            seizure_info=view.seizure_info,
            responses=[_response(r) for r in view.responses],
        )
    else:
        out.update(
            images=[_image(image, redacted=False) for image in d.images.all()],
            codes=list(d.codes),
            sample="provided" if d.sample_provided_on else ("requested" if d.sample_requested_at else ""),
            seizure_info=selectors.seizure_info(d) if d.seizure_info_sent_on else None,
            responses=[_response(r) for r in d.responses.select_related("recordation")] if kind == perms.STAFF else [],
        )
    return out


def _get(user: Actor, detention_id: int) -> IprDetention:
    detention = selectors.detention_get(user, detention_id)
    if detention is None:
        raise NotFound("no such IPR detention")
    return detention


@router.get(
    "/ipr/detentions",
    response={200: list[IprSummaryOut], **error_responses(400, 401, 403, 422)},
    summary="IPR detentions the caller may see (a rights holder: those of its recordations), newest first",
)
def ipr_detentions_list(request: HttpRequest, status: IprStatus = "") -> Any:
    return [_summary(d) for d in selectors.detention_list(request.user, status=status)[:500]]


@router.get(
    "/ipr/detentions/{detention_id}",
    response={200: IprDetailOut, **error_responses(400, 401, 403, 404, 422)},
    summary="One IPR detention, as much as the rule lets the caller see now (a rights holder's call is logged)",
)
def ipr_detention_get(request: HttpRequest, detention_id: int) -> Any:
    detention = _get(request.user, detention_id)
    if perms.viewer_kind(request.user, detention) == perms.HOLDER:
        services.holder_views_detention(actor=request.user, detention=detention, channel="api")
    return _detail(request.user, detention)


@router.post(
    "/ipr/detentions/{detention_id}/response",
    response={201: HolderResponseOut, **error_responses(400, 401, 403, 404, 409, 413, 422)},
    summary="The rights holder's answer: genuine, counterfeit (for a piratical article: piratical), or a sample "
    "is needed; 409 names the rule",
)
def ipr_detention_respond(request: HttpRequest, detention_id: int, payload: HolderResponseIn) -> Any:
    detention = _get(request.user, detention_id)
    recordation = None
    if payload.recordation:
        recordation = detention.recordations.filter(number=payload.recordation.strip()).first()
        if recordation is None:
            raise NotFound("no such recordation on this detention")
    with lifecycle_rule(services.procedure_rule(detention)):
        response = services.holder_respond(
            actor=request.user, detention=detention, answer=payload.answer, note=payload.note, recordation=recordation
        )
    return Status(201, _response(response))
