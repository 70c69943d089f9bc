"""Stored files: no public route, every file URL refused to anonymous and wrong-role users, random names,
encryption at rest (with the data migration for older files), and the orphan sweep."""

from __future__ import annotations

import importlib
import io
import os
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from pypdf import PdfWriter
from tests.allegations.conftest import jpeg_with_gps, valid_input
from tests.cases.conftest import World, add_evidence, open_case

from section307.accounts import roles
from section307.allegations import services as allegation_services
from section307.allegations.services import FileInput
from section307.cases import services as case_services
from section307.cases.evidence_files import evidence_content
from section307.core.storedfiles import media_root, orphans
from section307.ports.demo import demo_photo
from section307.ports.models import Entry, ExamImage
from section307.ports.services import image_add, image_redact
from section307.trade import services as trade_services
from section307.trade.models import RequestDocument
from section307.trade.uploads import document_content

pytestmark = pytest.mark.django_db


def _client(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def refused(response: Any, secret: bytes) -> bool:
    """Refused: 403 or 404, or (anonymous) a redirect to the sign-in page; never the file's bytes."""
    if secret and secret in response.content:
        return False
    if response.status_code == 302:
        return response["Location"].startswith(reverse("login"))
    return response.status_code in (403, 404)


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    writer.add_metadata({"/Title": "Certificate of origin 4471"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_no_route_serves_the_media_root() -> None:
    def walk(patterns: list[Any]) -> list[Any]:
        found = []
        for p in patterns:
            if isinstance(p, URLResolver):
                found += walk(p.url_patterns)
            elif isinstance(p, URLPattern):
                found.append(p.callback)
        return found

    views = walk(get_resolver().url_patterns)
    assert not [v for v in views if getattr(v, "__module__", "") == "django.views.static"]
    assert _client().get("/media/evidence/anything").status_code == 404


def test_case_evidence_url_is_refused_to_anonymous_and_wrong_roles(world: World) -> None:
    secret = b"Interview: passports held by the mill.\n"
    case = open_case(world)
    ev = add_evidence(world, case, content=secret)
    url = reverse("cases:evidence_download", args=[case.reference, ev.pk])
    assert _client(world.teammate).get(url).content == secret
    for user in (None, world.outsider, world.partner, world.trader, world.officer, world.foreign_supervisor):
        assert refused(_client(user).get(url), secret), user
    # Encrypted at rest under a random name; the hash and the verification work on the plaintext.
    assert secret not in (media_root() / ev.file.name).read_bytes()
    assert "note" not in ev.file.name and case_services.evidence_verify(actor=world.analyst, evidence=ev)


def test_trade_document_url_is_refused_to_anonymous_and_wrong_roles(
    registry: Any, file_entry: Callable[..., Entry], officer: Any, importers: Any
) -> None:
    entry = file_entry()
    from section307.ports.services import entry_detain

    detention = entry_detain(actor=officer, entry=entry, reason="Labels name the WRO manufacturer")
    req = trade_services.request_create(actor=importers[0], kind="wro_admissibility", detention=detention)
    data = _pdf()
    doc = trade_services.document_add(
        actor=importers[0], request=req, data=data, name="co-2026-03-04.pdf", category="certificate_of_origin"
    )
    url = reverse("trade:document_file", args=[doc.pk])
    assert _client(importers[0]).get(url).content == data
    for user in (None, importers[1]):
        assert refused(_client(user).get(url), b"Certificate of origin 4471"), user
    on_disk = (media_root() / doc.file.name).read_bytes()
    assert b"Certificate of origin 4471" not in on_disk and b"%PDF" not in on_disk
    assert "co-2026" not in doc.file.name and document_content(doc) == data
    # Neither the upload time nor the organization is in the name: a random 128-bit token.
    assert len(doc.file.name.rsplit("/", 1)[-1].split(".")[0]) == 32


def test_exam_image_urls_are_refused_to_anonymous_and_wrong_roles(
    registry: Any, file_entry: Callable[..., Entry], officer: Any, importers: Any, make_user: Any
) -> None:
    entry = file_entry()
    shared = image_add(actor=officer, entry=entry, data=demo_photo("LABEL"), original_name="l.jpg", caption="Label")
    internal = image_add(
        actor=officer, entry=entry, data=demo_photo("SEAL"), original_name="s.jpg", caption="Seal",
        shared_with_importer=False,
    )  # fmt: skip
    image_redact(actor=officer, image=shared, boxes=[(0.1, 0.1, 0.4, 0.4)])
    partner = make_user(roles.PARTNER_AGENCY)  # analysts see entries (and their photos); partners do not
    for image, variant in ((shared, "image_file"), (shared, "image_redacted"), (internal, "image_file")):
        url = reverse(f"ports:{variant}", args=[image.pk])
        assert _client(officer).get(url).status_code == 200
        for user in (None, importers[1], partner):
            assert refused(_client(user).get(url), b"JFIF"), (user, url)
    assert refused(_client(importers[0]).get(reverse("ports:image_file", args=[internal.pk])), b"JFIF")
    assert entry.entry_number not in shared.image.name and "l.jpg" not in shared.image.name


def test_allegation_attachment_urls_are_refused_to_anonymous_and_wrong_roles(make_user: Any) -> None:
    from section307.geo.services import countries_sync

    countries_sync()
    allegation, _code = allegation_services.allegation_submit(
        actor=allegation_services.PUBLIC, data=valid_input(), files=[FileInput("gate.jpg", jpeg_with_gps())]
    )
    attachment = allegation.attachments.get()
    for version in ("sanitized", "original"):
        url = f"/allegations/{allegation.pk}/files/{attachment.pk}/{version}/"
        for role in (None, roles.TRADE_USER, roles.PORT_OFFICER, roles.PARTNER_AGENCY):
            user = make_user(role) if role else None
            assert refused(_client(user).get(url), b"JFIF"), (role, url)


def test_data_migration_encrypts_plaintext_evidence_and_documents(world: World) -> None:
    secret = b"Payroll ledger, March: deductions for recruitment fees.\n"
    case = open_case(world)
    ev = add_evidence(world, case, content=secret)
    old = media_root() / ev.file.name
    os.chmod(old, 0o640)
    old.write_bytes(secret)  # as stored before encryption at rest
    migration = importlib.import_module("section307.cases.migrations.0004_encrypt_stored_evidence")
    migration.encrypt_existing(apps, None)
    ev.refresh_from_db()
    assert not old.exists() and secret not in (media_root() / ev.file.name).read_bytes()
    assert evidence_content(ev) == secret
    assert case_services.evidence_verify(actor=world.analyst, evidence=ev)
    name = ev.file.name
    migration.encrypt_existing(apps, None)  # a second run changes nothing
    ev.refresh_from_db()
    assert ev.file.name == name
    importlib.import_module("section307.trade.migrations.0003_encrypt_stored_documents").encrypt_existing(apps, None)
    assert not RequestDocument.objects.exists()


def test_sweep_finds_orphans_dry_run_by_default_and_deletes_on_request(world: World, capsys: Any) -> None:
    case = open_case(world)
    ev = add_evidence(world, case)
    orphan = media_root() / "allegations" / "evidence" / "0123456789abcdef0123456789abcdef.bin"
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"left by a killed worker")
    hour_ago = time.time() - 2 * 3600
    os.utime(orphan, (hour_ago, hour_ago))
    os.utime(media_root() / ev.file.name, (hour_ago, hour_ago))
    fresh = media_root() / "trade" / "fedcba9876543210fedcba9876543210.bin"
    fresh.parent.mkdir(parents=True, exist_ok=True)
    fresh.write_bytes(b"an upload still committing")

    elsewhere = media_root() / "exports" / "report.csv"  # not an upload folder: never swept
    elsewhere.parent.mkdir(parents=True, exist_ok=True)
    elsewhere.write_bytes(b"kept")
    os.utime(elsewhere, (hour_ago, hour_ago))

    names = {o.name for o in orphans()}
    assert "exports/report.csv" not in names
    assert "allegations/evidence/0123456789abcdef0123456789abcdef.bin" in names
    assert ev.file.name not in names and fresh.relative_to(media_root()).as_posix() not in names
    call_command("files", "sweep")
    assert orphan.exists() and "dry run" in capsys.readouterr().out
    call_command("files", "sweep", "--delete")
    assert not orphan.exists() and fresh.exists() and (media_root() / ev.file.name).exists()
    assert elsewhere.exists()
    assert ExamImage.objects.count() == 0  # nothing else touched
    fresh.unlink()
    elsewhere.unlink()


def test_rotate_keys_re_encrypts_evidence_under_the_newest_key(world: World, settings: Any, capsys: Any) -> None:
    from cryptography.fernet import Fernet

    secret = b"Testimony: wages withheld for six months.\n"
    case = open_case(world)
    ev = add_evidence(world, case, content=secret)
    old_name, old_keys = ev.file.name, list(settings.SECTION307_ENCRYPTION_KEYS)
    new_key = Fernet.generate_key().decode()
    settings.SECTION307_ENCRYPTION_KEYS = [new_key, *old_keys]
    call_command("files", "rotate-keys")
    assert "1 files re-encrypted" in capsys.readouterr().out
    settings.SECTION307_ENCRYPTION_KEYS = [new_key]  # the old key is dropped
    ev.refresh_from_db()
    assert ev.file.name != old_name and not (media_root() / old_name).exists()
    assert evidence_content(ev) == secret
    assert case_services.evidence_verify(actor=world.analyst, evidence=ev)


def test_stored_file_response_is_never_cached_or_sniffed_and_names_are_harmless() -> None:
    from section307.core.storedfiles import stored_file_response

    response = stored_file_response(b"%PDF-1.7", content_type="application/pdf", filename='..\\x/"工资单".pdf')
    assert response["Cache-Control"] == "no-store" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''_%E5%B7%A5%E8%B5%84%E5%8D%95_.pdf"
    inline = stored_file_response(b"\xff\xd8", content_type="image/jpeg", filename="GCB-1.jpg", as_attachment=False)
    assert inline["Content-Disposition"] == 'inline; filename="GCB-1.jpg"'


def test_data_migration_gives_old_exam_photos_random_names(
    registry: Any, file_entry: Callable[..., Entry], officer: Any
) -> None:
    entry = file_entry()
    image = image_add(actor=officer, entry=entry, data=demo_photo("LABEL"), original_name="l.jpg", caption="Label")
    old_name = f"ports/exam/{entry.entry_number}/20260301101112000000-label.jpg"  # as named before
    old = media_root() / old_name
    old.parent.mkdir(parents=True, exist_ok=True)
    old.write_bytes((media_root() / image.image.name).read_bytes())
    ExamImage.objects.filter(pk=image.pk).update(image=old_name)
    importlib.import_module("section307.ports.migrations.0002_exam_images_random_names").rename_existing(apps, None)
    image.refresh_from_db()
    assert not old.exists() and "2026" not in image.image.name and "label" not in image.image.name
    with image.image.open("rb") as fh:
        assert fh.read()[:2] == b"\xff\xd8"
    name = image.image.name
    importlib.import_module("section307.ports.migrations.0002_exam_images_random_names").rename_existing(apps, None)
    image.refresh_from_db()
    assert image.image.name == name  # already random: left alone
