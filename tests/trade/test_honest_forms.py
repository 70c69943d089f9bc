"""The importer's forms require what submitting the request requires (trade.services.submission_problems)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from section307.ports.models import Entry
from section307.ports.services import entry_detain
from section307.trade import services
from section307.trade.checklists import ILO_INDICATORS
from section307.trade.forms import ChangeRequestForm, StatementForm

pytestmark = pytest.mark.django_db


def test_detention_statement_is_required_as_submission_refuses_an_empty_one(
    registry: Any, file_entry: Callable[..., Entry], officer: Any, importers: Any
) -> None:
    detention = entry_detain(actor=officer, entry=file_entry(), reason="Labels name the WRO manufacturer")
    req = services.request_create(actor=importers[0], kind="wro_admissibility", detention=detention)
    assert "the statement is empty" in services.submission_problems(req)
    assert StatementForm.base_fields["statement"].required
    assert not StatementForm({"statement": ""}).is_valid()


def test_order_change_fields_are_required_as_submission_needs_them(registry: Any, importers: Any) -> None:
    user = importers[0]
    modification = services.request_create(actor=user, kind="order_modification", order=registry["wro"])
    problems = " ".join(services.submission_problems(modification))
    assert "grounds" in problems and "ILO indicator" in problems and "modified" in problems
    form = ChangeRequestForm({}, kind="order_modification")
    assert not form.is_valid()
    required = {name for name, field in form.fields.items() if field.required}
    assert {"grounds", "proposed_change", *(f"ilo_{k}" for k, _ in ILO_INDICATORS)} <= required
    assert len([n for n in required if n.startswith("ilo_")]) == 11
    # The statement is not checked on submission for order changes, so the form says it is optional.
    assert not form.fields["statement"].required
    # A revocation proposes no modification: the field is not offered.
    assert "proposed_change" not in ChangeRequestForm(kind="order_revocation").fields
    revocation = services.request_create(actor=user, kind="order_revocation", order=registry["wro"])
    assert "say how the order should be modified" not in services.submission_problems(revocation)
