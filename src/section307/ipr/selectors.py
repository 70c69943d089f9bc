"""Reads: the clocks of an IPR detention and what each viewer may see of it at this moment."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from section307.core.types import Actor
from section307.ipr import permissions as perms
from section307.ipr.models import HolderResponse, IprDetention, IprImage
from section307.ports import law
from section307.ports.calendars import business_calendar


@dataclass(frozen=True)
class IprClock:
    kind: str
    label: str
    citation: str
    start_event: str
    period: str
    start: dt.date | None
    due: dt.date | None
    done_on: dt.date | None
    consequence: str

    @property
    def state(self) -> str:
        if self.start is None:
            return "not started"
        if self.done_on is not None:
            return "met" if self.due is None or self.done_on <= self.due else "met late"
        return "running"

    def overdue(self, today: dt.date) -> bool:
        return self.done_on is None and self.due is not None and today > self.due


def _clock(
    kind: str, start: dt.date | None, done_on: dt.date | None, business: law.BusinessCalendar, *, extra_days: int = 0
) -> IprClock:
    rule = law.rule(kind)
    due = law.due_date(kind, start, business=business) if start is not None else None
    if due is not None and extra_days:
        # CBP's extensions for good cause (19 CFR 133.25(a)), in calendar days.
        due += dt.timedelta(days=extra_days)
    return IprClock(
        kind, rule.label, rule.citation, rule.start_event, rule.period, start, due, done_on, rule.consequence
    )


def pattern_kinds(d: IprDetention) -> tuple[str, str, str, str]:
    """The four periods of the 133.21 pattern (notice, importer's answer, decision, information after
    seizure): 19 CFR 133.21 for counterfeit marks; for piratical articles 19 CFR 133.42-133.43 as amended by
    CBP Dec. 24-03, which follows the same pattern."""
    if d.piratical:
        return law.PIRATICAL_NOTICE, law.PIRATICAL_IMPORTER_REPLY, law.PIRATICAL_DECISION, law.PIRATICAL_SEIZURE_INFO
    return law.IPR_NOTICE, law.IPR_IMPORTER_REPLY, law.IPR_DECISION, law.IPR_SEIZURE_INFO


def ipr_clocks(d: IprDetention, *, business: law.BusinessCalendar | None = None) -> dict[str, IprClock]:
    """The periods of the detention's procedure, from its dates (each from ``ports.law``): the four of
    19 CFR 133.21 for counterfeits, the three of 133.25 for restricted articles, the four of
    133.42-133.43 (CBP Dec. 24-03) for piratical articles."""
    business = business or business_calendar()
    decided = d.decision_on
    if d.restricted:
        return {
            law.RESTRICTED_NOTICE: _clock(law.RESTRICTED_NOTICE, d.decided_on, d.notice_sent_on, business),
            law.RESTRICTED_DETENTION: _clock(
                law.RESTRICTED_DETENTION, d.presented_on, decided, business, extra_days=d.extension_days
            ),
            law.RESTRICTED_INFO: _clock(law.RESTRICTED_INFO, d.decided_on, d.owner_info_sent_on, business),
        }
    notice, reply, decision, seizure = pattern_kinds(d)
    return {
        notice: _clock(notice, d.decided_on, d.notice_sent_on, business),
        reply: _clock(reply, d.notice_sent_on, d.importer_reply_on, business),
        decision: _clock(decision, d.presented_on, decided, business),
        seizure: _clock(seizure, d.seized_on, d.seizure_info_sent_on, business),
    }


def reply_window_closed(d: IprDetention, *, today: dt.date, business: law.BusinessCalendar | None = None) -> bool:
    """The importer's 7 business days from the notice have run out (the last day still counts)."""
    if d.notice_sent_on is None:
        return False
    due = law.due_date(pattern_kinds(d)[1], d.notice_sent_on, business=business or business_calendar())
    return today > due


def period_ran_out(d: IprDetention, *, today: dt.date) -> bool:
    """The importer's period to answer the notice has run: 7 business days (133.21(b); 133.42-133.43 for
    piratical articles) or the 30 days with extensions (133.25(a))."""
    if d.restricted:
        due = ipr_clocks(d)[law.RESTRICTED_DETENTION].due
        return due is not None and today > due
    return reply_window_closed(d, today=today)


def detention_list(user: Actor, *, status: str = "") -> QuerySet[IprDetention]:
    qs = perms.detentions_visible_to(user).select_related("entry").prefetch_related("recordations")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-decided_on", "-id")


def detention_get(user: Actor, pk: int) -> IprDetention | None:
    return (
        perms.detentions_visible_to(user)
        .select_related("entry", "port_detention")
        .prefetch_related("recordations__owner", Prefetch("images", queryset=IprImage.objects.order_by("id")))
        .filter(pk=pk)
        .first()
    )


@dataclass
class HolderView:
    """What the rights holder may see now (19 CFR 133.21(b)-(e))."""

    limited: dict[str, str] | None
    images: list[tuple[IprImage, bool]]  # (image, unredacted)
    unredacted: bool
    codes: list[dict[str, str]] | None
    seizure_info: dict[str, str] | None
    sample: str
    responses: list[HolderResponse] = field(default_factory=list)
    withheld_images: int = 0


def limited_info(d: IprDetention) -> dict[str, str]:
    entry = d.entry
    return {
        "date_of_importation": entry.date_of_import.isoformat(),
        "port_of_entry": entry.port,
        "description": d.description,
        "quantity": d.quantity,
        "country_of_origin": d.country_of_origin,
    }


def seizure_info(d: IprDetention) -> dict[str, str]:
    """19 CFR 133.21(e): what the mark owner is told after seizure."""
    line = d.entry.top_line
    return {
        **limited_info(d),
        "manufacturer": ", ".join(p for p in (line.manufacturer, line.manufacturer_address) if p) if line else "",
        "exporter": ", ".join(p for p in (line.shipper, line.shipper_address) if p) if line else "",
        "importer": d.entry.importer_name,
    }


INFO_LABELS = {
    "date_of_importation": _("Date of importation"),
    "port_of_entry": _("Port of entry"),
    "description": _("Description"),
    "quantity": _("Quantity"),
    "country_of_origin": _("Country of origin"),
    "manufacturer": _("Manufacturer (name and address)"),
    "exporter": _("Exporter (name and address)"),
    "importer": _("Importer"),
}


CODE_LABELS = {
    "serial": _("Serial number"),
    "upc": _("UPC"),
    "sku": _("SKU"),
    "other": _("Other code"),
}


def code_rows(codes: list[dict[str, str]] | None) -> list[dict[str, str]]:
    """Codes with the label of their kind, for a page."""
    return [{**c, "label": str(CODE_LABELS.get(c.get("kind", ""), c.get("kind", "")))} for c in codes or []]


def labelled(info: dict[str, str] | None) -> list[tuple[str, str]]:
    """The information as (label, value) rows for a page."""
    return [(str(INFO_LABELS[k]), v) for k, v in (info or {}).items()]


def holder_sees_importation_info(detention: IprDetention) -> bool:
    """Counterfeits (133.21(b)) and piratical articles (133.42-133.43, CBP Dec. 24-03): the limited importation
    information from the detention on; restricted articles: once given (133.25(b))."""
    if detention.restricted:
        return detention.owner_info_sent_on is not None
    return True


def holder_unredacted(d: IprDetention) -> bool:
    """The rights holder may see the unredacted photos once disclosed after the importer's 7 business
    days: counterfeits (133.21(b)) and piratical articles (133.42-133.43, CBP Dec. 24-03); restricted articles
    never (133.25 provides importation information and samples only)."""
    if d.restricted:
        return False
    return d.disclosed_at is not None


def holder_view(d: IprDetention, user: Actor) -> HolderView:
    unredacted = holder_unredacted(d)
    images: list[tuple[IprImage, bool]] = []
    withheld = 0
    for image in d.images.all():
        if unredacted:
            images.append((image, True))
        elif image.redacted and not d.restricted and not d.piratical:
            images.append((image, False))
        else:
            withheld += 1
    if d.sample_provided_on:
        sample = "provided"
    elif d.sample_requested_at:
        sample = "requested"
    else:
        sample = ""
    own = perms.recordations_of(user)
    return HolderView(
        limited=limited_info(d) if holder_sees_importation_info(d) else None,
        images=images,
        unredacted=unredacted,
        codes=list(d.codes) if unredacted and d.procedure == IprDetention.Procedure.COUNTERFEIT else None,
        seizure_info=seizure_info(d) if d.seizure_info_sent_on else None,
        sample=sample,
        responses=list(d.responses.filter(recordation__in=own).select_related("recordation")),
        withheld_images=withheld,
    )


def holder_may_see_image(d: IprDetention, image: IprImage, *, variant: str) -> bool:
    if variant == "image":
        return holder_unredacted(d)
    return bool(image.redacted) and d.procedure == IprDetention.Procedure.COUNTERFEIT
