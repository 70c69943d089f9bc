"""Evidence: hashed on arrival, typed from content, size-limited, immutable, with a chain of custody."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory
from django.urls import reverse

from section307.cases import services
from section307.cases.admin import EvidenceAdmin
from section307.cases.evidence_files import evidence_content
from section307.cases.models import CustodyEvent, Evidence, ImmutableRecord
from section307.core.models import AuditEvent

from .conftest import World, add_evidence, open_case, png_bytes


def test_sha256_and_type_from_content(world: World) -> None:
    case = open_case(world)
    data = png_bytes()
    ev = add_evidence(world, case, content=data, name="looks-like-text.txt", kind=Evidence.Kind.PHOTO)
    assert ev.sha256 == hashlib.sha256(data).hexdigest()
    assert ev.content_type == "image/png" and ev.size == len(data)
    assert ev.original_filename == "looks-like-text.txt" and not ev.file.name.endswith(".txt")
    with ev.file.open("rb") as fh:
        on_disk = fh.read()
    assert data not in on_disk and b"PNG" not in on_disk  # encrypted at rest
    assert evidence_content(ev) == data
    assert [c.action for c in ev.custody.all()] == [CustodyEvent.Action.ADDED]
    assert AuditEvent.objects.filter(action="evidence.add", target_id=str(ev.pk)).exists()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64, "not accepted"),
        (bytes(range(256)) * 4, "not accepted"),
        (b"", "empty"),
    ],
)
def test_bad_files_are_refused_with_a_reason_and_nothing_is_stored(world: World, content: bytes, reason: str) -> None:
    case = open_case(world)
    with pytest.raises(ValidationError) as exc:
        add_evidence(world, case, content=content, name="x.pdf")
    assert reason in exc.value.message_dict["file"][0]
    assert not Evidence.objects.exists()


def test_size_limit(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.CASES_EVIDENCE_MAX_BYTES = 1024
    case = open_case(world)
    with pytest.raises(ValidationError) as exc:
        add_evidence(world, case, content=b"a" * 2048)
    assert "larger than" in exc.value.message_dict["file"][0]


def test_evidence_rows_cannot_change_or_go(world: World) -> None:
    case = open_case(world)
    ev = add_evidence(world, case)
    ev.title = "Tampered"
    with pytest.raises(ImmutableRecord):
        ev.save()
    with pytest.raises(ImmutableRecord):
        ev.delete()
    assert Evidence.objects.get(pk=ev.pk).title == "Interview note"
    # No service offers an update or a delete.
    assert not [n for n in dir(services) if n.startswith("evidence_") and ("update" in n or "delete" in n)]


def test_storage_is_write_once(world: World) -> None:
    case = open_case(world)
    ev = add_evidence(world, case)
    storage = ev.file.storage
    with pytest.raises(FileExistsError):
        storage.save(ev.file.name, io.BytesIO(b"replacement"))
    with pytest.raises(PermissionError):
        storage.delete(ev.file.name)
    assert services.evidence_verify(actor=world.analyst, evidence=ev) is True


def test_verify_detects_a_changed_file(world: World) -> None:
    case = open_case(world)
    ev = add_evidence(world, case)
    path = ev.file.path
    import os

    os.chmod(path, 0o640)
    with open(path, "ab") as fh:
        fh.write(b"tampered")
    assert services.evidence_verify(actor=world.analyst, evidence=ev) is False
    assert ev.custody.filter(action="verified", detail__match=False).exists()
    client = Client()
    client.force_login(world.analyst)
    response = client.get(reverse("cases:evidence_download", args=[case.reference, ev.pk]))
    assert response.status_code == 302 and b"tampered" not in response.content


def test_admin_is_read_only(world: World) -> None:
    request = RequestFactory().get("/")
    request.user = world.admin
    admin = EvidenceAdmin(Evidence, site)
    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request)
    assert not admin.has_delete_permission(request)


def test_views_and_downloads_enter_the_chain_of_custody(world: World) -> None:
    case = open_case(world)
    ev = add_evidence(world, case)
    client = Client()
    client.force_login(world.teammate)
    assert client.get(reverse("cases:evidence_detail", args=[case.reference, ev.pk])).status_code == 200
    response = client.get(reverse("cases:evidence_download", args=[case.reference, ev.pk]))
    assert response.status_code == 200
    assert response.content == b"Interview: passports held by the mill.\n"
    assert response["Cache-Control"] == "no-store"
    actions = list(ev.custody.values_list("action", "actor_label"))
    assert ("viewed", "tea") in actions and ("downloaded", "tea") in actions
    assert AuditEvent.objects.filter(action="evidence.downloaded", actor=world.teammate).exists()


def test_annotations_and_tags_do_not_change_the_evidence(world: World) -> None:
    case = open_case(world)
    ev = add_evidence(world, case)
    before = Evidence.objects.filter(pk=ev.pk).values().get()
    services.evidence_annotate(actor=world.analyst, evidence=ev, body="Corroborated by audit")
    tag = services.evidence_tag(actor=world.analyst, evidence=ev, indicator="documents", strength="strong")
    services.evidence_tag_withdraw(actor=world.analyst, tag=tag)
    assert Evidence.objects.filter(pk=ev.pk).values().get() == before
    assert ev.annotations.count() == 1 and ev.tags.get().withdrawn_at is not None
    assert [c.action for c in ev.custody.all()] == ["added", "annotated", "tagged"]


def test_upload_through_the_page(world: World) -> None:
    case = open_case(world)
    client = Client()
    client.force_login(world.analyst)
    url = reverse("cases:evidence_list", args=[case.reference])
    upload = io.BytesIO(png_bytes())
    upload.name = "photo.png"
    response = client.post(
        url,
        {
            "file": upload,
            "kind": "photo",
            "title": "Dormitory",
            "source": "NGO",
            "reliability": "C",
            "date_obtained": "2026-01-01",
        },
    )
    assert response.status_code == 302
    bad = io.BytesIO(b"\x7fELF\x02\x01\x01" + b"\x00" * 60)
    bad.name = "photo.png"
    response = client.post(
        url,
        {
            "file": bad,
            "kind": "photo",
            "title": "Bad",
            "source": "NGO",
            "reliability": "C",
            "date_obtained": "2026-01-01",
        },
    )
    assert response.status_code == 400 and b"not accepted" in response.content
    assert Evidence.objects.count() == 1


def test_manifest_export_is_logged_per_piece(world: World) -> None:
    case = open_case(world)
    first = add_evidence(world, case)
    second = add_evidence(world, case, content=png_bytes(), name="p.png", kind=Evidence.Kind.PHOTO)
    client = Client()
    client.force_login(world.analyst)
    response = client.get(reverse("cases:evidence_manifest", args=[case.reference]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert first.sha256.encode() in response.content and second.sha256.encode() in response.content
    assert CustodyEvent.objects.filter(action="exported").count() == 2
    partner = Client()
    partner.force_login(world.partner)
    assert partner.get(reverse("cases:evidence_manifest", args=[case.reference])).status_code == 404
