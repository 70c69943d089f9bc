"""Every URL and every API operation, visited anonymously and as each role, against an expected matrix.

How to extend: a new URL name (or API operation) fails ``test_every_url_by_role`` until it has
one line in ``MATRIX`` (or ``API_MATRIX``) naming the roles that may use it, and, when its path
has parameters, an entry in ``url_kwargs`` built from the objects of the ``site`` fixture.

A visit is a GET; a view that answers GET with 405 is visited with an empty POST instead (the
form is refused, but the answer shows whether the caller got past the access checks). The
answer classes are: allowed (2xx, 3xx other than to the sign-in page, 400/409/422: the view
ran), ``login`` (redirect to sign-in, or 401 from the API), 403 and 404. Denied visitors must
get one of the denial classes, anonymous visitors the sign-in page, a 401 or a 404 (never a 403
revealing the page exists). A 5xx fails everything. Each visit is rolled back, so the order of
visitors does not matter.

Object-level rules are part of what is checked: the analyst owns the case, the partner's
agency has it shared, the trade user's organization imported the detained entry.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from PIL import Image

from section307.accounts import roles
from section307.accounts.models import User
from section307.ports.apps import FILER as PORTS_FILER

pytestmark = pytest.mark.django_db

ANON = "anonymous"
A, S, P, T = roles.ANALYST, roles.SUPERVISOR, roles.PARTNER_AGENCY, roles.TRADE_USER
PO, H, ADM = roles.PORT_OFFICER, roles.HQ_REVIEWER, roles.ADMINISTRATOR
RH = roles.RIGHTS_HOLDER
M = roles.MANAGER
FILER = PORTS_FILER  # the broker-system role the ports app adds
EVERYONE = "everyone"  # anonymous visitors and every role
SIGNED_IN = "signed in"  # every role, not anonymous

# Namespaces left to their own tests: Django's admin (tests/core, tests/accounts) and the API
# (checked operation by operation in API_MATRIX below).
SKIPPED_NAMESPACES = {"admin", "api"}

MATRIX: dict[str, set[str] | str] = {
    # site
    "core:home": EVERYONE,
    "login": EVERYONE,
    "logout": EVERYONE,
    "set_language": EVERYONE,
    "admin_login": EVERYONE,
    # staff MFA: every signed-in account may enrol and verify a device
    "accounts:mfa_setup": SIGNED_IN,
    "accounts:mfa_verify": SIGNED_IN,
    # one work queue for every role's items
    "work:queue": SIGNED_IN,
    # public allegation portal (no account)
    "allegations:report_start": EVERYONE,
    "allegations:report_step": EVERYONE,
    "allegations:report_discard": EVERYONE,
    "allegations:report_receipt": EVERYONE,
    "allegations:followup_login": EVERYONE,
    "allegations:followup": EVERYONE,
    "allegations:followup_logout": EVERYONE,
    # allegation triage
    "allegations:inbox": {A, S},
    "allegations:detail": {A, S},
    "allegations:action": {A, S},
    "allegations:attachment": {A, S},
    # public order list
    "orders_public:list": EVERYONE,
    "orders_public:detail": EVERYONE,
    # staff registry
    "registry:order_list": {A, S, PO, P, H, ADM, M},
    "registry:order_detail": {A, S, PO, P, H, ADM, M},
    "registry:party_detail": {A, S, PO, H, ADM, M},
    # cases
    "cases:dashboard": {A, S, P},
    "cases:case_list": {A, S, P},
    "cases:task_queue": {A, S},
    "cases:case_create": {A, S},
    "cases:case_open_from_allegation": {A, S},
    "cases:case_attach_allegation": {A, S},
    "cases:case_detail": {A, S, P},
    "cases:case_edit": {A, S},
    "cases:case_transition": {A, S},
    "cases:case_party_add": {A, S},
    "cases:case_party_remove": {A, S},
    "cases:case_memo": {A, S},
    "cases:task_add": {A, S},
    "cases:task_action": {A, S},
    "cases:engagement_add": {A, S},
    "cases:comment_add": {A, S, P},
    "cases:case_share": {A, S},
    "cases:case_merge": {A, S},
    "cases:case_close": {A, S},
    "cases:case_reopen": {S},
    "cases:case_audit": {A, S},
    "cases:evidence_list": {A, S, P},
    "cases:evidence_import": {A, S},
    "cases:evidence_manifest": {A, S, P},  # the partner's share includes evidence
    "cases:evidence_detail": {A, S, P},
    "cases:evidence_download": {A, S, P},
    "cases:ilo_matrix": {A, S, P},
    "cases:proposal_edit": {A, S},
    "cases:proposal_decide": {A, S, P},  # reading it; deciding is the supervisor's (tests/cases)
    "cases:change_request_create": {A, S},
    # petitions (docs/cases.md): headquarters decides; importers file through the portal or here
    # (analysts and supervisors: those on their cases; partner agencies: none)
    "petitions:list": {H, T, A, S},
    "petitions:create": {H, T, A, S},
    "petitions:detail": {H, T, A, S},
    "petitions:action": {H},  # the "review" action
    # port; headquarters reads entries, detentions and packages (docs/ports.md, Roles)
    "ports:queue": {PO, S, A, ADM, H},
    "ports:entry_list": {PO, S, A, ADM, H},
    "ports:entries_upload": {PO, ADM, FILER},
    "ports:entries_upload_template": {PO, ADM, FILER},
    "ports:entry_detail": {PO, S, A, ADM, H},
    "ports:entry_target": {PO, ADM},
    "ports:image_upload": {PO, ADM},
    # The importer of record sees the photos an officer shared with it.
    "ports:image_file": {PO, S, A, ADM, T, H},
    "ports:image_redacted": {PO, S, A, ADM, T, H},
    "ports:image_redact": {PO, ADM},
    "ports:detention_list": {PO, S, A, ADM, H},
    "ports:detention_detail": {PO, S, A, ADM, H},
    "ports:detention_decide": {PO, ADM},
    "ports:clocks_due": {PO, S, A, ADM, H},
    "ports:clock_action": {PO, ADM},
    "ports:forfeiture_record": {PO, ADM},
    "ports:rescreen": {PO, S, ADM},
    "ports:rescreen_detail": {PO, S, A, ADM, H},
    # parcels (docs/parcels.md): officers decide; staff read; filers fetch the template for the API
    "parcels:home": {PO, S, A, ADM, H},
    "parcels:manifest_template": {PO, ADM, FILER},
    "parcels:manifest_upload": {PO, ADM},
    "parcels:manifest_detail": {PO, S, A, ADM, H},
    "parcels:manifest_progress": {PO, S, A, ADM, H},
    "parcels:group_list": {PO, S, A, ADM, H},
    "parcels:groups_detain": {PO, ADM},
    "parcels:group_detail": {PO, S, A, ADM, H},
    "parcels:detention_detail": {PO, S, A, ADM, H},
    "parcels:detention_decide": {PO, ADM},
    "parcels:detention_proof": {PO, ADM},
    "parcels:detention_forfeiture": {PO, ADM},
    "parcels:parcel_detail": {PO, S, A, ADM, H},
    "parcels:detention_review": {H},
    "parcels:review_decide": {H},
    # the importer portal's parcel detentions (the demo detention is the demo importer's)
    "parcels_portal:detention_list": {T},
    "parcels_portal:detention_detail": {T},
    "parcels_portal:proof_submit": {T},
    "parcels_portal:protest_file": {T},
    "parcels_portal:document_file": {T, PO, S, A, ADM, H},
    # importer portal
    "trade:home": {T},
    "trade:entry_detail": {T},
    "trade:detention_detail": {T},
    "trade:detention_export": {T},
    "trade:request_create": {T},
    "trade:request_detail": {T, PO, S, A, ADM, H},
    "trade:request_ask": {PO, ADM},
    "trade:request_statement": {T},
    "trade:document_upload": {T},
    "trade:request_submit": {T},
    "trade:request_answer": {T},
    "trade:request_withdraw": {T},
    "trade:document_file": {T, PO, S, A, ADM, H},
    "trade:protest_file": {T},
    "trade:brokers": {T},
    "trade:broker_revoke": {T},
    "trade:notices": {T},
    "trade:notice_detail": {T},
    # headquarters determinations (docs/ports.md, Headquarters review)
    "hq:home": {H},
    "hq:request": {H},
    "hq:protest": {H},
    "hq:determination": {H},
    "hq:report": {H},
    # IPR detentions (docs/ipr.md): one page per detention for staff, the rights holder of a recordation
    # it concerns, and the importer of record; the photo standard is published.
    "ipr:detention_list": SIGNED_IN,
    "ipr:detention_detail": {PO, S, ADM, RH, T},
    "ipr:detain": {PO, ADM},
    "ipr:photo_upload": {PO, ADM},
    "ipr:detention_action": {PO, ADM},
    "ipr:image_redact": {PO, ADM},
    "ipr:image_file": {PO, S, ADM, RH, T},
    "ipr:respond": {RH},
    "ipr:importer_reply": {T},
    "ipr:photo_standard": EVERYONE,
    "ipr:recordation_list": {S, ADM},
    "ipr:recordation_detail": {S, ADM},
    # supply chains (docs/supplychain.md): importers own their maps; analysts, supervisors, port officers and
    # headquarters read every map; only importers upload, self-screen and add evidence
    "supplychain:list": {T, A, S, PO, H},
    "supplychain:template": {T, A, S, PO, H},
    "supplychain:upload": {T},
    "supplychain:self_screen": {T},
    "supplychain:job": {T},
    "supplychain:job_download": {T},
    "supplychain:from_entry": {T},
    "supplychain:from_case": {A, S},
    "supplychain:alert_read": {T},
    "supplychain:detail": {T, A, S, PO, H},
    "supplychain:graph_data": {T, A, S, PO, H},
    "supplychain:results": {T, A, S, PO, H},
    "supplychain:export": {T, A, S, PO, H},
    "supplychain:match": {T},
    "supplychain:evidence_add": {T},
    "supplychain:evidence_file": {T, A, S, PO, H},
    "supplychain:events_import": {T},
    "supplychain:attach_case": {A, S},
    # due diligence: the importer's trade users edit; staff who read maps read assessments and plans
    "supplychain:diligence": {T, A, S, PO, H},
    "supplychain:assessment_edit": {T},
    "supplychain:assessment": {T, A, S, PO, H},
    "supplychain:answer_save": {T},
    "supplychain:assessment_submit": {T},
    "supplychain:answer_file": {T, A, S, PO, H},
    "supplychain:plan_new": {T},
    "supplychain:plan": {T, A, S, PO, H},
    "supplychain:milestone_add": {T},
    "supplychain:milestone_done": {T},
    "supplychain:plan_close": {T},
    # API tokens: each user's own; every role may use the API (ports.services.may_use_api)
    "tokens:list": SIGNED_IN,
    "tokens:revoke": {FILER},
    # outcome metrics (docs/metrics.md): managers; analysts and supervisors record outcomes
    "metrics:dashboard": {M},
    "metrics:export": {M},
    "metrics:targets": {M},
    "metrics:detentions": {M},
    "metrics:cases": {M},
    "metrics:outcomes": {M, A, S},
    "metrics:outcome_evidence": {M, A, S},
    "metrics:report_request": {M},
    "metrics:report_download": {M},
    # public statistics
    "statistics:page": EVERYONE,
    "statistics:export": EVERYONE,
}

# "METHOD path" as the API router declares it.
API_MATRIX: dict[str, set[str] | str] = {
    "GET /health": EVERYONE,
    "GET /orders": EVERYONE,
    "GET /orders/{reference}": EVERYONE,
    "POST /allegations": EVERYONE,
    "GET /allegations/status": EVERYONE,
    "POST /allegations/messages": EVERYONE,
    "GET /cases": {A, S, P},
    "GET /cases/{reference}": {A, S, P},
    "POST /entries": {PO, ADM, FILER},
    "GET /entries/{entry_number}": {PO, S, A, ADM, T, H},
    # Lists answer every signed-in role, each with only the rows it may see (possibly none).
    "GET /detentions": SIGNED_IN,
    "GET /detentions/{detention_id}": {PO, S, A, ADM, T, H},
    "POST /entries/{entry_number}/detention": {PO, ADM},
    "POST /detentions/{detention_id}/decisions": {PO, ADM},
    "POST /detentions/{detention_id}/clocks/{kind}/extensions": {PO, ADM},
    "POST /detentions/{detention_id}/protests": {T},
    "GET /petitions": SIGNED_IN,
    "POST /petitions": {H, T, A, S},
    "GET /petitions/{petition_id}": {H, T, A, S},
    "POST /petitions/{petition_id}/decision": {H},
    "GET /queue": SIGNED_IN,
    # Rights holders first; each caller gets only the IPR detentions it may see (docs/ipr.md).
    "GET /ipr/detentions": SIGNED_IN,
    "GET /ipr/detentions/{detention_id}": {PO, S, ADM, RH, T},
    "POST /ipr/detentions/{detention_id}/response": {RH},
    "GET /statistics": EVERYONE,
    # supply chains: importers create and read their own maps; analysts, supervisors, officers, headquarters read
    "POST /supply-chains": {T},
    "GET /supply-chains/{map_id}": {T, A, S, PO, H},
    "GET /supply-chains/{map_id}/risk": {T, A, S, PO, H},
    "GET /supply-chains/{map_id}/export": {T, A, S, PO, H},
    # due diligence: the organization's trade users write; staff who read every map read
    "GET /due-diligence/assessments": {T, A, S, PO, H},
    "POST /due-diligence/assessments": {T},
    "GET /due-diligence/assessments/{assessment_id}": {T, A, S, PO, H},
    "PUT /due-diligence/assessments/{assessment_id}/answers/{element}": {T},
    "POST /due-diligence/assessments/{assessment_id}/submit": {T},
    "GET /due-diligence/plans": {T, A, S, PO, H},
    "POST /due-diligence/plans": {T},
    "GET /due-diligence/plans/{plan_id}": {T, A, S, PO, H},
    "POST /due-diligence/plans/{plan_id}/milestones": {T},
    "POST /due-diligence/plans/{plan_id}/milestones/{milestone_id}/done": {T},
    "POST /due-diligence/plans/{plan_id}/outcome": {T},
    "POST /manifests": {PO, ADM, FILER},
    "GET /manifests/{manifest_id}": {PO, S, A, ADM, H},
    "GET /parcels/{tracking_number}": {PO, S, A, ADM, H},
}


@dataclass
class Site:
    actors: dict[str, User | None]
    kwargs: dict[str, dict[str, Any]]
    api_values: dict[str, dict[str, str]]
    receipt: str
    # Views that answer an empty POST with 404 get the least data that gets past their lookups.
    post_data: dict[str, dict[str, str]]
    # API writes get a valid body, so the answer comes from the access checks, not the schema (422).
    api_bodies: dict[str, dict[str, Any]]


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 10)).save(buffer, format="PNG")
    return buffer.getvalue()


def _user(role: str, org: Any, name: str) -> User:
    user = User.objects.create_user(username=name, password="x-" + name, organization=org)
    user.groups.add(Group.objects.get(name=role))
    if role == ADM:
        user.is_staff = True
        user.save()
    return user


def _supplychain_kwargs(importer: User, entry_number: str, case_ref: str) -> dict[str, dict[str, Any]]:
    """The demo importer's map, with a document, an alert and a finished self-screening upload."""
    from section307.supplychain import services as sc_services
    from section307.supplychain.models import ImportJob, MapAlert, SupplyChainMap

    chain_map = SupplyChainMap.objects.filter(organization=importer.organization).order_by("pk").first()
    assert chain_map is not None, "the supply-chain demo step makes a map for the demo importer"
    node = chain_map.nodes.filter(tier=1).first()
    assert node is not None
    evidence = sc_services.evidence_add(
        actor=importer, chain_map=chain_map, data=_png(), name="po.png", kind="purchase_order", node=node
    )
    alert = MapAlert.objects.create(
        map=chain_map,
        organization=chain_map.organization,
        subject="s",
        body="b",
        trigger="t",
        risk_before="clear",
        risk_after="hit",
    )
    job = ImportJob.objects.create(
        organization=importer.organization,
        user=importer,
        kind=ImportJob.Kind.ENTRIES,
        title="e.csv",
        filename="e.csv",
        status=ImportJob.Status.DONE,
        results=[],
    )
    from section307.supplychain.models import Assessment, RemediationPlan

    assessment = Assessment.objects.filter(organization=importer.organization, status="submitted").first()
    plan = RemediationPlan.objects.filter(organization=importer.organization).first()
    assert assessment is not None and plan is not None, "the diligence demo step makes both"
    answer = assessment.answers.exclude(sha256="").first()
    milestone = plan.milestones.filter(status="pending").first()
    assert answer is not None and milestone is not None
    pk = {"pk": chain_map.pk}
    return {
        "supplychain:assessment": {"pk": assessment.pk},
        "supplychain:answer_save": {"pk": assessment.pk},
        "supplychain:assessment_submit": {"pk": assessment.pk},
        "supplychain:answer_file": {"pk": assessment.pk, "answer_pk": answer.pk},
        "supplychain:plan": {"pk": plan.pk},
        "supplychain:milestone_add": {"pk": plan.pk},
        "supplychain:milestone_done": {"pk": plan.pk, "milestone_pk": milestone.pk},
        "supplychain:plan_close": {"pk": plan.pk},
        "supplychain:detail": pk,
        "supplychain:graph_data": pk,
        "supplychain:results": pk,
        "supplychain:export": pk,
        "supplychain:evidence_add": pk,
        "supplychain:events_import": pk,
        "supplychain:attach_case": pk,
        "supplychain:match": {"pk": chain_map.pk, "node_pk": node.pk},
        "supplychain:evidence_file": {"pk": chain_map.pk, "evidence_pk": evidence.pk},
        "supplychain:job": {"pk": job.pk},
        "supplychain:job_download": {"pk": job.pk},
        "supplychain:alert_read": {"pk": alert.pk},
    }


@pytest.fixture
def site(db: Any) -> Site:
    """The demo world plus what it lacks: a shared case with a proposal and a change request, an
    allegation with a file, a trade request with a document, a re-screening run."""
    from section307.accounts.models import EntryAccessGrant
    from section307.allegations import services as allegation_services
    from section307.allegations.services import FileInput
    from section307.allegations.views_public import SLUGS
    from section307.cases import services as case_services
    from section307.cases.models import (
        Case,
        CaseParty,
        CaseTask,
        Evidence,
        OrderChangeRequest,
        OrderProposal,
    )
    from section307.demo.world import build_demo_world
    from section307.orders.models import EnforcementOrder
    from section307.ports.models import Clock, Detention, Determination, ExamImage, Notice, Protest
    from section307.ports.regimes import REQUEST_KINDS_FOR_REGIME
    from section307.ports.services import api_token_create, entries_rescreen, image_redact
    from section307.trade import services as trade_services
    from tests.allegations.conftest import jpeg_with_gps, valid_input

    world = build_demo_world(seed=1)
    users = {name: pair[0] for name, pair in world.users.items()}
    agency = world.orgs["agency"]
    actors: dict[str, User | None] = {
        ANON: None,
        A: users["analyst"],
        S: users["supervisor"],
        PO: users["officer"],
        T: users["importer"],
        P: users["partner"],
        # The role, not the superuser flag the demo administrator also has.
        ADM: _user(ADM, agency, "matrix-admin"),
        H: _user(H, agency, "matrix-hq"),
        FILER: _user(FILER, world.orgs["gulfport"], "matrix-filer"),
        RH: users["rightsholder"],
        M: _user(M, agency, "matrix-manager"),
    }
    missing = set(roles.ROLE_LABELS) - set(actors)
    assert not missing, f"add a user for the new role(s) {sorted(missing)} to the site fixture"

    case = Case.objects.get(reference="CASE-2026-0001")
    case_services.case_share(
        actor=users["analyst"], case=case, organization=world.orgs["dol"], access="comment", include_evidence=True
    )
    order = (
        EnforcementOrder.objects.filter(status="active", order_type="wro", order_parties__isnull=False)
        .order_by("pk")
        .first()
    )
    assert order is not None
    proposal = OrderProposal.objects.create(
        case=case, author=users["analyst"], order_type="wro", status=OrderProposal.Status.SUBMITTED
    )
    OrderProposal.objects.create(
        case=case, author=users["analyst"], order_type="wro", status=OrderProposal.Status.APPROVED, order=order
    )
    change = OrderChangeRequest.objects.create(
        order=order, case=case, kind="modify", grounds="Supplier remediated", submitted_by=users["importer"]
    )
    allegation, receipt = allegation_services.allegation_submit(
        actor=allegation_services.PUBLIC, data=valid_input(), files=[FileInput("gate.jpg", jpeg_with_gps())]
    )
    attachment = allegation.attachments.get()
    detention = Detention.objects.select_related("entry").first()
    assert detention is not None
    trade_request = trade_services.request_create(
        actor=users["importer"], kind=REQUEST_KINDS_FOR_REGIME[detention.regime][0], detention=detention
    )
    document = trade_services.document_add(
        actor=users["importer"], request=trade_request, data=_png(), name="audit.png", category="other"
    )
    run = entries_rescreen(actor=users["supervisor"], since=dt.date(2020, 1, 1))
    image = ExamImage.objects.first()
    clock = Clock.objects.first()
    notice = Notice.objects.first()
    assert image and clock and notice
    image_redact(actor=users["officer"], image=image, boxes=[(0.0, 0.0, 0.5, 0.5)])
    protest = Protest.objects.create(
        entry=detention.entry,
        detention=detention,
        organization=detention.entry.organization,
        filed_by=users["importer"],
        filed_on=dt.date(2026, 1, 5),
        grounds="The goods were not made with forced labor.",
    )
    determination = Determination.objects.create(
        detention=detention,
        kind=Determination.Kind.PROTEST,
        outcome=Determination.Outcome.DENIED,
        reasons="Not rebutted.",
        protest=protest,
        proposed_by=actors[H],
    )
    grant = EntryAccessGrant.objects.create(
        importer=detention.entry.organization, broker=world.orgs["gulfport"], granted_by=users["importer"]
    )
    token, _secret = api_token_create(actor=actors[FILER], user=actors[FILER], name="matrix")
    from section307.ipr.models import IprDetention

    ipr_detention = IprDetention.objects.get(entry__entry_number="GCB-0001005-4")  # disclosed in the demo
    ipr_image = ipr_detention.images.first()
    assert ipr_image is not None
    from section307.parcels.models import ParcelDetention

    parcel_detention = ParcelDetention.objects.select_related("group__manifest").first()
    assert parcel_detention is not None
    parcel_group = parcel_detention.group
    parcel = parcel_group.parcels.first()
    assert parcel is not None
    from section307.parcels import services as parcel_services

    parcel_proof = parcel_services.proof_submit(
        actor=users["importer"],
        detention=parcel_detention,
        statement="Certificate of origin.",
        files=[("c.png", _png())],
    )
    parcel_review = parcel_services.review_propose(
        actor=actors[H], detention=parcel_detention, kind="admissibility", outcome="denied", reasons="Not shown."
    )
    ref = {"reference": case.reference}
    from django.core.files.base import ContentFile

    from section307.metrics.models import OutcomeRecord, QuarterlyReport

    outcome = OutcomeRecord.objects.filter(case__isnull=True).order_by("pk").first()
    assert outcome is not None, "the demo records outcomes for an order"
    report = QuarterlyReport(fiscal_year=2025, quarter=1, status=QuarterlyReport.Status.READY)
    report.file.save("matrix.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    kwargs: dict[str, dict[str, Any]] = {
        "allegations:report_step": {"slug": SLUGS[0]},
        "allegations:detail": {"pk": allegation.pk},
        "allegations:action": {"pk": allegation.pk, "name": "start"},
        "allegations:attachment": {"pk": allegation.pk, "attachment_pk": attachment.pk, "version": "sanitized"},
        "orders_public:detail": {"reference": order.reference},
        "registry:order_detail": {"reference": order.reference},
        "registry:party_detail": {"pk": order.order_parties.first().party_id},  # type: ignore[union-attr]
        "cases:case_open_from_allegation": {"allegation_pk": allegation.pk},
        "cases:case_attach_allegation": {"allegation_pk": allegation.pk},
        "cases:case_party_remove": {**ref, "pk": CaseParty.objects.filter(case=case).first().pk},  # type: ignore[union-attr]
        "cases:task_action": {**ref, "pk": CaseTask.objects.filter(case=case).first().pk},  # type: ignore[union-attr]
        "cases:evidence_detail": {**ref, "pk": Evidence.objects.filter(case=case).first().pk},  # type: ignore[union-attr]
        "cases:evidence_download": {**ref, "pk": Evidence.objects.filter(case=case).first().pk},  # type: ignore[union-attr]
        "cases:proposal_decide": {**ref, "pk": proposal.pk},
        "cases:change_request_create": {**ref, "order_pk": order.pk},
        "cases:change_request_decide": {**ref, "pk": change.pk},
        "ports:entries_upload_template": {"fmt": "xlsx"},
        "ports:entry_detail": {"entry_number": detention.entry.entry_number},
        "ports:entry_target": {"entry_number": detention.entry.entry_number},
        "ports:image_upload": {"entry_number": detention.entry.entry_number},
        "ports:image_file": {"pk": image.pk},
        "ports:image_redacted": {"pk": image.pk},
        "ports:image_redact": {"pk": image.pk},
        "ports:detention_detail": {"pk": detention.pk},
        "ports:detention_decide": {"pk": detention.pk},
        "ports:clock_action": {"pk": clock.pk, "action": "extend"},
        "ports:forfeiture_record": {"pk": detention.pk},
        "trade:request_ask": {"pk": trade_request.pk},
        "trade:protest_file": {"pk": detention.pk},
        "trade:broker_revoke": {"pk": grant.pk},
        "hq:request": {"pk": trade_request.pk},
        "hq:protest": {"pk": protest.pk},
        "hq:determination": {"pk": determination.pk},
        "hq:report": {"pk": determination.pk},
        "petitions:detail": {"pk": change.pk},
        "petitions:action": {"pk": change.pk, "action": "review"},
        "tokens:revoke": {"pk": token.pk},
        "ports:rescreen_detail": {"pk": run.pk},
        "trade:entry_detail": {"entry_number": detention.entry.entry_number},
        "trade:detention_detail": {"pk": detention.pk},
        "trade:detention_export": {"pk": detention.pk},
        "trade:request_detail": {"pk": trade_request.pk},
        "trade:request_statement": {"pk": trade_request.pk},
        "trade:document_upload": {"pk": trade_request.pk},
        "trade:request_submit": {"pk": trade_request.pk},
        "trade:request_answer": {"pk": trade_request.pk},
        "trade:request_withdraw": {"pk": trade_request.pk},
        "trade:document_file": {"pk": document.pk},
        "trade:notices": {},
        "parcels:manifest_detail": {"pk": parcel_group.manifest_id},
        "parcels:manifest_progress": {"pk": parcel_group.manifest_id},
        "parcels:group_detail": {"pk": parcel_group.pk},
        "parcels:detention_detail": {"pk": parcel_detention.pk},
        "parcels:detention_decide": {"pk": parcel_detention.pk},
        "parcels:detention_proof": {"pk": parcel_detention.pk},
        "parcels:detention_forfeiture": {"pk": parcel_detention.pk},
        "parcels:parcel_detail": {"tracking_number": parcel.tracking_number},
        "parcels:detention_review": {"pk": parcel_detention.pk},
        "parcels:review_decide": {"pk": parcel_review.pk},
        "parcels_portal:detention_list": {},
        "parcels_portal:detention_detail": {"pk": parcel_detention.pk},
        "parcels_portal:proof_submit": {"pk": parcel_detention.pk},
        "parcels_portal:protest_file": {"pk": parcel_detention.pk},
        "parcels_portal:document_file": {"pk": parcel_proof.documents.get().pk},
        "trade:notice_detail": {"pk": notice.pk},
        "ipr:detention_detail": {"pk": ipr_detention.pk},
        "ipr:photo_upload": {"pk": ipr_detention.pk},
        "ipr:detention_action": {"pk": ipr_detention.pk, "action": "sample"},
        "ipr:image_redact": {"pk": ipr_image.pk},
        "ipr:image_file": {"pk": ipr_image.pk, "variant": "image"},
        "ipr:respond": {"pk": ipr_detention.pk},
        "ipr:importer_reply": {"pk": ipr_detention.pk},
        "ipr:recordation_detail": {"pk": ipr_detention.recordations.get().pk},
        "metrics:export": {"key": "indicators", "fmt": "csv"},
        "metrics:outcome_evidence": {"pk": outcome.pk},
        "metrics:report_download": {"pk": report.pk},
        "statistics:export": {"dimension": "fiscal_year", "fmt": "csv"},
    }
    kwargs.update(_supplychain_kwargs(users["importer"], detention.entry.entry_number, case.reference))
    for name in [n for n in MATRIX if n.startswith("cases:case_") or n.startswith("cases:evidence_")]:
        kwargs.setdefault(name, ref)
    for name in ("task_add", "engagement_add", "comment_add", "ilo_matrix", "proposal_edit"):
        kwargs.setdefault(f"cases:{name}", ref)
    for name in ("cases:case_create", "cases:case_list"):
        kwargs[name] = {}
    api_values = {
        "GET /orders/{reference}": {"reference": order.reference},
        "GET /cases/{reference}": {"reference": case.reference},
        "GET /entries/{entry_number}": {"entry_number": detention.entry.entry_number},
        "GET /detentions/{detention_id}": {"detention_id": str(detention.pk)},
        "POST /entries/{entry_number}/detention": {"entry_number": detention.entry.entry_number},
        "POST /detentions/{detention_id}/decisions": {"detention_id": str(detention.pk)},
        "POST /detentions/{detention_id}/clocks/{kind}/extensions": {
            "detention_id": str(detention.pk),
            "kind": "decision",
        },
        "POST /detentions/{detention_id}/protests": {"detention_id": str(detention.pk)},
        "GET /petitions/{petition_id}": {"petition_id": str(change.pk)},
        "GET /manifests/{manifest_id}": {"manifest_id": str(parcel_group.manifest_id)},
        "GET /parcels/{tracking_number}": {"tracking_number": parcel.tracking_number},
        "POST /petitions/{petition_id}/decision": {"petition_id": str(change.pk)},
        "GET /ipr/detentions/{detention_id}": {"detention_id": str(ipr_detention.pk)},
        "POST /ipr/detentions/{detention_id}/response": {"detention_id": str(ipr_detention.pk)},
        **{
            key: {"map_id": str(kwargs["supplychain:detail"]["pk"])}
            for key in (
                "GET /supply-chains/{map_id}",
                "GET /supply-chains/{map_id}/risk",
                "GET /supply-chains/{map_id}/export",
            )
        },
        **{
            key: {"assessment_id": str(kwargs["supplychain:assessment"]["pk"]), "element": "cbp_code"}
            for key in (
                "GET /due-diligence/assessments/{assessment_id}",
                "PUT /due-diligence/assessments/{assessment_id}/answers/{element}",
                "POST /due-diligence/assessments/{assessment_id}/submit",
            )
        },
        **{
            key: {
                "plan_id": str(kwargs["supplychain:plan"]["pk"]),
                "milestone_id": str(kwargs["supplychain:milestone_done"]["milestone_pk"]),
            }
            for key in (
                "GET /due-diligence/plans/{plan_id}",
                "POST /due-diligence/plans/{plan_id}/milestones",
                "POST /due-diligence/plans/{plan_id}/milestones/{milestone_id}/done",
                "POST /due-diligence/plans/{plan_id}/outcome",
            )
        },
    }
    post_data = {
        "cases:evidence_import": {"attachment": str(attachment.pk)},
        "supplychain:from_entry": {"entry_number": detention.entry.entry_number},
        "supplychain:from_case": {"case": case.reference},
        "supplychain:attach_case": {"case": case.reference},
    }
    api_bodies: dict[str, dict[str, Any]] = {
        "POST /entries/{entry_number}/detention": {"reason": "Matches the order."},
        "POST /detentions/{detention_id}/decisions": {"decision": "release", "reason": "Admissible."},
        "POST /detentions/{detention_id}/clocks/{kind}/extensions": {
            "reason": "Laboratory results pending.",
            "approving_official": "Port director",
        },
        "POST /detentions/{detention_id}/protests": {"grounds": "The goods were not made with forced labor."},
        "POST /petitions": {"order": order.reference, "kind": "revoke", "grounds": "The supplier remediated."},
        "POST /petitions/{petition_id}/decision": {"decision": "deny", "note": "Not shown."},
        "POST /ipr/detentions/{detention_id}/response": {"answer": "counterfeit", "note": "Not our factory."},
        "POST /supply-chains": {
            "title": "Matrix map",
            "nodes": [
                {"id": "me", "name": "Harborline Apparel Imports LLC", "tier": 0},
                {"id": "f", "name": "Matrix Garment Factory", "country": "VN", "tier": 1},
            ],
            "links": [{"supplier": "f", "buyer": "me", "good": "Apparel", "hts": "6109.10", "share": 1}],
        },
        "PUT /due-diligence/assessments/{assessment_id}/answers/{element}": {
            "status": "partial",
            "narrative": "Drafted.",
        },
        "POST /due-diligence/plans": {"title": "Matrix plan"},
        "POST /due-diligence/plans/{plan_id}/milestones": {"title": "Audit the spinner", "due_date": "2026-12-31"},
        "POST /due-diligence/plans/{plan_id}/outcome": {"outcome": "abandon", "note": "Supplier dropped."},
        "POST /manifests": {
            "source": "postal",
            "carrier": "Matrix Post",
            "presented_on": "2026-01-05",
            "rows": [
                {
                    "tracking_number": "MATRIX000001",
                    "seller": "Matrix Shop",
                    "consignee": "M. Visitor",
                    "description": "mug",
                    "value_usd": 5,
                    "origin_country": "PT",
                }
            ],
        },
    }
    return Site(
        actors=actors,
        kwargs=kwargs,
        api_values=api_values,
        receipt=receipt,
        post_data=post_data,
        api_bodies=api_bodies,
    )


def _url_names(patterns: list[Any] | None = None, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            if ns in SKIPPED_NAMESPACES:
                continue
            yield from _url_names(entry.url_patterns, f"{namespace}{ns}:" if ns else namespace)
        elif entry.name:
            yield f"{namespace}{entry.name}", entry


class Visitor:
    """One client per actor, kept across visits (a new test client loads every middleware again)."""

    def __init__(self, actor: User | None) -> None:
        self.actor = actor
        self.client = Client()
        self._sign_in()

    def _sign_in(self) -> None:
        self.client.cookies.clear()
        if self.actor is not None:
            self.client.force_login(self.actor)

    def visit(self, send: Callable[[Client], Any]) -> Any:
        """Send one request, rolled back: what one visit does never changes the next answer."""
        with transaction.atomic():
            cache.clear()  # rate limits must not turn an answer into a 429
            result = send(self.client)
            transaction.set_rollback(True)
        # A fresh session for the next visit (the rolled-back one may be gone, or signed out).
        self._sign_in()
        return result


def _answer(response: Any, *, api: bool = False) -> str:
    code = response.status_code
    if code >= 500:
        return f"server error {code}"
    if code in (403, 404, 405):
        return str(code)
    if api and code == 401:
        return "login"
    if code in (301, 302, 303, 307, 308):
        target = response.headers.get("Location", "")
        return "login" if target.startswith(reverse("login")) else "allowed"
    return "allowed"


def _get_or_post(path: str, data: dict[str, str]) -> Callable[[Client], str]:
    def send(client: Client) -> str:
        answer = _answer(client.get(path))
        if answer == "405":
            answer = _answer(client.post(path, data))
        return answer

    return send


def _expected(entry: set[str] | str, actors: dict[str, Any]) -> set[str]:
    if entry == EVERYONE:
        return set(actors)
    if entry == SIGNED_IN:
        return set(actors) - {ANON}
    assert isinstance(entry, set)
    return entry


def _check(name: str, answers: dict[str, str], expected: set[str], problems: list[str]) -> None:
    for who, answer in sorted(answers.items()):
        if answer.startswith("server error"):
            problems.append(f"{name}: {who} got a {answer}")
        elif (answer == "allowed") != (who in expected):
            problems.append(f"{name}: {who} got {answer!r}, expected {'allowed' if who in expected else 'denied'}")
        elif who == ANON and answer not in ("allowed", "login", "404"):
            problems.append(f"{name}: anonymous got {answer!r}; expected the sign-in page")


def test_every_url_by_role(site: Site) -> None:
    problems: list[str] = []
    seen: set[str] = set()
    visitors = {who: Visitor(actor) for who, actor in site.actors.items()}
    for name, pattern in _url_names():
        seen.add(name)
        if name not in MATRIX:
            problems.append(
                f"{name}: no entry in MATRIX (tests/test_url_access.py); add one line with the roles allowed"
            )
            continue
        needs = set(pattern.pattern.converters)
        kwargs = site.kwargs.get(name, {})
        if needs - set(kwargs):
            problems.append(f"{name}: add its path parameters {sorted(needs)} to the site fixture's kwargs")
            continue
        path = reverse(name, kwargs=kwargs or None)
        send = _get_or_post(path, site.post_data.get(name, {}))
        answers = {who: visitor.visit(send) for who, visitor in visitors.items()}
        _check(name, answers, _expected(MATRIX[name], site.actors), problems)
    problems += [f"{name}: in MATRIX but no longer a URL; remove the line" for name in sorted(set(MATRIX) - seen)]
    assert not problems, "\n".join(problems)


def _api_operations() -> Iterator[tuple[str, str, str]]:
    from section307.config.api import api

    for _prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                for method in operation.methods:
                    yield method, path, f"{method} {path}"


def _api_call(method: str, url: str, extra: dict[str, str], body: dict[str, Any]) -> Callable[[Client], str]:
    def send(client: Client) -> str:
        if method == "GET":
            return _answer(client.get(url, **extra), api=True)
        return _answer(
            client.generic(method, url, json.dumps(body), content_type="application/json", **extra), api=True
        )

    return send


def test_every_api_operation_by_role(site: Site) -> None:
    problems: list[str] = []
    seen: set[str] = set()
    headers: Callable[[str], dict[str, str]] = lambda key: (  # noqa: E731
        {"HTTP_X_RECEIPT_CODE": site.receipt} if key.startswith(("GET /allegations/", "POST /allegations/")) else {}
    )
    visitors = {who: Visitor(actor) for who, actor in site.actors.items()}
    for method, path, key in _api_operations():
        seen.add(key)
        if key not in API_MATRIX:
            problems.append(f"{key}: no entry in API_MATRIX (tests/test_url_access.py); add one with the roles allowed")
            continue
        url = "/api/v1" + path.format(**site.api_values.get(key, {}))
        send = _api_call(method, url, headers(key), site.api_bodies.get(key, {}))
        answers = {who: visitor.visit(send) for who, visitor in visitors.items()}
        _check(key, answers, _expected(API_MATRIX[key], site.actors), problems)
    problems += [f"{key}: in API_MATRIX but no longer an operation" for key in sorted(set(API_MATRIX) - seen)]
    assert not problems, "\n".join(problems)
