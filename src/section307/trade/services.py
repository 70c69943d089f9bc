"""Writes for the importer portal. Each function is one transaction, takes the actor and audits.

Nothing uploaded is ever deleted: documents accumulate on a request, and each submission freezes
the statement and the document set as a numbered version.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from section307.allegations.crypto import encrypt_bytes
from section307.core.audit import audit_record
from section307.core.errors import InvalidInput
from section307.core.lifecycle import TransitionNotAllowed
from section307.core.types import Actor, signed_in
from section307.orders.models import EnforcementOrder, OrderType
from section307.ports.models import Detention, DetentionDecision, Notice
from section307.ports.permissions import can_act_for_detention, is_trade_user
from section307.ports.regimes import REQUEST_KINDS_FOR_REGIME
from section307.ports.services import detention_mark_submitted, notice_create, timeline_add
from section307.trade.checklists import CATEGORIES, CHANGE_GROUNDS, CHECKLISTS, ILO_INDICATORS, Item
from section307.trade.lifecycle import REQUEST_LIFECYCLE
from section307.trade.models import (
    DETENTION_KINDS,
    ORDER_KINDS,
    RequestDocument,
    RequestKind,
    RequestMessage,
    RequestVersion,
    TradeRequest,
)
from section307.trade.permissions import can_edit_request
from section307.trade.uploads import UploadRejected, check_document


class TradeError(InvalidInput, ValueError):
    """A portal action the rules refuse; ``field`` names the form field at fault when there is one."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message, field=field or None)
        self.field = field


def _move(request: TradeRequest, transition: str, actor: Actor) -> None:
    """Set the request's status through ``REQUEST_LIFECYCLE`` (the caller saves)."""
    try:
        step = REQUEST_LIFECYCLE.check(transition, state=request.status, actor=actor)
    except TransitionNotAllowed as exc:
        raise TradeError(str(exc)) from None
    request.status = step.target


def _petition_answer(*, actor: Actor, petition_id: int, answer: str) -> None:
    try:
        from section307.cases.models import OrderChangeRequest
        from section307.cases.services import petition_answer
    except ImportError:
        return
    petition = OrderChangeRequest.objects.filter(pk=petition_id, status="info_requested").first()
    if petition is not None:
        petition_answer(actor=actor, petition=petition, answer=answer)


def _orgs(actor: Actor, request: TradeRequest) -> dict[str, str]:
    """Both organizations for the audit trail: who acted, and for whom."""
    return {
        "acting_organization": getattr(getattr(actor, "organization", None), "name", ""),
        "for_organization": request.organization.name,
    }


def _editable(actor: Actor, request: TradeRequest) -> None:
    if not can_edit_request(actor, request):
        raise PermissionDenied(gettext("This request belongs to another organization."))
    if not request.is_open:
        raise TradeError(
            gettext("the request is %(value)s and can no longer change")
            % {"value": request.get_status_display().lower()}
        )


@transaction.atomic
def request_create(
    *, actor: Actor, kind: str, detention: Detention | None = None, order: EnforcementOrder | None = None
) -> TradeRequest:
    if not is_trade_user(actor):
        raise PermissionDenied(gettext("Only trade users of an organization may open requests."))
    if kind not in RequestKind.values:
        raise TradeError(gettext("choose a request type"), "kind")
    if kind in DETENTION_KINDS:
        if detention is None or not can_act_for_detention(actor, detention):
            raise TradeError(gettext("choose one of your organization's detentions"), "detention")
        if kind not in REQUEST_KINDS_FOR_REGIME[detention.regime]:
            raise TradeError(
                gettext("a %(label)s does not apply to a %(regime)s detention")
                % {"label": RequestKind(kind).label, "regime": detention.get_regime_display()},
                "kind",
            )
        if not detention.is_open:
            raise TradeError(gettext("the detention has been decided"), "detention")
        if (
            TradeRequest.objects.filter(detention=detention, kind=kind)
            .exclude(status__in=[TradeRequest.Status.WITHDRAWN])
            .exists()
        ):
            raise TradeError(
                gettext("a request of this type already exists for this detention; add to it instead"), "kind"
            )
        order = detention.order
    else:
        if order is None or order.order_type not in (OrderType.WRO, OrderType.FINDING):
            raise TradeError(gettext("choose the WRO or Finding to modify or revoke"), "order")
        if not order.is_enforced:
            raise TradeError(gettext("%(reference)s is not in force") % {"reference": order.reference}, "order")
        detention = None
    # A broker files for the importer of record: the request is the importer's, filed by the broker.
    for_org = detention.entry.organization if detention is not None and detention.entry.organization else None
    own_org = actor.organization
    if own_org is None:  # is_trade_user has checked; this keeps the rule visible to the type checker
        raise PermissionDenied("Only trade users of an organization may open requests.")
    request = TradeRequest.objects.create(
        organization=for_org or own_org,
        acting_organization=own_org,
        kind=kind,
        detention=detention,
        order=order,
        created_by=actor,
    )
    audit_record(
        actor=actor, action="trade_request.create", target=request, data={"kind": kind, **_orgs(actor, request)}
    )
    return request


@transaction.atomic
def request_update(
    *,
    actor: Actor,
    request: TradeRequest,
    statement: str,
    ilo_answers: dict[str, str] | None = None,
    grounds: str = "",
    proposed_change: str = "",
) -> TradeRequest:
    request = TradeRequest.objects.select_for_update().get(pk=request.pk)
    _editable(actor, request)
    request.statement = statement.strip()
    fields = ["statement", "updated_at"]
    if request.kind in ORDER_KINDS:
        if grounds and grounds not in CHANGE_GROUNDS:
            raise TradeError(gettext("choose one of the grounds"), "grounds")
        known = {key for key, _ in ILO_INDICATORS}
        request.ilo_answers = {k: v.strip() for k, v in (ilo_answers or {}).items() if k in known and v.strip()}
        request.grounds = grounds
        request.proposed_change = proposed_change.strip()
        fields += ["ilo_answers", "grounds", "proposed_change"]
    request.save(update_fields=fields)
    audit_record(actor=actor, action="trade_request.update", target=request, data=_orgs(actor, request))
    return request


@transaction.atomic
def document_add(
    *,
    actor: Actor,
    request: TradeRequest,
    data: bytes,
    name: str,
    category: str,
    language: str = "en",
    tier: int | None = None,
    translation_of: RequestDocument | None = None,
    description: str = "",
) -> RequestDocument:
    """Store a document after checking its real type and size; a bad file changes nothing."""
    request = TradeRequest.objects.select_for_update().get(pk=request.pk)
    _editable(actor, request)
    if category not in CATEGORIES:
        raise TradeError(gettext("choose what the document is"), "category")
    language = (language or "en").strip().lower()[:12]
    if not language.replace("-", "").isalpha():
        raise TradeError(gettext("give the document's language as a code such as en, zh or ms"), "language")
    if category == "translation":
        if translation_of is None or translation_of.request_id != request.pk:
            raise TradeError(gettext("choose the document this translates"), "translation_of")
        if not language.startswith("en"):
            raise TradeError(gettext("a translation must be in English"), "language")
    elif translation_of is not None:
        raise TradeError(gettext("only a translation can point to another document"), "translation_of")
    if tier is not None and not 1 <= tier <= 20:
        raise TradeError(gettext("the tier is a number from 1 (direct supplier) to 20"), "tier")
    try:
        checked = check_document(data, name)
    except UploadRejected as exc:
        raise TradeError(str(exc), "file") from None
    doc = RequestDocument(
        request=request,
        category=category,
        tier=tier,
        original_name=name[:255],
        content_type=checked.mime_type,
        size=checked.size,
        sha256=checked.sha256,
        language=language,
        translation_of=translation_of,
        description=description.strip()[:300],
        uploaded_by=signed_in(actor),
    )
    doc.file.save("document.bin", ContentFile(encrypt_bytes(data)), save=False)
    doc.save()
    audit_record(
        actor=actor,
        action="trade_document.add",
        target=doc,
        data={"sha256": checked.sha256, "category": category, **_orgs(actor, request)},
    )
    return doc


@dataclass
class ChecklistRow:
    item: Item
    documents: list[RequestDocument]

    @property
    def satisfied(self) -> bool:
        return bool(self.documents)


def checklist(request: TradeRequest) -> list[ChecklistRow]:
    docs = list(request.documents.all())
    return [ChecklistRow(item, [d for d in docs if d.category == item.category]) for item in CHECKLISTS[request.kind]]


def untranslated(request: TradeRequest) -> list[RequestDocument]:
    docs = list(request.documents.all())
    translated = {d.translation_of_id for d in docs if d.category == "translation"}
    return [d for d in docs if not d.language.startswith("en") and d.pk not in translated]


def submission_problems(request: TradeRequest) -> list[str]:
    problems = [
        gettext("missing: %(item)s") % {"item": row.item.label}
        for row in checklist(request)
        if row.item.required and not row.satisfied
    ]
    problems += [
        gettext("%(name)s is in '%(language)s' and has no English translation attached")
        % {"name": d.original_name, "language": d.language}
        for d in untranslated(request)
    ]
    if request.kind in DETENTION_KINDS and not request.statement.strip():
        problems.append(gettext("the statement is empty"))
    if request.kind in ORDER_KINDS:
        if not request.grounds:
            problems.append(gettext("choose the grounds for the request"))
        missing = [str(label) for key, label in ILO_INDICATORS if not request.ilo_answers.get(key)]
        if missing:
            problems.append(
                gettext("answer every ILO indicator (missing: %(labels)s)") % {"labels": ", ".join(missing)}
            )
        if request.kind == RequestKind.ORDER_MODIFICATION and not request.proposed_change.strip():
            problems.append(gettext("say how the order should be modified"))
    return problems


@transaction.atomic
def request_submit(*, actor: Actor, request: TradeRequest) -> RequestVersion:
    """Freeze the package as a new version and send it to the port (or to the order's case)."""
    request = TradeRequest.objects.select_for_update().get(pk=request.pk)
    _editable(actor, request)
    problems = submission_problems(request)
    if problems:
        raise TradeError("the package is not complete: " + "; ".join(problems))
    number = request.versions.count() + 1
    version = RequestVersion.objects.create(
        request=request,
        number=number,
        statement=request.statement,
        ilo_answers=request.ilo_answers,
        checklist=[{"category": r.item.category, "satisfied": r.satisfied} for r in checklist(request)],
        submitted_by=signed_in(actor),
    )
    version.documents.set(request.documents.all())
    _move(request, "submit", actor)
    request.submitted_at = timezone.now()
    request.save(update_fields=["status", "submitted_at", "updated_at"])
    if request.detention is not None:
        detention_mark_submitted(
            actor=actor,
            detention=request.detention,
            summary=ngettext(
                "%(kind)s submitted (version %(number)d, %(count)d document)",
                "%(kind)s submitted (version %(number)d, %(count)d documents)",
                version.documents.count(),
            )
            % {"kind": request.get_kind_display(), "number": number, "count": version.documents.count()},
        )
    elif request.kind in ORDER_KINDS:
        order_change_request_forward(actor=actor, request=request)
    audit_record(
        actor=actor, action="trade_request.submit", target=request, data={"version": number, **_orgs(actor, request)}
    )
    return version


# The portal's indicator keys that differ from case management's (cases.ilo.Indicator).
_INDICATOR_KEYS = {"intimidation": "threats"}


def order_change_request_forward(*, actor: Actor, request: TradeRequest) -> str:
    """File a WRO modification or revocation request as a petition in the headquarters queue.

    The single integration point with ``section307.cases``. Returns the reference under which it
    was filed (also kept on the request)."""
    try:
        from section307.cases.services import PetitionEvidence, petition_file
    except ImportError:  # case management not installed: the request stays in the portal for staff
        return ""
    from section307.core.errors import ServiceError

    assert request.order is not None
    answers = {_INDICATOR_KEYS.get(k, k): v for k, v in request.ilo_answers.items()}
    grounds = (
        f"{CHANGE_GROUNDS.get(request.grounds, '')}\n\n{request.statement}\n\n"
        f"Documents: {request.documents.count()} in importer-portal request {request.pk}."
    )
    try:
        petition = petition_file(
            actor=actor,
            order=request.order,
            kind="modify" if request.kind == RequestKind.ORDER_MODIFICATION else "revoke",
            grounds=grounds,
            ground=request.grounds,
            proposed_merchandise=request.proposed_change,
            organization=request.organization,
            evidence=PetitionEvidence(indicator_responses=answers),
        )
    except ServiceError as exc:
        raise TradeError("the petition was refused: " + exc.message, exc.field or "") from None
    reference = f"petition {petition.pk}"
    request.case_reference = reference[:60]
    request.change_request_id = petition.pk
    request.save(update_fields=["case_reference", "change_request_id"])
    return reference


@transaction.atomic
def request_record_case_decision(
    *, actor: Actor, change_request_id: int, granted: bool, note: str, organization_id: int | None = None
) -> list[TradeRequest]:
    """Carry headquarters' decision on a petition back to the importer's request, with a notice; a
    petitioner organization with no portal request gets the decision notice too."""
    decided = []
    status = TradeRequest.Status.GRANTED if granted else TradeRequest.Status.DENIED
    for request in TradeRequest.objects.select_for_update().filter(
        change_request_id=change_request_id,
        status__in=[TradeRequest.Status.SUBMITTED, TradeRequest.Status.INFO_REQUESTED],
    ):
        _move(request, "grant" if granted else "deny", actor)
        request.decided_at = timezone.now()
        request.decision_note = note
        request.save(update_fields=["status", "decided_at", "decision_note", "updated_at"])
        audit_record(actor=actor, action=f"trade_request.{status}", target=request, data={"from": "case"})
        notice_create(
            organization=request.organization,
            entry=None,
            kind=Notice.Kind.REQUEST,
            subject=gettext("Your %(value)s request was %(status)s")
            % {"value": request.get_kind_display().lower(), "status": status},
            body=gettext("The decision on your request for %(order)s: %(status)s.\n\n%(note)s")
            % {"order": request.order, "status": status, "note": note},
        )
        decided.append(request)
    if not decided and organization_id is not None:
        from section307.accounts.models import Organization

        org = Organization.objects.filter(pk=organization_id).first()
        if org is not None and org.kind in (Organization.Kind.IMPORTER, Organization.Kind.BROKER):
            notice_create(
                organization=org,
                entry=None,
                kind=Notice.Kind.REQUEST,
                subject=gettext("Decision on petition %(change_request_id)s: %(status)s")
                % {"change_request_id": change_request_id, "status": status},
                body=note,
            )
    return decided


@transaction.atomic
def request_record_petition_question(*, actor: Actor, change_request_id: int, question: str, due: str) -> int:
    """Headquarters asked a petitioner for more: the portal request shows the question and waits."""
    count = 0
    for request in TradeRequest.objects.select_for_update().filter(
        change_request_id=change_request_id,
        status__in=[TradeRequest.Status.SUBMITTED, TradeRequest.Status.INFO_REQUESTED],
    ):
        RequestMessage.objects.create(
            request=request, kind=RequestMessage.Kind.QUESTION, body=question, author=signed_in(actor)
        )
        _move(request, "ask", actor)
        request.save(update_fields=["status", "updated_at"])
        notice_create(
            organization=request.organization,
            entry=None,
            kind=Notice.Kind.QUESTION,
            subject=gettext("Question on your %(kind)s #%(pk)s (answer by %(due)s)")
            % {"kind": request.get_kind_display(), "pk": request.pk, "due": due},
            body=question,
        )
        audit_record(actor=actor, action="trade_request.ask", target=request, data={"from": "headquarters"})
        count += 1
    return count


@transaction.atomic
def request_record_petition_answer(*, actor: Actor, change_request_id: int, answer: str) -> int:
    """The petitioner answered headquarters on the petition page: the waiting portal request takes it."""
    count = 0
    for request in TradeRequest.objects.select_for_update().filter(
        change_request_id=change_request_id, status=TradeRequest.Status.INFO_REQUESTED
    ):
        RequestMessage.objects.create(
            request=request, kind=RequestMessage.Kind.ANSWER, body=answer, author=signed_in(actor)
        )
        _move(request, "answer", actor)
        request.save(update_fields=["status", "updated_at"])
        audit_record(actor=actor, action="trade_request.answer", target=request, data=_orgs(actor, request))
        count += 1
    return count


@transaction.atomic
def request_ask(*, actor: Actor, request: TradeRequest, question: str) -> RequestMessage:
    """A port officer asks the importer for more information."""
    if not actor.has_perm("ports.decide_detention"):
        raise PermissionDenied(gettext("Only port officers ask questions on a request."))
    question = question.strip()
    if not question:
        raise TradeError(gettext("write the question"), "question")
    request = TradeRequest.objects.select_for_update().get(pk=request.pk)
    if request.status not in (TradeRequest.Status.SUBMITTED, TradeRequest.Status.INFO_REQUESTED):
        raise TradeError(gettext("questions can be asked only on a submitted request"))
    message = RequestMessage.objects.create(
        request=request, kind=RequestMessage.Kind.QUESTION, body=question, author=signed_in(actor)
    )
    _move(request, "ask", actor)
    request.save(update_fields=["status", "updated_at"])
    entry = request.detention.entry if request.detention else None
    if entry is not None:
        timeline_add(
            entry=entry,
            kind="question",
            summary=gettext("Question to the importer: %(question)s") % {"question": question},
            actor=actor,
            shared=True,
        )
    notice_create(
        organization=request.organization,
        entry=entry,
        kind=Notice.Kind.QUESTION,
        subject=gettext("Question on your %(kind)s #%(pk)s") % {"kind": request.get_kind_display(), "pk": request.pk},
        body=question,
    )
    audit_record(actor=actor, action="trade_request.ask", target=request)
    return message


@transaction.atomic
def request_answer(*, actor: Actor, request: TradeRequest, answer: str) -> RequestMessage:
    request = TradeRequest.objects.select_for_update().get(pk=request.pk)
    if not can_edit_request(actor, request):
        raise PermissionDenied(gettext("This request belongs to another organization."))
    if request.status != TradeRequest.Status.INFO_REQUESTED:
        raise TradeError(gettext("there is no open question on this request"))
    answer = answer.strip()
    if not answer:
        raise TradeError(gettext("write the answer"), "answer")
    message = RequestMessage.objects.create(
        request=request, kind=RequestMessage.Kind.ANSWER, body=answer, author=signed_in(actor)
    )
    _move(request, "answer", actor)
    request.save(update_fields=["status", "updated_at"])
    if request.change_request_id is not None:
        _petition_answer(actor=actor, petition_id=request.change_request_id, answer=answer)
    if request.detention is not None:
        timeline_add(
            entry=request.detention.entry,
            kind="answer",
            summary=gettext("The importer answered the port's question"),
            actor=actor,
            shared=True,
        )
    audit_record(actor=actor, action="trade_request.answer", target=request, data=_orgs(actor, request))
    return message


@transaction.atomic
def request_withdraw(*, actor: Actor, request: TradeRequest) -> TradeRequest:
    request = TradeRequest.objects.select_for_update().get(pk=request.pk)
    _editable(actor, request)
    _move(request, "withdraw", actor)
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_at", "updated_at"])
    audit_record(actor=actor, action="trade_request.withdraw", target=request, data=_orgs(actor, request))
    return request


_OUTCOME_STATUS = {
    DetentionDecision.Outcome.RELEASE: TradeRequest.Status.GRANTED,
    DetentionDecision.Outcome.EXCLUDE: TradeRequest.Status.DENIED,
    DetentionDecision.Outcome.SEIZE: TradeRequest.Status.DENIED,
    DetentionDecision.Outcome.ABANDON: TradeRequest.Status.DENIED,
    DetentionDecision.Outcome.EXPORT: TradeRequest.Status.WITHDRAWN,
}


_TRANSITION_FOR_STATUS = {
    TradeRequest.Status.GRANTED: "grant",
    TradeRequest.Status.DENIED: "deny",
    TradeRequest.Status.WITHDRAWN: "withdraw",
}


def requests_close_for_detention(*, actor: Actor, detention: Detention, outcome: str, reason: str) -> int:
    """Close the detention's open requests with the port's decision (called inside the decision's transaction)."""
    status = _OUTCOME_STATUS[DetentionDecision.Outcome(outcome)]
    open_requests = TradeRequest.objects.select_for_update().filter(
        detention=detention,
        status__in=[TradeRequest.Status.DRAFT, TradeRequest.Status.SUBMITTED, TradeRequest.Status.INFO_REQUESTED],
    )
    count = 0
    for request in open_requests:
        _move(request, _TRANSITION_FOR_STATUS[status], actor)
        request.decided_at = timezone.now()
        request.decision_note = reason
        request.save(update_fields=["status", "decided_at", "decision_note", "updated_at"])
        audit_record(actor=actor, action=f"trade_request.{status}", target=request, data={"outcome": outcome})
        count += 1
    return count


@transaction.atomic
def request_record_determination(*, actor: Actor, determination: Any) -> TradeRequest | None:
    """Headquarters' effective determination on a package marks the package granted or denied."""
    if determination.request_id is None:
        return None
    request = TradeRequest.objects.select_for_update().filter(pk=determination.request_id).first()
    if request is None or not request.is_open:
        return request
    request.status = TradeRequest.Status.GRANTED if determination.favourable else TradeRequest.Status.DENIED
    request.decided_at = timezone.now()
    request.decision_note = f"{determination.outcome_label}. {determination.reasons}"
    request.save(update_fields=["status", "decided_at", "decision_note", "updated_at"])
    audit_record(actor=actor, action=f"trade_request.{request.status}", target=request, data={"from": "hq"})
    return request
