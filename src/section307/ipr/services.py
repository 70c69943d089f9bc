"""Writes for recordations, rights-holder accounts and detentions of suspected counterfeit marks.

Each service checks who acts (object rules included), asks the lifecycle, writes an audit row and,
for anything shown to someone outside CBP, a ``Disclosure`` row. Periods come from ``ports.law``.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from section307.accounts.models import Organization, User
from section307.accounts.roles import RIGHTS_HOLDER
from section307.allegations.crypto import decrypt_bytes, encrypt_bytes
from section307.core.audit import actor_label, audit_record
from section307.core.errors import Conflict, InvalidInput, NotPermitted
from section307.core.types import Actor
from section307.ipr import permissions as perms
from section307.ipr import photostandard, redaction
from section307.ipr.lifecycle import machine_for
from section307.ipr.models import (
    Disclosure,
    HolderResponse,
    IprDetention,
    IprForfeitureStep,
    IprImage,
    Recordation,
)
from section307.ipr.selectors import (
    holder_sees_importation_info,
    ipr_clocks,
    pattern_kinds,
    period_ran_out,
    reply_window_closed,
)
from section307.ports import images as photo
from section307.ports import law
from section307.ports.calendars import business_calendar
from section307.ports.models import Detention, Entry, ForfeitureStep, Notice
from section307.ports.permissions import can_act_for_entry
from section307.ports.services._base import timeline_add
from section307.ports.services.forfeiture import forfeiture_step_apply
from section307.ports.services.notices import notice_create

CODE_KINDS = ("serial", "upc", "sku", "other")
R133_21 = "19 CFR 133.21"
R133_25 = "19 CFR 133.25"
R_PIRATICAL = law.R_PIRATICAL
P = IprDetention.Procedure
# The kind of recordation each procedure protects.
RECORDATION_KIND = {
    P.COUNTERFEIT: Recordation.Kind.TRADEMARK,
    P.COPYING: Recordation.Kind.TRADEMARK,
    P.GRAY_MARKET: Recordation.Kind.TRADEMARK,
    P.PIRATICAL: Recordation.Kind.COPYRIGHT,
}


def procedure_rule(detention: IprDetention) -> str:
    """The section of 19 CFR Part 133 the detention runs under."""
    if detention.piratical:
        return R_PIRATICAL
    return R133_25 if detention.restricted else R133_21


def _user(actor: Actor) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _require_officer(actor: Actor) -> None:
    if not perms.is_ipr_officer(actor):
        raise NotPermitted(_("only port officers decide on IPR detentions"))


def _text(value: str, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(_("%(what)s is required") % {"what": label}, field=field)
    return value


def _lock(detention: IprDetention) -> IprDetention:
    return IprDetention.objects.select_related("entry").select_for_update(of=("self",)).get(pk=detention.pk)


# -- recordations and rights-holder accounts -------------------------------------------------------------


@transaction.atomic
def recordation_create(
    *,
    actor: Actor,
    kind: str,
    number: str,
    title: str,
    owner: Organization,
    registration_number: str = "",
    goods: str = "",
    expires_on: dt.date | None = None,
) -> Recordation:
    if not getattr(actor, "is_authenticated", False) or not actor.has_perm("ipr.manage_recordation"):
        raise NotPermitted(_("only staff record trademarks and copyrights"))
    if kind not in Recordation.Kind.values:
        raise InvalidInput(
            _("kind must be one of %(kinds)s") % {"kinds": ", ".join(Recordation.Kind.values)}, field="kind"
        )
    number = _text(number, "number", _("the recordation number"))
    if Recordation.objects.filter(number__iexact=number).exists():
        raise Conflict(_("recordation %(number)s is already recorded") % {"number": number}, field="number")
    recordation = Recordation.objects.create(
        kind=kind,
        number=number,
        title=_text(title, "title", _("the mark or title")),
        owner=owner,
        registration_number=registration_number.strip(),
        goods=goods.strip(),
        expires_on=expires_on,
        created_by=_user(actor),
    )
    audit_record(actor=actor, action="ipr.recordation_create", target=recordation, data={"owner": owner.name})
    return recordation


@transaction.atomic
def rights_holder_account_create(
    *, actor: Actor, recordation: Recordation, username: str, email: str, first_name: str = "", last_name: str = ""
) -> tuple[User, str]:
    """A rights-holder account for ``recordation`` in its owner's organization; returns the user and a
    first password shown once (the holder changes it after signing in)."""
    if not getattr(actor, "is_authenticated", False) or not actor.has_perm("ipr.manage_recordation"):
        raise NotPermitted(_("only staff create rights-holder accounts"))
    username = _text(username, "username", _("the user name"))
    email = _text(email, "email", _("the e-mail address"))
    if "@" not in email:
        raise InvalidInput(_("the e-mail address needs an @"), field="email")
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict(_("the user name %(name)s is taken") % {"name": username}, field="username")
    password = secrets.token_urlsafe(12)
    user = User.objects.create_user(
        username=username,
        email=email,
        password=password,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        organization=recordation.owner,
    )
    user.groups.add(Group.objects.get(name=RIGHTS_HOLDER))
    recordation.holders.add(user)
    audit_record(
        actor=actor,
        action="ipr.holder_account_create",
        target=recordation,
        data={"username": username, "organization": recordation.owner.name},
    )
    return user, password


@transaction.atomic
def recordation_holder_add(*, actor: Actor, recordation: Recordation, user: User) -> None:
    """Give an existing rights-holder account of the owner's organization access to one more recordation."""
    if not getattr(actor, "is_authenticated", False) or not actor.has_perm("ipr.manage_recordation"):
        raise NotPermitted(_("only staff manage rights-holder accounts"))
    if user.organization_id != recordation.owner_id or not perms.is_rights_holder(user):
        raise InvalidInput(_("the account must be a rights holder of the recordation's owner"), field="user")
    recordation.holders.add(user)
    audit_record(actor=actor, action="ipr.holder_add", target=recordation, data={"username": user.username})


# -- detentions ------------------------------------------------------------------------------------------


def _check_codes(codes: Sequence[dict[str, str]]) -> list[dict[str, str]]:
    clean: list[dict[str, str]] = []
    for i, code in enumerate(codes):
        kind = str(code.get("kind", "")).strip().lower()
        value = str(code.get("value", "")).strip()
        if kind not in CODE_KINDS:
            raise InvalidInput(
                _("code %(n)d: kind must be one of %(kinds)s") % {"n": i + 1, "kinds": ", ".join(CODE_KINDS)},
                field=f"codes.{i}.kind",
            )
        if not value:
            raise InvalidInput(_("code %(n)d: the value is empty") % {"n": i + 1}, field=f"codes.{i}.value")
        clean.append({"kind": kind, "value": value[:100], "where": str(code.get("where", "")).strip()[:60]})
    return clean


def parse_codes(text: str) -> list[dict[str, str]]:
    """Codes typed one per line as ``kind: value`` (``UPC: 012345678905``); raises InvalidInput with the line."""
    codes = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        kind, sep, value = line.partition(":")
        if not sep or kind.strip().lower() not in CODE_KINDS or not value.strip():
            raise InvalidInput(f"line {n}: write 'kind: value' with kind one of {', '.join(CODE_KINDS)}", field="codes")
        codes.append({"kind": kind.strip().lower(), "value": value.strip()})
    return _check_codes(codes)


@transaction.atomic
def ipr_detain(
    *,
    actor: Actor,
    entry: Entry,
    recordations: Sequence[Recordation],
    reasons: str,
    decided_on: dt.date | None = None,
    codes: Sequence[dict[str, str]] = (),
    port_detention: Detention | None = None,
    procedure: str = IprDetention.Procedure.COUNTERFEIT,
) -> IprDetention:
    """Detain the entry's goods under ``procedure``: suspected counterfeit marks (19 CFR 133.21(b)),
    marks copying or simulating a recorded mark or gray-market goods (133.22, 133.23; detained under
    133.25), or suspected piratical copies of a recorded copyright (133.42-133.43)."""
    _require_officer(actor)
    if procedure not in P.values:
        raise InvalidInput(
            _("the procedure must be one of %(values)s") % {"values": ", ".join(P.values)}, field="procedure"
        )
    reasons = _text(reasons, "reasons", _("the reason for the detention"))
    if not recordations:
        raise InvalidInput(_("choose at least one recorded trademark or copyright"), field="recordations")
    inactive = [r.number for r in recordations if not r.active]
    if inactive:
        raise InvalidInput(
            _("recordation(s) %(numbers)s are not active") % {"numbers": ", ".join(inactive)}, field="recordations"
        )
    wanted = RECORDATION_KIND[P(procedure)]
    wrong = [r.number for r in recordations if r.kind != wanted]
    if wrong:
        raise InvalidInput(
            _("%(procedure)s protects recorded %(kind)s only: %(numbers)s")
            % {"procedure": P(procedure).label, "kind": wanted.label.lower(), "numbers": ", ".join(wrong)},
            field="recordations",
        )
    if IprDetention.objects.filter(entry=entry).exists():
        raise Conflict(_("entry %(entry)s already has an IPR detention") % {"entry": entry.entry_number})
    if port_detention is not None and port_detention.entry_id != entry.pk:
        raise InvalidInput(_("the port detention is of another entry"), field="port_detention")
    today = decided_on or timezone.localdate()
    lines = list(entry.lines.all())
    quantity = sum((Decimal(ln.quantity or 0) for ln in lines), Decimal(0))
    units = sorted({ln.quantity_unit for ln in lines if ln.quantity_unit})
    detention = IprDetention.objects.create(
        entry=entry,
        port_detention=port_detention,
        procedure=procedure,
        reasons=reasons,
        description="; ".join(ln.description for ln in lines if ln.description)[:4000] or "(not described)",
        # 960.000 reads 960: the normalised value, written without an exponent.
        quantity=f"{quantity.normalize():f} {'/'.join(units)}".strip() if lines else "",
        country_of_origin=", ".join(sorted({ln.country_of_origin for ln in lines if ln.country_of_origin})),
        codes=_check_codes(codes),
        presented_on=entry.presented_on or today,
        decided_on=today,
        detained_by=_user(actor),
    )
    detention.recordations.set(recordations)
    timeline_add(
        entry=entry,
        kind="ipr_detained",
        summary=f"IPR detention, {procedure_rule(detention)} ({', '.join(r.number for r in recordations)})",
        actor=actor,
        data={"ipr_detention": detention.pk},
        shared=False,
    )
    audit_record(
        actor=actor,
        action="ipr.detain",
        target=detention,
        data={
            "recordations": [r.number for r in recordations],
            "decided_on": today.isoformat(),
            "procedure": procedure,
        },
    )
    return detention


def _notify_importer(detention: IprDetention, *, kind: str, subject: str, body: str) -> None:
    if detention.entry.organization_id is not None:
        notice_create(
            organization=detention.entry.organization,  # type: ignore[arg-type]
            entry=detention.entry,
            kind=kind,
            subject=subject,
            body=body,
        )


@transaction.atomic
def ipr_notice_send(*, actor: Actor, detention: IprDetention, on: dt.date | None = None) -> IprDetention:
    """The notice to the importer: for counterfeits (19 CFR 133.21(b)(2)(i)(B)) and piratical articles
    (133.42-133.43, CBP Dec. 24-03) it starts the importer's 7 business days; for restricted articles (133.25(a))
    it says the 30 days to show an exception applies."""
    detention = _lock(detention)
    machine_for(detention).check("send_notice", state=detention.status, actor=actor)
    today = on or timezone.localdate()
    clocks = ipr_clocks(detention)
    notice_clock = clocks.get(law.RESTRICTED_NOTICE if detention.restricted else pattern_kinds(detention)[0])
    due = notice_clock.due if notice_clock is not None else None
    detention.status = IprDetention.Status.NOTICED
    detention.notice_sent_on = today
    detention.save(update_fields=["status", "notice_sent_on", "updated_at"])
    clocks = ipr_clocks(detention)
    if detention.restricted:
        reply_due = decision_due = clocks[law.RESTRICTED_DETENTION].due
    else:
        _notice, reply, decision, _seizure = pattern_kinds(detention)
        reply_due = clocks[reply].due
        decision_due = clocks[decision].due
    _notify_importer(
        detention,
        kind=Notice.Kind.DETENTION,
        subject=f"IPR detention ({procedure_rule(detention)}): entry {detention.entry.entry_number}",
        body=render_to_string(
            "ipr/notice_detention.txt",
            {"detention": detention, "reply_due": reply_due, "decision_due": decision_due},
        ),
    )
    timeline_add(
        entry=detention.entry,
        kind="ipr_notice",
        summary=f"Notice of IPR detention sent ({procedure_rule(detention)}); the importer's answer due "
        f"{reply_due:%Y-%m-%d}",
        actor=actor,
        data={"reply_due": reply_due.isoformat() if reply_due else None},
        shared=True,
    )
    audit_record(
        actor=actor,
        action="ipr.notice_send",
        target=detention,
        data={"on": today.isoformat(), "due": due.isoformat() if due else None, "late": bool(due and today > due)},
    )
    return detention


@transaction.atomic
def ipr_importer_reply(*, actor: Actor, detention: IprDetention, text: str) -> IprDetention:
    """The importer's answer to the notice: information that the goods are not counterfeit (19 CFR
    133.21(b)), or not piratical articles (133.42-133.43, CBP Dec. 24-03); or that an exception of 133.22(c) or
    133.23(d) applies (133.25(a)). The officer reads it and releases or discloses."""
    if not can_act_for_entry(actor, detention.entry):
        raise NotPermitted(_("only the importer of record (or its broker) answers the notice"))
    text = _text(text, "text", _("the information"))
    detention = _lock(detention)
    if detention.status != IprDetention.Status.NOTICED:
        raise Conflict(_("the notice is not open for an answer"), rule=procedure_rule(detention))
    today = timezone.localdate()
    late = period_ran_out(detention, today=today)
    detention.importer_reply = text[:20000]
    detention.importer_reply_on = today
    detention.save(update_fields=["importer_reply", "importer_reply_on", "updated_at"])
    timeline_add(
        entry=detention.entry,
        kind="ipr_reply",
        summary="The importer sent information on the goods" + (" (after the period)" if late else ""),
        actor=actor,
        shared=True,
    )
    audit_record(actor=actor, action="ipr.importer_reply", target=detention, data={"late": late})
    return detention


@transaction.atomic
def ipr_disclose(*, actor: Actor | None, detention: IprDetention, now: dt.datetime | None = None) -> IprDetention:
    """Open the unredacted disclosure to the rights holder: images, codes, samples on bond.

    Only after the importer's 7 business days from the notice (19 CFR 133.21(b); for piratical articles
    133.42-133.43 as amended by CBP Dec. 24-03), and only with every required shot type of the photo standard
    on file.
    """
    detention = _lock(detention)
    machine_for(detention).check("disclose", state=detention.status, actor=actor)
    now = now or timezone.now()
    today = timezone.localdate(now)
    if not reply_window_closed(detention, today=today):
        reply = pattern_kinds(detention)[1]
        due = law.due_date(reply, detention.notice_sent_on, business=business_calendar())  # type: ignore[arg-type]
        raise Conflict(
            _(
                "the importer has until %(due)s to answer the notice; unredacted information "
                "may be disclosed only after that"
            )
            % {"due": due.isoformat()},
            rule=law.rule(reply).citation,
            code="importer_window_open",
        )
    missing = photostandard.missing_shots(detention.images.values_list("shot_type", flat=True))
    if missing:
        raise Conflict(
            _("photos required by the photo standard are missing: %(shots)s")
            % {"shots": ", ".join(str(s.label) for s in missing)},
            rule="IPR photo standard",
            code="photos_missing",
        )
    detention.status = IprDetention.Status.DISCLOSED
    detention.disclosed_at = now
    detention.save(update_fields=["status", "disclosed_at", "updated_at"])
    audit_record(
        actor=actor,
        action="ipr.disclose",
        target=detention,
        data={"importer_replied": bool(detention.importer_reply_on)},
    )
    return detention


def image_add(
    *,
    actor: Actor,
    detention: IprDetention,
    data: bytes,
    shot_type: str,
    caption: str,
    override_reason: str = "",
) -> IprImage:
    """A photo of the detained goods, checked against the photo standard and stored encrypted."""
    _require_officer(actor)
    if shot_type not in {s.key for s in photostandard.SHOT_TYPES}:
        raise InvalidInput(
            _("choose the shot type: %(shots)s") % {"shots": ", ".join(str(s.label) for s in photostandard.SHOT_TYPES)},
            field="shot_type",
        )
    caption = _text(caption, "caption", _("a caption (what the photo shows)"))
    report, upright = photo.assess(data)  # raises ImageRejected (an UploadRejected) for unusable files
    if not report.passed and not override_reason.strip():
        raise InvalidInput(
            _("the photo is below the standard: %(problems)s. Retake it, or give a reason to keep it.")
            % {"problems": "; ".join(report.problems)},
            field="image",
            code="below_standard",
        )
    encoded = photo.encode_jpeg(upright)
    return _image_store(
        actor=actor,
        detention=detention,
        encoded=encoded,
        report=report,
        shot_type=shot_type,
        caption=caption,
        override_reason=override_reason,
    )


@transaction.atomic
def _image_store(
    *,
    actor: Actor,
    detention: IprDetention,
    encoded: bytes,
    report: photo.ImageReport,
    shot_type: str,
    caption: str,
    override_reason: str,
) -> IprImage:
    detention = _lock(detention)
    if not detention.is_open:
        raise Conflict(_("the detention is closed; no more photos"))
    image = IprImage(
        detention=detention,
        shot_type=shot_type,
        caption=caption[:300],
        width=report.width,
        height=report.height,
        sha256=photo.sha256(encoded),
        checks=report.as_dict(),
        passed=report.passed,
        override_reason="" if report.passed else override_reason.strip(),
        uploaded_by=_user(actor),
    )
    image.image.save("photo.bin", ContentFile(encrypt_bytes(encoded)), save=False)
    image.save()
    audit_record(actor=actor, action="ipr.image_add", target=detention, data={"image": image.pk, "shot": shot_type})
    return image


def image_bytes(image: IprImage, *, variant: str = "image") -> bytes:
    field = image.redacted if variant == "redacted" else image.image
    with field.open("rb") as fh:
        return decrypt_bytes(fh.read())


@transaction.atomic
def image_redact(*, actor: Actor, image: IprImage, boxes: list[redaction.Box], style: str = "blur") -> IprImage:
    """The redacted copy the rights holder gets before the importer's window closes; the original stays."""
    _require_officer(actor)
    if style not in ("blur", "box"):
        raise InvalidInput(_("style must be blur or box"), field="style")
    try:
        checked = [redaction.check_box(b) for b in boxes]
        redacted = redaction.redact_jpeg(image_bytes(image), checked, style=style)
    except ValueError as exc:
        raise InvalidInput(str(exc), field="boxes") from None
    image.redaction_boxes = [list(b) for b in checked]
    image.redacted.save("redacted.bin", ContentFile(encrypt_bytes(redacted)), save=False)
    image.save(update_fields=["redacted", "redaction_boxes"])
    audit_record(
        actor=actor,
        action="ipr.image_redact",
        target=image.detention,
        data={"image": image.pk, "boxes": image.redaction_boxes, "style": style},
    )
    return image


# -- disclosures -----------------------------------------------------------------------------------------


def disclosure_log(
    *,
    actor: Actor,
    detention: IprDetention,
    what: str,
    recipient_kind: str,
    channel: str,
    image: IprImage | None = None,
) -> Disclosure:
    """Write one disclosure row and its audit row (the actor is the person shown the information)."""
    rules: dict[str, str] = {
        # Before the notice at the latest: date, port, description, quantity, origin; redacted images.
        Disclosure.What.LIMITED: "19 CFR 133.21(b)",
        Disclosure.What.REDACTED_IMAGE: "19 CFR 133.21(b)",
        # To the mark owner after the importer's 7 business days; to the importer at any time.
        Disclosure.What.UNREDACTED_IMAGE: "19 CFR 133.21(b)",
        Disclosure.What.CODES: "19 CFR 133.21(b)",
        Disclosure.What.SAMPLE: "19 CFR 133.21(b)",
        Disclosure.What.SEIZURE_INFO: "19 CFR 133.21(e)",
    }
    rule = rules[what]
    if detention.piratical:
        rule = R_PIRATICAL
    elif detention.restricted:
        rule = "19 CFR 133.25(b)"
    with transaction.atomic():
        row = Disclosure.objects.create(
            detention=detention,
            what=what,
            image=image,
            recipient_kind=recipient_kind,
            recipient=_user(actor),
            recipient_label=actor_label(actor)[:200],
            organization=getattr(actor, "organization", None),
            rule=rule,
            channel=channel,
        )
        audit_record(
            actor=actor,
            action="ipr.disclosure",
            target=detention,
            data={"what": what, "image": image.pk if image else None, "to": recipient_kind, "channel": channel},
        )
    return row


def holder_views_detention(*, actor: Actor, detention: IprDetention, channel: str) -> None:
    """Log what a rights holder was shown by opening the detention (page or API)."""
    if holder_sees_importation_info(detention):
        disclosure_log(
            actor=actor, detention=detention, what=Disclosure.What.LIMITED, recipient_kind=HOLDER, channel=channel
        )
    # Codes on the goods and packaging: 133.21(b) only; the piratical rule discloses images and samples.
    if detention.disclosed_at is not None and detention.codes and detention.procedure == P.COUNTERFEIT:
        disclosure_log(
            actor=actor, detention=detention, what=Disclosure.What.CODES, recipient_kind=HOLDER, channel=channel
        )
    if detention.seizure_info_sent_on is not None:
        disclosure_log(
            actor=actor, detention=detention, what=Disclosure.What.SEIZURE_INFO, recipient_kind=HOLDER, channel=channel
        )


HOLDER = Disclosure.Recipient.RIGHTS_HOLDER
IMPORTER = Disclosure.Recipient.IMPORTER


# -- the rights holder's answer, samples, decisions ------------------------------------------------------


@transaction.atomic
def holder_respond(
    *, actor: Actor, detention: IprDetention, answer: str, note: str = "", recordation: Recordation | None = None
) -> HolderResponse:
    """The rights holder's answer: genuine, counterfeit, or a sample is needed to tell."""
    own = perms.recordations_of(actor)
    concerned = detention.recordations.filter(pk__in=own)
    if not concerned.exists():
        raise NotPermitted(_("only a rights holder of a recordation this detention concerns may answer"))
    if recordation is None:
        recordation = concerned.first()
    elif not concerned.filter(pk=recordation.pk).exists():
        raise InvalidInput(_("the recordation is not one of yours on this detention"), field="recordation")
    if answer not in HolderResponse.Answer.values:
        raise InvalidInput(
            _("answer must be one of %(answers)s") % {"answers": ", ".join(HolderResponse.Answer.values)},
            field="answer",
        )
    detention = _lock(detention)
    open_for_answer = (
        (IprDetention.Status.DETAINED, IprDetention.Status.NOTICED)
        if detention.restricted
        else (IprDetention.Status.NOTICED, IprDetention.Status.DISCLOSED)
    )
    if detention.status not in open_for_answer:
        raise Conflict(_("this detention is not awaiting the rights holder's answer"), rule=procedure_rule(detention))
    # Restricted articles: the owner's view helps CBP decide at any time before the decision (133.25(b)-(c)).
    if not detention.restricted and answer != HolderResponse.Answer.NEEDS_SAMPLE and detention.disclosed_at is None:
        raise Conflict(
            _(
                "answer genuine or counterfeit once the unredacted images are disclosed; "
                "until then you may ask for a sample"
            ),
            rule=law.rule(pattern_kinds(detention)[1]).citation,
            code="not_disclosed_yet",
        )
    response = HolderResponse.objects.create(
        detention=detention,
        recordation=recordation,  # type: ignore[misc]
        answer=answer,
        note=note.strip()[:4000],
        responded_by=_user(actor),
    )
    if answer == HolderResponse.Answer.NEEDS_SAMPLE and detention.sample_requested_at is None:
        detention.sample_requested_at = timezone.now()
        detention.save(update_fields=["sample_requested_at", "updated_at"])
    audit_record(
        actor=actor,
        action="ipr.holder_response",
        target=detention,
        data={"answer": answer, "recordation": recordation.number},  # type: ignore[union-attr]
    )
    return response


@transaction.atomic
def sample_provide(
    *, actor: Actor, detention: IprDetention, bond_reference: str, on: dt.date | None = None
) -> IprDetention:
    """A sample to the rights holder on a bond: for counterfeits (19 CFR 133.21(b)) and piratical articles
    (133.42-133.43, CBP Dec. 24-03) once disclosure is open; for restricted articles from presentation until
    seizure (133.25(c))."""
    _require_officer(actor)
    bond_reference = _text(bond_reference, "bond_reference", _("the bond reference"))
    detention = _lock(detention)
    rule = SAMPLE_RULE[P(detention.procedure)]
    if detention.status not in SAMPLE_STATES[P(detention.procedure)]:
        raise Conflict(SAMPLE_REFUSAL[P(detention.procedure)], rule=rule)
    detention.sample_bond_reference = bond_reference[:60]
    detention.sample_provided_on = on or timezone.localdate()
    detention.save(update_fields=["sample_bond_reference", "sample_provided_on", "updated_at"])
    for owner in {r.owner for r in detention.recordations.all()}:
        Disclosure.objects.create(
            detention=detention,
            what=Disclosure.What.SAMPLE,
            recipient_kind=HOLDER,
            recipient=None,
            recipient_label=owner.name[:200],
            organization=owner,
            rule=rule,
            channel="sample",
        )
    audit_record(actor=actor, action="ipr.sample_provide", target=detention, data={"bond": bond_reference})
    return detention


_ST = IprDetention.Status
SAMPLE_RULE = {
    P.COUNTERFEIT: "19 CFR 133.21(b)",
    P.COPYING: "19 CFR 133.25(c)",
    P.GRAY_MARKET: "19 CFR 133.25(c)",
    P.PIRATICAL: R_PIRATICAL,
}
SAMPLE_STATES = {
    P.COUNTERFEIT: (_ST.DISCLOSED,),
    P.COPYING: (_ST.DETAINED, _ST.NOTICED),
    P.GRAY_MARKET: (_ST.DETAINED, _ST.NOTICED),
    P.PIRATICAL: (_ST.DISCLOSED,),
}
SAMPLE_REFUSAL = {
    P.COUNTERFEIT: _lazy("a sample goes to the rights holder only after the importer's 7 business days"),
    P.COPYING: _lazy("a sample goes to the mark owner before seizure only"),
    P.GRAY_MARKET: _lazy("a sample goes to the mark owner before seizure only"),
    P.PIRATICAL: _lazy("a sample goes to the rights holder only after the importer's 7 business days"),
}

OUTCOMES = {"release": IprDetention.Status.RELEASED, "seize": IprDetention.Status.SEIZED}


def _check_decision(detention: IprDetention, outcome: str, today: dt.date) -> None:
    """The procedure's own conditions on a decision, beyond its lifecycle table."""
    if outcome != "seize":
        return
    clocks = ipr_clocks(detention)
    if detention.restricted:
        due = clocks[law.RESTRICTED_DETENTION].due
        if due is not None and today <= due:
            raise Conflict(
                _("the importer may show until %(due)s that an exception applies; seize only after that")
                % {"due": due.isoformat()},
                rule="19 CFR 133.25(a)",
                code="restricted_period_running",
            )


@transaction.atomic
def ipr_decide(
    *, actor: Actor, detention: IprDetention, outcome: str, reason: str, on: dt.date | None = None
) -> IprDetention:
    """Release the goods or seize them as counterfeit; the importer is told the decision."""
    _require_officer(actor)
    if outcome not in OUTCOMES:
        raise InvalidInput(_("the decision is release or seize"), field="outcome")
    reason = _text(reason, "reason", _("the reason for the decision"))
    detention = _lock(detention)
    machine_for(detention).check(outcome, state=detention.status, actor=actor)
    today = on or timezone.localdate()
    _check_decision(detention, outcome, today)
    detention.status = OUTCOMES[outcome]
    detention.decision_on = today
    detention.decision_reason = reason
    if outcome == "seize":
        detention.seized_on = today
    detention.save(update_fields=["status", "decision_on", "decision_reason", "seized_on", "updated_at"])
    clocks = ipr_clocks(detention)
    decision_clock = clocks.get(law.RESTRICTED_DETENTION if detention.restricted else pattern_kinds(detention)[2])
    _notify_importer(
        detention,
        kind=Notice.Kind.DECISION,
        subject=f"Decision on the IPR detention of entry {detention.entry.entry_number}: "
        + str(IprDetention.Status(detention.status).label),
        body=render_to_string("ipr/notice_decision.txt", {"detention": detention, "outcome": outcome}),
    )
    timeline_add(
        entry=detention.entry,
        kind=f"ipr_{outcome}",
        summary=f"IPR detention decided: {IprDetention.Status(detention.status).label}",
        actor=actor,
        data={"reason": reason},
        shared=True,
    )
    audit_record(
        actor=actor,
        action=f"ipr.{outcome}",
        target=detention,
        data={
            "on": today.isoformat(),
            "late": bool(decision_clock and decision_clock.due and today > decision_clock.due),
            "procedure": detention.procedure,
        },
    )
    return detention


@transaction.atomic
def seizure_info_send(*, actor: Actor, detention: IprDetention, on: dt.date | None = None) -> IprDetention:
    """The owner is given the seizure information: 19 CFR 133.21(e) for counterfeit marks, 133.42-133.43 (CBP
    Dec. 24-03) for piratical articles (periods in ``ports.law``; their lengths are settings, UNCONFIRMED)."""
    _require_officer(actor)
    detention = _lock(detention)
    rule = R_PIRATICAL if detention.piratical else "19 CFR 133.21(e)"
    if detention.restricted:
        raise Conflict(_("19 CFR 133.25 provides no information after seizure"), rule=R133_25)
    if detention.status != IprDetention.Status.SEIZED:
        raise Conflict(_("the information follows a seizure"), rule=rule)
    if detention.seizure_info_sent_on is not None:
        raise Conflict(_("the information was already given"), rule=rule)
    detention.seizure_info_sent_on = on or timezone.localdate()
    detention.save(update_fields=["seizure_info_sent_on", "updated_at"])
    for owner in {r.owner for r in detention.recordations.all()}:
        Disclosure.objects.create(
            detention=detention,
            what=Disclosure.What.SEIZURE_INFO,
            recipient_kind=HOLDER,
            recipient=None,
            recipient_label=owner.name[:200],
            organization=owner,
            rule=rule,
            channel="release",
        )
    audit_record(
        actor=actor,
        action="ipr.seizure_info",
        target=detention,
        data={"on": detention.seizure_info_sent_on.isoformat()},
    )
    return detention


# -- daily --------------------------------------------------------------------------------------------


def detentions_tick(*, today: dt.date | None = None) -> dict[str, int]:
    """Daily: open disclosure where the importer's window ran out without an answer, and record as
    excluded the goods with no decision within 30 days of presentation."""
    today = today or timezone.localdate()
    business = business_calendar()
    disclosed = excluded = 0
    # The 133.21 pattern: counterfeit marks, and piratical articles under 133.42-133.43 as amended by CBP Dec. 24-03.
    counterfeit = IprDetention.objects.filter(procedure__in=(P.COUNTERFEIT, P.PIRATICAL))
    for d in counterfeit.filter(status=IprDetention.Status.NOTICED, importer_reply_on__isnull=True):
        if reply_window_closed(d, today=today, business=business) and not photostandard.missing_shots(
            d.images.values_list("shot_type", flat=True)
        ):
            ipr_disclose(actor=None, detention=d)
            disclosed += 1
    # 19 U.S.C. 1499(c) through 133.21(b)(1) and 133.42-133.43 (CBP Dec. 24-03); not 133.25 (151.16(a) leaves it out).
    for d in counterfeit.filter(
        status__in=[IprDetention.Status.DETAINED, IprDetention.Status.NOTICED, IprDetention.Status.DISCLOSED]
    ):
        due = law.due_date(pattern_kinds(d)[2], d.presented_on, business=business)
        if today > due:
            _exclude(d, due)
            excluded += 1
    return {"disclosed": disclosed, "excluded": excluded}


@transaction.atomic
def _exclude(detention: IprDetention, due: dt.date) -> None:
    detention = _lock(detention)
    machine_for(detention).check("exclude", state=detention.status, actor=None)
    detention.status = IprDetention.Status.EXCLUDED
    detention.decision_on = due + dt.timedelta(days=1)
    detention.decision_reason = "No decision within 30 days of presentation (19 U.S.C. 1499(c))"
    detention.save(update_fields=["status", "decision_on", "decision_reason", "updated_at"])
    _notify_importer(
        detention,
        kind=Notice.Kind.DECISION,
        subject=f"Goods excluded: IPR detention of entry {detention.entry.entry_number}",
        body=render_to_string("ipr/notice_decision.txt", {"detention": detention, "outcome": "exclude"}),
    )
    timeline_add(entry=detention.entry, kind="ipr_exclude", summary=detention.decision_reason, shared=True)
    audit_record(actor=None, action="ipr.exclude", target=detention, data={"due": due.isoformat()})


# -- restricted articles (19 CFR 133.25) ------------------------------------------------------------------

MAX_EXTENSION_DAYS = 90


@transaction.atomic
def restricted_extend(*, actor: Actor, detention: IprDetention, days: int, reason: str) -> IprDetention:
    """An extension of the 30 days of 19 CFR 133.25(a), "freely granted for good cause shown": the
    reason is the cause; the importer is told the new end."""
    _require_officer(actor)
    reason = _text(reason, "reason", _("the good cause shown"))
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise InvalidInput(
            _("an extension is 1 to %(max)d days") % {"max": MAX_EXTENSION_DAYS}, field="days", rule=R133_25
        )
    detention = _lock(detention)
    if not detention.restricted:
        raise Conflict(_("only the 30 days of 19 CFR 133.25 may be extended"), rule=R133_21, code="not_extendable")
    if not detention.is_open:
        raise Conflict(_("the detention is closed"), rule=R133_25)
    detention.extension_days += days
    detention.save(update_fields=["extension_days", "updated_at"])
    due = ipr_clocks(detention)[law.RESTRICTED_DETENTION].due
    summary = f"Detention extended by {days} days for good cause (19 CFR 133.25(a)) to {due:%Y-%m-%d}: {reason}"
    _notify_importer(
        detention,
        kind=Notice.Kind.CLOCK,
        subject=f"IPR detention extended: entry {detention.entry.entry_number}",
        body=summary,
    )
    timeline_add(entry=detention.entry, kind="ipr_extend", summary=summary, actor=actor, shared=True)
    audit_record(
        actor=actor,
        action="ipr.extend",
        target=detention,
        data={"days": days, "reason": reason, "due": due.isoformat() if due else None},
    )
    return detention


def _owners_shown(detention: IprDetention, *, what: str, rule: str, channel: str) -> None:
    for owner in {r.owner for r in detention.recordations.all()}:
        Disclosure.objects.create(
            detention=detention,
            what=what,
            recipient_kind=HOLDER,
            recipient=None,
            recipient_label=owner.name[:200],
            organization=owner,
            rule=rule,
            channel=channel,
        )


@transaction.atomic
def restricted_owner_info_send(*, actor: Actor, detention: IprDetention, on: dt.date | None = None) -> IprDetention:
    """19 CFR 133.25(b): once the notice of detention is issued, the mark owner is given the date of
    importation, port, description, quantity and country of origin, within 30 business days of detention."""
    _require_officer(actor)
    detention = _lock(detention)
    if not detention.restricted:
        raise Conflict(_("this step belongs to 19 CFR 133.25"), rule=R133_25)
    if detention.notice_sent_on is None:
        raise Conflict(_("send the notice of detention first"), rule="19 CFR 133.25(b)", code="notice_first")
    if detention.owner_info_sent_on is not None:
        raise Conflict(_("the information was already given"), rule="19 CFR 133.25(b)")
    detention.owner_info_sent_on = on or timezone.localdate()
    detention.save(update_fields=["owner_info_sent_on", "updated_at"])
    _owners_shown(detention, what=Disclosure.What.LIMITED, rule="19 CFR 133.25(b)", channel="release")
    due = ipr_clocks(detention)[law.RESTRICTED_INFO].due
    audit_record(
        actor=actor,
        action="ipr.owner_info",
        target=detention,
        data={
            "on": detention.owner_info_sent_on.isoformat(),
            "late": bool(due and detention.owner_info_sent_on > due),
        },
    )
    return detention


# -- forfeiture after an IPR seizure ----------------------------------------------------------------------


@transaction.atomic
def ipr_forfeiture_record(
    *,
    actor: Actor,
    detention: IprDetention,
    step: str,
    on: dt.date | None = None,
    note: str = "",
    amount: Decimal | None = None,
) -> IprForfeitureStep:
    """A step of the forfeiture after an IPR seizure (Part 162 subpart E, Part 171): notice of seizure
    (starts the 30-day petition, 19 CFR 171.2), publication (starts the 20-day claim and cost bond,
    162.45), petition, claim and bond, decision. The port's forfeiture rules and clocks apply as they do
    after a seizure under a Finding."""
    _require_officer(actor)
    detention = _lock(detention)
    if detention.status != IprDetention.Status.SEIZED:
        raise Conflict(_("forfeiture follows a seizure"), rule="19 CFR Part 162 subpart E")
    port = getattr(detention.entry, "detention", None)
    if port is not None and port.forfeiture_steps.exists():
        raise Conflict(
            _("the entry's forfeiture is already recorded on its port detention"), rule="19 CFR Part 162 subpart E"
        )
    today = on or timezone.localdate()
    done = set(detention.forfeiture_steps.values_list("step", flat=True))
    late = forfeiture_step_apply(
        entry=detention.entry, detention=detention.port_detention, step=step, on=today, done=done, amount=amount
    )
    recorded = IprForfeitureStep.objects.create(
        detention=detention, step=step, on=today, note=note.strip() + late, amount=amount, actor=_user(actor)
    )
    label = ForfeitureStep.Step(step).label
    timeline_add(
        entry=detention.entry,
        kind=f"ipr_forfeiture.{step}",
        summary=f"{label}: {today:%Y-%m-%d}{late}",
        actor=actor,
        shared=True,
    )
    audit_record(actor=actor, action="ipr.forfeiture", target=detention, data={"step": step, "on": today.isoformat()})
    return recorded
