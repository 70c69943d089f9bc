"""Sanitizing runs after the receipt is issued: the submission stores the encrypted original and queues
the work; staff see the file as being checked until the task has run."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django_tasks import default_task_backend

from section307.accounts import roles
from section307.allegations import services
from section307.allegations.models import Attachment
from section307.allegations.services import FileInput
from section307.allegations.tasks import sanitize_attachment

from .conftest import jpeg_with_gps, pdf_with_author, valid_input

pytestmark = pytest.mark.django_db

DEFERRED = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_submission_returns_before_sanitizing_and_staff_see_being_checked(
    countries: None, settings: Any, make_user: Any
) -> None:
    settings.TASKS = DEFERRED
    allegation, code = services.allegation_submit(
        actor=services.PUBLIC,
        data=valid_input(discard_originals=True),
        files=[FileInput("gate.jpg", jpeg_with_gps()), FileInput("pay.pdf", pdf_with_author())],
    )
    assert code
    files = list(allegation.attachments.order_by("pk"))
    assert {f.sanitization for f in files} == {Attachment.Sanitization.PENDING}
    assert all(f.original_path and not f.sanitized_path for f in files)
    queued = default_task_backend.results  # type: ignore[attr-defined]
    assert sorted(r.args[0] for r in queued if r.task.name == "sanitize_attachment") == [f.pk for f in files]

    staff = Client()
    staff.force_login(make_user(roles.ANALYST))
    page = staff.get(f"/allegations/{allegation.pk}/").content.decode()
    assert page.count("Being checked") == 2 and "Sanitized copy" not in page

    for f in files:  # what the worker does
        services.attachment_sanitize(attachment_id=f.pk)
    image = Attachment.objects.get(pk=files[0].pk)
    assert image.sanitization == "cleaned" and "GPS" in image.removed_metadata and image.sanitized_path
    # The reporter asked for originals to go once a sanitized copy exists.
    assert image.original_path == "" and image.original_discarded_at is not None
    page = staff.get(f"/allegations/{allegation.pk}/").content.decode()
    assert "Being checked" not in page and "Sanitized copy" in page
    assert services.attachment_sanitize(attachment_id=files[0].pk) is None  # done once


def test_the_task_runs_the_service(countries: None) -> None:
    allegation, _code = services.allegation_submit(
        actor=services.PUBLIC, data=valid_input(), files=[FileInput("gate.jpg", jpeg_with_gps())]
    )
    # The test profile runs tasks immediately: the copy exists when submit returns.
    attachment = allegation.attachments.get()
    assert attachment.sanitization == "cleaned"
    assert sanitize_attachment.call(attachment.pk) == "nothing to do"
