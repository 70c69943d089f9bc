"""section307.cases.services: order modification petitions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from section307.accounts.models import Organization
from section307.cases import permissions as perms
from section307.cases.ilo import Indicator
from section307.cases.lifecycle import (
    PETITION_LIFECYCLE,
)
from section307.cases.models import (
    Case,
    IndicatorTag,
    OrderChangeRequest,
    OrderProposal,
)
from section307.cases.signals import order_change_request_decided, petition_answered, petition_info_requested
from section307.core.audit import audit_record
from section307.core.errors import Conflict, InvalidInput, NotPermitted
from section307.core.lifecycle import TransitionNotAllowed
from section307.core.types import Actor, signed_in
from section307.orders.models import EnforcementOrder, OrderSource, OrderType
from section307.orders.services import ScopedParty, order_transition, order_update

# ------------------------------------------------------------------- order modification petitions

# CBP, "WRO Modification/Revocation Processes Overview" (fact sheet, March 2021).
PETITION_SOURCE = "CBP WRO Modification/Revocation Processes Overview (2021)"
RULE_ALL_INDICATORS = (
    f"{PETITION_SOURCE}: CBP will not modify or revoke unless all forced labor indicators are remediated"
)
DECISIONS = {
    "modify": ("grant_modification", OrderChangeRequest.Kind.MODIFY),
    "revoke": ("grant_revocation", OrderChangeRequest.Kind.REVOKE),
    "deny": ("deny", None),
}
ADDRESSED = (OrderChangeRequest.Finding.REMEDIATED, OrderChangeRequest.Finding.REFUTED)


@dataclass(frozen=True)
class PetitionEvidence:
    """What CBP asks a petitioner for: each identified ILO indicator refuted or remediated, policies
    and controls, an unannounced independent third-party audit, a supply-chain map, worker remediation."""

    indicator_responses: dict[str, str] = field(default_factory=dict)
    policies: str = ""
    audit_firm: str = ""
    audit_date: dt.date | None = None
    audit_unannounced: bool = False
    audit_summary: str = ""
    supply_chain_map: str = ""
    remediation: str = ""
    remediation_amount_usd: Decimal | None = None
    remediation_workers: int | None = None


def petition_indicators(order: EnforcementOrder) -> list[str]:
    """The ILO indicators identified in the order: those the issuing case substantiated with tagged
    evidence, or all eleven for an order with no case here (loaded from an official list)."""
    proposal = OrderProposal.objects.filter(order=order).first()
    if proposal is not None:
        tagged = set(
            IndicatorTag.objects.filter(evidence__case_id=proposal.case_id, withdrawn_at__isnull=True).values_list(
                "indicator", flat=True
            )
        )
        if tagged:
            return [i for i in Indicator.values if i in tagged]
    return list(Indicator.values)


def _petition_channel(actor: Actor, case: Case | None) -> str:
    if not getattr(actor, "is_authenticated", False):
        raise NotPermitted(gettext("Sign in to file a petition."))
    if actor.has_perm("cases.decide_petition"):
        return OrderChangeRequest.Channel.HQ
    if actor.has_perm("cases.work_case"):
        if case is not None and not perms.can_work(actor, case):
            raise NotPermitted(gettext("You do not work this case."))
        return OrderChangeRequest.Channel.CASE
    if actor.has_perm("trade.use_portal") and getattr(actor, "organization_id", None):
        return OrderChangeRequest.Channel.PORTAL
    raise NotPermitted(gettext("Only importers, analysts and headquarters file petitions."))


def _clean_evidence(evidence: PetitionEvidence) -> PetitionEvidence:
    unknown = set(evidence.indicator_responses) - set(Indicator.values)
    if unknown:
        raise InvalidInput(
            gettext("Unknown ILO indicators: %(value)s.") % {"value": ", ".join(sorted(unknown))},
            field="indicator_responses",
        )
    if evidence.remediation_amount_usd is not None and evidence.remediation_amount_usd < 0:
        raise InvalidInput(gettext("The amount repaid cannot be negative."), field="remediation_amount_usd")
    if evidence.audit_date is not None and evidence.audit_date > timezone.localdate():
        raise InvalidInput(gettext("The audit date cannot be in the future."), field="audit_date")
    return evidence


@transaction.atomic
def petition_file(
    *,
    actor: Actor,
    order: EnforcementOrder,
    kind: str,
    grounds: str,
    ground: str = OrderChangeRequest.Ground.NO_LONGER_MADE,
    evidence: PetitionEvidence | None = None,
    proposed_merchandise: str = "",
    proposed_remove_party_ids: Sequence[int] = (),
    requester_name: str = "",
    organization: Organization | None = None,
    case: Case | None = None,
) -> OrderChangeRequest:
    """File a modification or revocation petition against any enforced order: by an importer (portal
    or API), by an analyst from a case, or by headquarters. It lands in the headquarters queue."""
    channel = _petition_channel(actor, case)
    if kind not in OrderChangeRequest.Kind.values:
        raise InvalidInput(gettext("Choose modification or revocation."), field="kind")
    if ground not in OrderChangeRequest.Ground.values:
        raise InvalidInput(gettext("Choose one of the grounds."), field="ground")
    if order.order_type not in (OrderType.WRO, OrderType.FINDING):
        # The UFLPA Entity List and the statutory presumptions are not changed by a CBP petition.
        raise InvalidInput(
            gettext("%(reference)s is a %(order_type)s: only a WRO or a Finding is modified or revoked on petition.")
            % {"reference": order.reference, "order_type": order.get_order_type_display()},
            rule=PETITION_SOURCE,
            field="order",
        )
    if not order.is_enforced:
        raise Conflict(
            gettext("%(reference)s is not in force; only an active or modified order can change.")
            % {"reference": order.reference},
            field="order",
        )
    order_party_ids = set(order.order_parties.values_list("party_id", flat=True))
    if set(proposed_remove_party_ids) - order_party_ids:
        raise InvalidInput(
            gettext("Only parties named in the order can be removed."), field="proposed_remove_party_ids"
        )
    if kind == OrderChangeRequest.Kind.MODIFY and not (proposed_merchandise.strip() or proposed_remove_party_ids):
        raise InvalidInput(
            gettext("Say what should change: the merchandise or the parties."), field="proposed_merchandise"
        )
    if not (grounds or "").strip():
        raise InvalidInput(gettext("This field is required."), field="grounds")
    evidence = _clean_evidence(evidence or PetitionEvidence())
    filer = signed_in(actor)
    if channel == OrderChangeRequest.Channel.PORTAL:
        organization = filer.organization
    if case is None:
        proposal = OrderProposal.objects.filter(order=order).select_related("case").first()
        case = proposal.case if proposal else None
    petition = OrderChangeRequest(
        order=order,
        case=case,
        kind=kind,
        ground=ground,
        grounds=grounds.strip(),
        filed_via=channel,
        proposed_merchandise=proposed_merchandise.strip(),
        proposed_remove_party_ids=sorted(set(proposed_remove_party_ids)),
        requester_name=requester_name.strip() or filer.get_full_name() or filer.get_username(),
        organization=organization if organization is not None else getattr(actor, "organization", None),
        indicators=petition_indicators(order),
        indicator_responses={k: v.strip() for k, v in evidence.indicator_responses.items() if v.strip()},
        policies=evidence.policies.strip(),
        audit_firm=evidence.audit_firm.strip()[:200],
        audit_date=evidence.audit_date,
        audit_unannounced=evidence.audit_unannounced,
        audit_summary=evidence.audit_summary.strip(),
        supply_chain_map=evidence.supply_chain_map.strip(),
        remediation=evidence.remediation.strip(),
        remediation_amount_usd=evidence.remediation_amount_usd,
        remediation_workers=evidence.remediation_workers,
        submitted_by=filer,
    )
    petition.save()
    audit_record(
        actor=actor,
        action="order.petition_file",
        target=order,
        data={"petition": petition.pk, "kind": kind, "via": channel, "organization": getattr(organization, "pk", None)},
    )
    return petition


def _petition_locked(petition: OrderChangeRequest) -> OrderChangeRequest:
    return (
        OrderChangeRequest.objects.select_for_update(of=("self",))
        .select_related("order", "case", "organization")
        .get(pk=petition.pk)
    )


def _petition_step(petition: OrderChangeRequest, transition: str, actor: Actor) -> str:
    step = PETITION_LIFECYCLE.transition(transition)
    if petition.status not in step.sources:
        raise Conflict(
            gettext("The petition is %(value)s; it cannot be moved to '%(value2)s' now.")
            % {"value": petition.get_status_display().lower(), "value2": gettext(step.label).lower()},
            field="status",
        )
    try:
        return PETITION_LIFECYCLE.check(transition, state=petition.status, actor=actor).target
    except TransitionNotAllowed as exc:
        raise NotPermitted(str(exc)) from None


def _require_hq(actor: Actor) -> None:
    if not (getattr(actor, "is_authenticated", False) and actor.has_perm("cases.decide_petition")):
        raise NotPermitted(gettext("Only a headquarters forced-labor reviewer decides petitions."))


def _is_petitioner(actor: Actor, petition: OrderChangeRequest) -> bool:
    if not getattr(actor, "is_authenticated", False):
        return False
    if petition.submitted_by_id == actor.pk:
        return True
    org = getattr(actor, "organization_id", None)
    return org is not None and org == petition.organization_id and actor.has_perm("trade.use_portal")


@transaction.atomic
def petition_review(*, actor: Actor, petition: OrderChangeRequest) -> OrderChangeRequest:
    """A reviewer takes the petition: it is now under review, with that reviewer named."""
    _require_hq(actor)
    petition = _petition_locked(petition)
    petition.status = _petition_step(petition, "review", actor)
    petition.reviewer = signed_in(actor)
    petition.save(update_fields=["status", "reviewer", "updated_at"])
    audit_record(actor=actor, action="order.petition_review", target=petition.order, data={"petition": petition.pk})
    return petition


def petition_answer_days() -> int:
    from django.conf import settings

    return int(getattr(settings, "SECTION307_PETITION_ANSWER_DAYS", 30))


@transaction.atomic
def petition_request_info(
    *, actor: Actor, petition: OrderChangeRequest, question: str, due_date: dt.date | None = None
) -> OrderChangeRequest:
    """Ask the petitioner for more (the remediation dialogue); the answer is due by ``due_date``."""
    _require_hq(actor)
    question = (question or "").strip()
    if not question:
        raise InvalidInput(gettext("Write the question."), field="question")
    today = timezone.localdate()
    due_date = due_date or today + dt.timedelta(days=petition_answer_days())
    if due_date < today:
        raise InvalidInput(gettext("The answer cannot be due in the past."), field="due_date")
    petition = _petition_locked(petition)
    petition.status = _petition_step(petition, "request_info", actor)
    petition.reviewer = petition.reviewer or signed_in(actor)
    petition.info_question, petition.info_due_date, petition.info_answer = question, due_date, ""
    petition.save(update_fields=["status", "reviewer", "info_question", "info_due_date", "info_answer", "updated_at"])
    audit_record(
        actor=actor,
        action="order.petition_request_info",
        target=petition.order,
        data={"petition": petition.pk, "due": due_date.isoformat()},
    )
    petition_info_requested.send(sender=OrderChangeRequest, petition=petition, actor=actor)
    return petition


@transaction.atomic
def petition_answer(*, actor: Actor, petition: OrderChangeRequest, answer: str) -> OrderChangeRequest:
    if not _is_petitioner(actor, petition):
        raise NotPermitted(gettext("Only the petitioner answers."))
    answer = (answer or "").strip()
    if not answer:
        raise InvalidInput(gettext("Write the answer."), field="answer")
    petition = _petition_locked(petition)
    petition.status = _petition_step(petition, "answer", actor)
    petition.info_answer = answer
    petition.save(update_fields=["status", "info_answer", "updated_at"])
    audit_record(actor=actor, action="order.petition_answer", target=petition.order, data={"petition": petition.pk})
    petition_answered.send(sender=OrderChangeRequest, petition=petition, actor=actor)
    return petition


@transaction.atomic
def petition_withdraw(*, actor: Actor, petition: OrderChangeRequest) -> OrderChangeRequest:
    if not _is_petitioner(actor, petition):
        raise NotPermitted(gettext("Only the petitioner withdraws a petition."))
    petition = _petition_locked(petition)
    petition.status = _petition_step(petition, "withdraw", actor)
    petition.decided_at = timezone.now()
    petition.save(update_fields=["status", "decided_at", "updated_at"])
    audit_record(actor=actor, action="order.petition_withdraw", target=petition.order, data={"petition": petition.pk})
    return petition


def _check_indicators(petition: OrderChangeRequest, findings: dict[str, str]) -> None:
    """The rule of the 2021 fact sheet: every indicator identified in the order is remediated (or
    refuted as never present) before CBP modifies or revokes."""
    bad = set(findings) - set(Indicator.values)
    if bad or any(v not in OrderChangeRequest.Finding.values for v in findings.values()):
        raise InvalidInput(
            gettext("Give a finding (remediated, refuted, not remediated) per ILO indicator."), field="findings"
        )
    open_ = [i for i in petition.indicators if findings.get(i) not in ADDRESSED]
    if open_:
        labels = ", ".join(str(Indicator(i).label) for i in open_)
        raise Conflict(
            gettext("Not every forced-labor indicator is remediated: %(labels)s.") % {"labels": labels},
            rule=RULE_ALL_INDICATORS,
            field="findings",
        )


@transaction.atomic
def petition_decide(
    *,
    actor: Actor,
    petition: OrderChangeRequest,
    decision: str,
    note: str,
    findings: dict[str, str] | None = None,
) -> OrderChangeRequest:
    """Headquarters decides: modify or revoke the order through its lifecycle (history kept), or deny.
    The decision notice goes to the petitioner; the open detentions under the order are listed
    for the port to act on."""
    from section307.cases.selectors import order_open_detentions

    _require_hq(actor)
    if decision not in DECISIONS:
        raise InvalidInput(gettext("Choose modify, revoke or deny."), field="decision")
    transition, kind = DECISIONS[decision]
    note = (note or "").strip()
    if not note:
        raise InvalidInput(gettext("Write the decision note."), field="note")
    petition = _petition_locked(petition)
    target = _petition_step(petition, transition, actor)
    findings = dict(findings or {})
    if kind is not None:
        if petition.kind != kind:
            raise InvalidInput(
                gettext("This is a %(value)s petition; grant it as such or deny it.")
                % {"value": petition.get_kind_display().lower()},
                field="decision",
            )
        _check_indicators(petition, findings)
    order = petition.order
    if kind is not None:
        label = f"Petition {petition.pk} granted: {note}"
        if kind == OrderChangeRequest.Kind.REVOKE:
            order_transition(actor=actor, order=order, transition="revoke", note=label, source=OrderSource.CASE)
        else:
            data: dict[str, Any] = {}
            if petition.proposed_merchandise:
                data["merchandise"] = petition.proposed_merchandise
            parties = None
            if petition.proposed_remove_party_ids:
                parties = [
                    ScopedParty(party=link.party, qualifiers=link.qualifiers)
                    for link in order.order_parties.select_related("party")
                    if link.party_id not in petition.proposed_remove_party_ids
                ]
            order_update(actor=actor, order=order, data=data, parties=parties, note=label, source=OrderSource.CASE)
            order_transition(actor=actor, order=order, transition="modify", note=label, source=OrderSource.CASE)
        petition.detained_entries = [d.entry.entry_number for d in order_open_detentions(order)]
    petition.status = target
    petition.indicator_findings = findings
    petition.decided_by = signed_in(actor)
    petition.decided_at = timezone.now()
    petition.decision_note = note
    petition.save()
    audit_record(
        actor=actor,
        action="order.petition_decide",
        target=order,
        data={"petition": petition.pk, "decision": decision, "detained_entries": petition.detained_entries},
    )
    order_change_request_decided.send(sender=OrderChangeRequest, request=petition, actor=actor)
    return petition


def partner_organizations() -> list[Organization]:
    return list(Organization.objects.filter(kind=Organization.Kind.PARTNER))
