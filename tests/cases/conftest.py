"""Fixtures for the case tests: an agency with its people, partner agencies, and a case ready to work."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from PIL import Image

from section307.accounts import roles
from section307.accounts.models import Organization, User
from section307.cases import services
from section307.cases.ilo import Indicator, Strength
from section307.cases.models import Case, CaseParty, CaseTemplate, Evidence, OrderProposal
from section307.geo.models import Country
from section307.geo.services import countries_sync
from section307.goods.models import Good, GoodHtsCode
from section307.parties.models import Party


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 10, 10)).save(buffer, format="PNG")
    return buffer.getvalue()


@dataclass
class World:
    agency: Organization
    other_agency: Organization
    dol: Organization
    state: Organization
    analyst: User
    teammate: User
    outsider: User
    supervisor: User
    supervisor2: User
    foreign_supervisor: User
    partner: User
    partner_other: User
    officer: User
    trader: User
    admin: User
    producer: Party
    spinner: Party
    good: Good
    country: Country
    template: CaseTemplate


@pytest.fixture
def world(make_user: Callable[..., User]) -> World:
    countries_sync()
    agency = Organization.objects.create(name="Directorate", kind=Organization.Kind.AGENCY)
    other = Organization.objects.create(name="Other Directorate", kind=Organization.Kind.AGENCY)
    dol = Organization.objects.create(name="DOL ILAB", kind=Organization.Kind.PARTNER)
    state = Organization.objects.create(name="State TIP Office", kind=Organization.Kind.PARTNER)
    importer = Organization.objects.create(name="Importer Inc", kind=Organization.Kind.IMPORTER)
    good = Good.objects.create(name="Cotton yarn")
    GoodHtsCode.objects.create(good=good, code="5205")
    cn = Country.objects.get(code="CN")
    return World(
        agency=agency,
        other_agency=other,
        dol=dol,
        state=state,
        analyst=make_user(roles.ANALYST, organization=agency, username="ana"),
        teammate=make_user(roles.ANALYST, organization=agency, username="tea"),
        outsider=make_user(roles.ANALYST, organization=agency, username="out"),
        supervisor=make_user(roles.SUPERVISOR, organization=agency, username="sup"),
        supervisor2=make_user(roles.SUPERVISOR, organization=agency, username="sup2"),
        foreign_supervisor=make_user(roles.SUPERVISOR, organization=other, username="fsup"),
        partner=make_user(roles.PARTNER_AGENCY, organization=dol, username="dolu"),
        partner_other=make_user(roles.PARTNER_AGENCY, organization=state, username="stateu"),
        officer=make_user(roles.PORT_OFFICER, organization=agency, username="off"),
        trader=make_user(roles.TRADE_USER, organization=importer, username="imp"),
        admin=make_user(roles.ADMINISTRATOR, organization=agency, username="adm"),
        producer=Party.objects.create(name="Aksu Cotton Farm Co.", country=cn),
        spinner=Party.objects.create(name="Aksu Spinning Mill Co.", country=cn),
        good=good,
        country=cn,
        template=CaseTemplate.objects.get(name="Forced labor (19 U.S.C. 1307)"),
    )


def open_case(w: World, **kwargs: Any) -> Case:
    case = services.case_create(
        actor=w.analyst,
        title=kwargs.pop("title", "Cotton yarn from Aksu"),
        template=kwargs.pop("template", w.template),
        team=kwargs.pop("team", [w.teammate]),
        goods=[w.good],
        countries=[w.country],
        **kwargs,
    )
    return case


def map_and_memo(w: World, case: Case) -> None:
    spinner = services.case_party_add(
        actor=w.analyst, case=case, party=w.spinner, role=CaseParty.Role.PROCESSOR, tier=1
    )
    services.case_party_add(
        actor=w.analyst, case=case, party=w.producer, role=CaseParty.Role.PRODUCER, tier=2, supplies_to=spinner
    )
    services.case_memo_save(actor=w.analyst, case=case, memo="Imports found; credible testimony; DOL listing.")


def add_evidence(w: World, case: Case, *, content: bytes | None = None, name: str = "note.txt", **kw: Any) -> Evidence:
    return services.evidence_add(
        actor=w.analyst,
        case=case,
        file=io.BytesIO(content if content is not None else b"Interview: passports held by the mill.\n"),
        filename=name,
        kind=kw.pop("kind", Evidence.Kind.TESTIMONY),
        title=kw.pop("title", "Interview note"),
        source=kw.pop("source", "Field NGO"),
        reliability=kw.pop("reliability", "B"),
        date_obtained=kw.pop("date_obtained", dt.date(2026, 1, 5)),
        **kw,
    )


def escalated_case(w: World) -> Case:
    """A case in phase 3 with evidence tagged, an assessment and a stakeholder engagement with referral."""
    case = open_case(w)
    map_and_memo(w, case)
    services.case_transition(actor=w.analyst, case=case, transition="begin_research")
    services.case_transition(actor=w.analyst, case=case, transition="escalate")
    ev = add_evidence(w, case)
    services.evidence_tag(actor=w.analyst, evidence=ev, indicator=Indicator.DOCUMENTS, strength=Strength.STRONG)
    services.evidence_tag(actor=w.analyst, evidence=ev, indicator=Indicator.OVERTIME, strength=Strength.STRONG)
    services.ilo_assessment_record(actor=w.analyst, case=case, conclusion="Both elements shown.")
    services.engagement_record(
        actor=w.analyst,
        case=case,
        kind="ngo",
        stakeholder="Field NGO",
        engaged_on=dt.date(2026, 1, 10),
        summary="Interviews arranged",
        protection_referral=True,
        referral_details="Two workers referred to a legal-aid clinic",
    )
    return Case.objects.get(pk=case.pk)


def draft_proposal(w: World, case: Case, **data: Any) -> OrderProposal:
    base = {
        "order_type": "wro",
        "merchandise": "Cotton yarn produced by Aksu Spinning Mill Co.",
        "country": w.country,
        "basis": "Testimony and audits reasonably but not conclusively indicate forced labor.",
        "effective_date": dt.date(2026, 2, 1),
        "qualifiers": ["and its subsidiaries"],
    }
    base.update(data)
    return services.proposal_save(
        actor=w.analyst,
        case=case,
        data=base,
        scope_parties=CaseParty.objects.filter(case=case, party=w.spinner),
        goods=[w.good],
    )
