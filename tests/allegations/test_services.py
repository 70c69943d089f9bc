"""Submission, anonymity, encryption of identity, files, and every triage action with its audit row."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage

from section307.accounts import roles
from section307.allegations import crypto, services
from section307.allegations.inputs import AllegationInvalid, IndicatorInput, NamedPartyInput
from section307.allegations.models import (
    Allegation,
    AllegationMessage,
    AllegationStatus,
    Attachment,
    PublicStatus,
)
from section307.allegations.receipts import receipt_digest
from section307.allegations.selectors import allegation_by_receipt, allegation_public_status
from section307.allegations.services import FileInput
from section307.core.lifecycle import TransitionNotAllowed
from section307.core.models import AuditEvent
from section307.goods.models import Good, GoodHtsCode
from section307.parties.services import party_resolve

from .conftest import identified_input, jpeg_with_gps, pdf_with_author, valid_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(make_user: Any) -> Any:
    return make_user(roles.ANALYST)


@pytest.fixture
def supervisor(make_user: Any) -> Any:
    return make_user(roles.SUPERVISOR)


def submit(**kwargs: Any) -> tuple[Allegation, str]:
    data = kwargs.pop("data", None) or valid_input()
    return services.allegation_submit(actor=services.PUBLIC, data=data, **kwargs)


def test_submit_saves_everything_and_returns_receipt_once(countries: None) -> None:
    allegation, code = submit()
    assert allegation.reference.startswith("ALG-") and allegation.status == AllegationStatus.NEW
    assert allegation.receipt_digest == receipt_digest(code)
    # The code itself is nowhere in the row.
    assert code not in str(Allegation.objects.filter(pk=allegation.pk).values().get())
    assert allegation_by_receipt(code=code) == allegation
    assert allegation.named_parties.get().name == "Tianshan Harvest Textile Co., Ltd."
    assert allegation.indicators.get().indicator == "retention_of_documents"
    assert allegation.shipment_refs == [{"kind": "container", "value": "MSCU 765432 1"}]
    assert allegation.country_id == "CN"
    assert AuditEvent.objects.filter(action="allegation.submit", actor_label="public").count() == 1


def test_invalid_input_has_field_errors_and_saves_nothing(countries: None) -> None:
    data = valid_input(
        reasons="",
        source_type="gossip",
        hts_code="61x",
        country="ZZ",
        indicators=[IndicatorInput("debt_bondage", "  ")],
        parties=[NamedPartyInput("manufacturer", "", "an address only", "")],
    )
    with pytest.raises(AllegationInvalid) as info:
        submit(data=data)
    assert {"reasons", "source_type", "hts_code", "country", "indicators.debt_bondage", "parties.0.name"} <= set(
        info.value.errors
    )
    assert Allegation.objects.count() == 0


def test_known_parties_are_linked_and_goods_matched_by_hts(countries: None) -> None:
    from section307.geo.models import Country

    party, _ = party_resolve(
        actor=None, name="Tianshan Harvest Textile Co., Ltd.", country=Country.objects.get(code="CN")
    )
    yarn = Good.objects.create(name="Cotton yarn")
    GoodHtsCode.objects.create(good=yarn, code="5205")
    allegation, _ = submit(
        data=valid_input(parties=[NamedPartyInput("manufacturer", "TIANSHAN HARVEST TEXTILE CO LTD", "", "CN")])
    )
    assert allegation.named_parties.get().party == party
    assert list(allegation.goods.all()) == [yarn]


def test_anonymous_submission_stores_no_request_metadata(countries: None, client: Any) -> None:
    """Post through the API with a distinctive address and user agent; no saved row may contain them."""
    import json

    response = client.post(
        "/api/v1/allegations",
        data=json.dumps(
            {
                "reasons": "Forced overtime and confiscated passports at the glove factory in Klang.",
                "source_type": "worker_testimony",
                "merchandise": "Nitrile gloves",
            }
        ),
        content_type="application/json",
        REMOTE_ADDR="203.0.113.77",
        HTTP_USER_AGENT="DistinctiveAgent/9.9",
        HTTP_X_FORWARDED_FOR="198.51.100.23",
    )
    assert response.status_code == 201
    field_names = {f.name for m in (Allegation, Attachment, AllegationMessage) for f in m._meta.get_fields()}
    import re

    assert not {n for n in field_names if re.search(r"(^|_)ip($|_)|agent|remote|forwarded|fingerprint", n)}
    dumps = [
        str(list(Allegation.objects.values())),
        str(list(AuditEvent.objects.values())),
        str(list(Attachment.objects.values())),
    ]
    for dump in dumps:
        for needle in ("203.0.113.77", "DistinctiveAgent", "198.51.100.23"):
            assert needle not in dump


def test_identity_is_encrypted_at_rest(countries: None) -> None:
    allegation, _ = submit(data=identified_input())
    row = Allegation.objects.filter(pk=allegation.pk).values().get()
    assert "Li Wen" not in str(row) and "liwen@example.org" not in str(row)
    assert crypto.decrypt_json(row["identity_encrypted"])["name"] == "Li Wen"
    assert not allegation.is_anonymous


def test_identity_readable_only_with_permission_and_every_read_audited(
    countries: None, analyst: Any, supervisor: Any
) -> None:
    allegation, _ = submit(data=identified_input())
    with pytest.raises(PermissionDenied):
        services.allegation_reveal_identity(actor=analyst, allegation=allegation)
    with pytest.raises(PermissionDenied):
        services.allegation_reveal_identity(actor=None, allegation=allegation)
    identity = services.allegation_reveal_identity(actor=supervisor, allegation=allegation)
    assert identity is not None and identity["email"] == "liwen@example.org"
    services.allegation_reveal_identity(actor=supervisor, allegation=allegation)
    reads = AuditEvent.objects.filter(action="allegation.identity_read", actor=supervisor)
    assert reads.count() == 2


def test_contact_by_email_needs_an_email(countries: None) -> None:
    with pytest.raises(AllegationInvalid) as info:
        submit(data=valid_input(contact_allowed=True, contact_method="email"))
    assert "identity.email" in info.value.errors


def test_files_original_encrypted_sanitized_copy_and_hashes(countries: None, analyst: Any, supervisor: Any) -> None:
    photo = jpeg_with_gps()
    allegation, _ = submit(files=[FileInput("IMG_LiWen_Aksu.jpg", photo, "dormitory gate")])
    attachment = allegation.attachments.get()
    assert attachment.kind == "image" and attachment.sanitization == "cleaned"
    assert "GPS" in attachment.removed_metadata
    # The original file name is not stored in clear.
    assert "LiWen" not in str(Attachment.objects.filter(pk=attachment.pk).values().get())
    with default_storage.open(attachment.original_path, "rb") as fh:
        assert fh.read() != photo
    data, name = services.attachment_read(actor=analyst, attachment=attachment, original=False)
    assert b"Jane Reporter" not in data and name == attachment.display_name
    with pytest.raises(PermissionDenied):
        services.attachment_read(actor=analyst, attachment=attachment, original=True)
    original, original_name = services.attachment_read(actor=supervisor, attachment=attachment, original=True)
    assert original == photo and original_name == "IMG_LiWen_Aksu.jpg"
    assert AuditEvent.objects.filter(action="allegation.original_read", actor=supervisor).count() == 1
    assert AuditEvent.objects.filter(action="allegation.file_read", actor=analyst).count() == 1


def test_discard_originals_on_request(countries: None, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        allegation, _ = submit(
            data=valid_input(discard_originals=True), files=[FileInput("scan.pdf", pdf_with_author())]
        )
    attachment = allegation.attachments.get()
    assert attachment.original_path == "" and attachment.original_discarded_at is not None
    assert attachment.sanitized_path and default_storage.exists(attachment.sanitized_path)


def test_one_bad_file_rejects_the_submission_and_writes_nothing(countries: None) -> None:
    before = (
        set(default_storage.listdir("allegations/evidence")[1])
        if default_storage.exists("allegations/evidence")
        else set()
    )
    with pytest.raises(AllegationInvalid) as info:
        submit(files=[FileInput("a.jpg", jpeg_with_gps()), FileInput("b.jpg", b"MZ" + b"\x00" * 100)])
    assert "files.1" in info.value.errors
    assert Allegation.objects.count() == 0 and Attachment.objects.count() == 0
    after = (
        set(default_storage.listdir("allegations/evidence")[1])
        if default_storage.exists("allegations/evidence")
        else set()
    )
    assert after == before


def test_file_count_limit(countries: None, settings: Any) -> None:
    settings.SECTION307_ALLEGATION_LIMITS = {**settings.SECTION307_ALLEGATION_LIMITS, "max_files": 1}
    with pytest.raises(AllegationInvalid) as info:
        submit(files=[FileInput("a.pdf", pdf_with_author()), FileInput("b.pdf", pdf_with_author())])
    assert "files" in info.value.errors


def test_question_and_answer_through_the_receipt_channel(countries: None, analyst: Any) -> None:
    allegation, _code = submit()
    assert allegation_public_status(allegation=allegation) == PublicStatus.RECEIVED
    services.allegation_ask(actor=analyst, allegation=allegation, question="Which month did this start?")
    allegation.refresh_from_db()
    assert allegation.status == AllegationStatus.INFO_REQUESTED
    assert allegation_public_status(allegation=allegation) == PublicStatus.INFO_REQUESTED
    services.allegation_reporter_message(
        actor=services.PUBLIC, allegation=allegation, body="March 2025.", files=[FileInput("p.pdf", pdf_with_author())]
    )
    allegation.refresh_from_db()
    assert allegation.status == AllegationStatus.IN_TRIAGE
    assert allegation.reporter_activity_at is not None
    assert allegation_public_status(allegation=allegation) == PublicStatus.UNDER_REVIEW
    assert allegation.messages.get(direction="to_reporter").answered_at is not None
    assert allegation.attachments.count() == 1


def test_reporter_message_needs_content(countries: None) -> None:
    allegation, _ = submit()
    with pytest.raises(AllegationInvalid):
        services.allegation_reporter_message(actor=services.PUBLIC, allegation=allegation, body="   ")


def test_merge_duplicates_into_the_root(countries: None, analyst: Any) -> None:
    first, _ = submit()
    second, _ = submit()
    third, _ = submit()
    services.allegation_mark_duplicate(actor=analyst, allegation=second, original=first)
    # Marking a duplicate of a duplicate merges into the root, never into a chain.
    services.allegation_mark_duplicate(actor=analyst, allegation=third, original=second)
    third.refresh_from_db()
    assert third.duplicate_of == first and third.status == AllegationStatus.DUPLICATE
    with pytest.raises(AllegationInvalid):
        services.allegation_mark_duplicate(actor=analyst, allegation=first, original=first)
    assert AuditEvent.objects.filter(action="allegation.mark_duplicate").count() == 2
    # The reporter of a merged allegation follows the surviving one.
    services.allegation_close(actor=analyst, allegation=first, reason="insufficient")
    assert allegation_public_status(allegation=third) == PublicStatus.CLOSED


def test_escalate_records_case_and_shows_under_review(countries: None, analyst: Any) -> None:
    allegation, _ = submit()
    services.allegation_mark_escalated(actor=analyst, allegation=allegation, case_reference="CASE-2026-0007")
    allegation.refresh_from_db()
    assert allegation.status == AllegationStatus.ESCALATED and allegation.case_reference == "CASE-2026-0007"
    assert allegation_public_status(allegation=allegation) == PublicStatus.UNDER_REVIEW
    event = AuditEvent.objects.get(action="allegation.escalate")
    assert event.actor == analyst and event.data["case_reference"] == "CASE-2026-0007"
    with pytest.raises(AllegationInvalid):
        services.allegation_mark_escalated(actor=analyst, allegation=allegation, case_reference="")


def test_close_and_reopen_rules(countries: None, analyst: Any, supervisor: Any) -> None:
    allegation, _ = submit()
    with pytest.raises(AllegationInvalid):
        services.allegation_close(actor=analyst, allegation=allegation, reason="because")
    services.allegation_close(actor=analyst, allegation=allegation, reason="out_of_scope", note="Domestic only")
    allegation.refresh_from_db()
    assert allegation.status == AllegationStatus.CLOSED and allegation.closed_at
    with pytest.raises(TransitionNotAllowed):
        services.allegation_close(actor=analyst, allegation=allegation, reason="spam")
    with pytest.raises(TransitionNotAllowed):
        services.allegation_reopen(actor=analyst, allegation=allegation)
    services.allegation_reopen(actor=supervisor, allegation=allegation)
    allegation.refresh_from_db()
    assert allegation.status == AllegationStatus.IN_TRIAGE


def test_triage_needs_permission(countries: None, make_user: Any) -> None:
    allegation, _ = submit()
    trade = make_user(roles.TRADE_USER)
    for call in (
        lambda: services.allegation_start_triage(actor=trade, allegation=allegation),
        lambda: services.allegation_ask(actor=trade, allegation=allegation, question="?"),
        lambda: services.allegation_close(actor=trade, allegation=allegation, reason="spam"),
        lambda: services.allegation_mark_escalated(actor=None, allegation=allegation, case_reference="C-1"),
    ):
        with pytest.raises(PermissionDenied):
            call()


def test_extract_parties_creates_records(countries: None, analyst: Any) -> None:
    allegation, _ = submit(
        data=valid_input(parties=[NamedPartyInput("supplier", "Aksu Red Star Ginning Co.", "", "CN")])
    )
    linked = services.allegation_extract_parties(actor=analyst, allegation=allegation)
    assert len(linked) == 1 and linked[0].party is not None
    assert linked[0].party.name == "Aksu Red Star Ginning Co."
    assert AuditEvent.objects.filter(action="allegation.extract_parties").exists()


def test_draft_files_attach_on_submit_and_expire(countries: None) -> None:
    from datetime import timedelta

    key = "k" * 40
    kept = services.draft_attachment_add(actor=None, draft_key=key, file=FileInput("a.pdf", pdf_with_author()))
    allegation, _ = submit(draft_key=key)
    kept.refresh_from_db()
    assert kept.allegation == allegation and kept.draft_key == ""
    other = services.draft_attachment_add(actor=None, draft_key="z" * 40, file=FileInput("b.pdf", pdf_with_author()))
    Attachment.objects.filter(pk=other.pk).update(created_at=other.created_at - timedelta(days=30))
    assert services.drafts_purge_expired() == 1
    assert not Attachment.objects.filter(pk=other.pk).exists()
    assert Attachment.objects.filter(pk=kept.pk).exists()


def test_key_rotation_covers_identities_and_files(
    countries: None, settings: Any, analyst: Any, supervisor: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    photo = jpeg_with_gps()
    allegation, _ = submit(data=identified_input(), files=[FileInput("IMG_1.jpg", photo)])
    old_paths = [allegation.attachments.get().original_path, allegation.attachments.get().sanitized_path]
    new_key = Fernet.generate_key().decode()
    settings.SECTION307_ENCRYPTION_KEYS = [new_key, *settings.SECTION307_ENCRYPTION_KEYS]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("allegations", "rotate-keys")
    # Only the new key is left: everything still opens, and the old encrypted files are gone.
    settings.SECTION307_ENCRYPTION_KEYS = [new_key]
    allegation.refresh_from_db()
    assert crypto.decrypt_json(allegation.identity_encrypted)["name"] == "Li Wen"
    attachment = allegation.attachments.get()
    data, name = services.attachment_read(actor=supervisor, attachment=attachment, original=True)
    assert data == photo and name == "IMG_1.jpg"
    assert services.attachment_read(actor=analyst, attachment=attachment, original=False)[0]
    assert not any(default_storage.exists(p) for p in old_paths)


@pytest.mark.parametrize("status", ["closed", "duplicate"])
def test_closed_allegation_refuses_triage_writes(countries: None, analyst: Any, status: str) -> None:
    """A closed or merged allegation is read-only for triage until a supervisor reopens it."""
    from section307.core.errors import Conflict

    allegation, _ = submit()
    Allegation.objects.filter(pk=allegation.pk).update(status=status)
    named = allegation.named_parties.first()
    writes = [
        lambda: services.allegation_start_triage(actor=analyst, allegation=allegation),
        lambda: services.allegation_update_extraction(
            actor=analyst, allegation=allegation, goods=[], country=None, region=None, industry="x", hts_code=""
        ),
        lambda: services.allegation_extract_parties(actor=analyst, allegation=allegation),
        lambda: services.allegation_link_party(actor=analyst, named=named, party=None),
    ]
    for write in writes:
        with pytest.raises(Conflict) as exc:
            write()
        assert exc.value.code == "allegation_closed" and allegation.reference in exc.value.message
    allegation.refresh_from_db()
    assert allegation.status == status and allegation.industry == "apparel"


def test_superuser_flag_alone_does_not_reveal_identity_or_originals(countries: None, make_user: Any) -> None:
    """Identities and originals are for the roles docs/allegations.md names, not for any superuser."""
    allegation, _ = submit(data=identified_input(), files=[FileInput("p.jpg", jpeg_with_gps())])
    root = make_user(None)
    root.is_superuser = True
    root.save()
    with pytest.raises(PermissionDenied):
        services.allegation_reveal_identity(actor=root, allegation=allegation)
    with pytest.raises(PermissionDenied):
        services.attachment_read(actor=root, attachment=allegation.attachments.get(), original=True)
    supervisor = make_user(roles.SUPERVISOR)
    assert services.allegation_reveal_identity(actor=supervisor, allegation=allegation)["name"] == "Li Wen"


def test_only_a_role_with_the_reopen_permission_reopens(countries: None, make_user: Any) -> None:
    allegation, _ = submit()
    admin = make_user(roles.ADMINISTRATOR)
    admin.groups.add(Group.objects.get(name=roles.ANALYST))
    services.allegation_close(actor=admin, allegation=allegation, reason="spam")
    with pytest.raises(TransitionNotAllowed):
        services.allegation_reopen(actor=admin, allegation=allegation)
    services.allegation_reopen(actor=make_user(roles.SUPERVISOR), allegation=allegation)
