"""One family of service errors, shown one way: the API's handler and the pages' helpers."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from ninja import NinjaAPI
from ninja.testing import TestClient

from section307.allegations.evidence import RejectedFile
from section307.allegations.inputs import AllegationInvalid
from section307.cases.evidence_files import EvidenceFileError
from section307.cases.services import GateNotPassed
from section307.core.api import install_error_handlers, lifecycle_rule
from section307.core.errors import Conflict, InvalidInput, NotFound, NotPermitted, ServiceError
from section307.core.forms import service_error_message, service_error_to_form
from section307.core.lifecycle import TransitionNotAllowed
from section307.core.uploads import UploadRejected
from section307.ports.clocks import ClockError
from section307.ports.images import ImageRejected
from section307.ports.intake import FieldError, IntakeError
from section307.ports.services import PortsError
from section307.trade.services import TradeError


@pytest.mark.parametrize(
    ("error", "family", "still"),
    [
        (PortsError("x"), InvalidInput, ValueError),
        (TradeError("x", "kind"), InvalidInput, ValueError),
        # One upload checker (core.uploads): its refusal replaced the three ValueError subclasses.
        (UploadRejected("x"), InvalidInput, UploadRejected),
        (ImageRejected("x"), InvalidInput, UploadRejected),
        (EvidenceFileError("x"), InvalidInput, UploadRejected),
        (ClockError("x"), Conflict, ValueError),
        (IntakeError([FieldError("port", "unknown")]), InvalidInput, Exception),
        (AllegationInvalid({"reasons": ["too short"]}), InvalidInput, Exception),
        (RejectedFile("x"), InvalidInput, Exception),
        (TransitionNotAllowed("x"), Conflict, Exception),
        (GateNotPassed(["no memo", "no evidence"]), Conflict, ValidationError),
    ],
)
def test_app_errors_belong_to_the_family_and_keep_their_old_parents(error: Any, family: type, still: type) -> None:
    assert isinstance(error, family) and isinstance(error, still)
    body = error.as_dict()
    assert body["detail"] and body["code"]


def test_field_lists_travel_in_errors() -> None:
    assert AllegationInvalid({"country": ["unknown"]}).as_dict() == {
        "detail": "country: unknown",
        "code": "invalid",
        "field": "country",
        "errors": [{"field": "country", "message": "unknown"}],
    }
    gate = GateNotPassed(["no memo", "no evidence"])
    assert gate.messages == ["no memo", "no evidence"]
    assert gate.as_dict()["code"] == "gate_not_passed" and gate.status == 409


# -- the API -------------------------------------------------------------------------------------------


def _api() -> TestClient:
    api = NinjaAPI(urls_namespace="errors-test")
    install_error_handlers(api)

    @api.get("/raise/{kind}")
    def raising(request: Any, kind: str) -> dict[str, str]:
        errors: dict[str, ServiceError] = {
            "invalid": InvalidInput("bad date", field="notice_date"),
            "forbidden": NotPermitted("not yours"),
            "missing": NotFound("no such entry"),
            "conflict": TransitionNotAllowed("closed", rule="19 CFR 12.44(a)"),
            "clock": ClockError("a third extension is not allowed"),
        }
        raise errors[kind]

    @api.get("/typed")
    def typed(request: Any, page: int) -> dict[str, int]:
        return {"page": page}

    return TestClient(api)


@pytest.mark.parametrize(
    ("kind", "status", "body"),
    [
        ("invalid", 422, {"detail": "bad date", "code": "invalid", "field": "notice_date"}),
        ("forbidden", 403, {"detail": "not yours", "code": "forbidden"}),
        ("missing", 404, {"detail": "no such entry", "code": "not_found"}),
        ("conflict", 409, {"detail": "closed", "code": "transition_not_allowed", "rule": "19 CFR 12.44(a)"}),
        ("clock", 409, {"detail": "a third extension is not allowed", "code": "conflict"}),
    ],
)
def test_a_service_error_is_answered_with_its_status_and_body(kind: str, status: int, body: dict[str, str]) -> None:
    response = _api().get(f"/raise/{kind}")
    assert response.status_code == status
    assert json.loads(response.content) == body


def test_validation_errors_take_the_same_shape() -> None:
    response = _api().get("/typed?page=abc")
    assert response.status_code == 422
    body = json.loads(response.content)
    assert body["code"] == "invalid" and body["field"] == "page"
    assert body["errors"][0]["field"] == "page"


# -- pages ---------------------------------------------------------------------------------------------


class NoticeForm(forms.Form):
    notice_date = forms.DateField(required=False)


def test_a_form_shows_the_error_at_its_field_with_the_rule() -> None:
    form = NoticeForm(data={})
    assert form.is_valid()
    service_error_to_form(form, InvalidInput("Too late.", field="notice_date", rule="19 CFR 12.42(e)"))
    assert form.errors["notice_date"] == ["Too late. (19 CFR 12.42(e))"]


def test_an_unknown_field_goes_to_the_top_of_the_form_and_lists_keep_one_entry_each() -> None:
    form = NoticeForm(data={})
    form.is_valid()
    service_error_to_form(form, AllegationInvalid({"question": ["Write it."], "notice_date": ["Bad."]}))
    assert form.non_field_errors() == ["Write it."]
    assert form.errors["notice_date"] == ["Bad."]


def test_a_redirecting_view_shows_a_message_with_the_rule() -> None:
    request = RequestFactory().post("/")
    request.session = {}  # type: ignore[attr-defined]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    service_error_message(request, Conflict("The clock has run out.", rule="19 U.S.C. 1499(c)"), "Not changed: ")
    assert [str(m) for m in get_messages(request)] == ["Not changed: The clock has run out. (19 U.S.C. 1499(c))"]


def test_a_lifecycle_refusal_names_a_rule_and_keeps_its_own() -> None:
    with pytest.raises(TransitionNotAllowed) as bare, lifecycle_rule("detention lifecycle"):
        raise TransitionNotAllowed("detention: cannot release from 'released'")
    assert bare.value.as_dict()["rule"] == "detention lifecycle" and bare.value.status == 409
    with pytest.raises(TransitionNotAllowed) as cited, lifecycle_rule("detention lifecycle"):
        raise TransitionNotAllowed("too early", rule="19 CFR 12.44(a)")
    assert cited.value.rule == "19 CFR 12.44(a)"
