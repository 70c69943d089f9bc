"""Who acts is typed: services take an ``Actor`` (an account or the public), never ``Any``."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser

from section307.accounts.models import User
from section307.core.errors import NotPermitted
from section307.core.types import account, signed_in

SRC = Path(__file__).resolve().parents[2] / "src" / "section307"
# Parameters that name the person acting or the account acted on.
PERSON_PARAMS = {"actor", "user", "assignee", "owner", "decided_by", "reviewer", "author", "requester"}


def _untyped_people(root: Path) -> list[str]:
    found: list[str] = []
    for path in root.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            args = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
            for arg in args:
                if arg.arg in PERSON_PARAMS and arg.annotation is not None:
                    text = ast.unparse(arg.annotation)
                    if text in {"Any", "Any | None", "Optional[Any]"}:
                        found.append(f"{path.relative_to(root)}:{node.lineno} {node.name}({arg.arg}: {text})")
    return found


def test_no_acting_person_is_typed_any() -> None:
    assert _untyped_people(SRC) == []


def test_scan_finds_an_untyped_actor(tmp_path: Path) -> None:
    # The scan itself must notice the pattern it forbids.
    (tmp_path / "svc.py").write_text(
        "from typing import Any\ndef thing_do(*, actor: Any, user: Any | None) -> None: ...\n"
    )
    assert _untyped_people(tmp_path) == ["svc.py:2 thing_do(actor: Any)", "svc.py:2 thing_do(user: Any | None)"]


@pytest.mark.django_db
def test_account_narrows_to_active_signed_in_users() -> None:
    user = User.objects.create_user(username="ana", password="x")
    assert account(user) is user
    assert account(AnonymousUser()) is None
    assert account(None) is None
    user.is_active = False
    assert account(user) is None


@pytest.mark.django_db
def test_signed_in_refuses_the_public_and_the_system() -> None:
    user = User.objects.create_user(username="ben", password="x")
    assert signed_in(user) is user
    with pytest.raises(NotPermitted):
        signed_in(AnonymousUser())
    with pytest.raises(NotPermitted):
        signed_in(None)
