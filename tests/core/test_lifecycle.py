from __future__ import annotations

import pytest

from section307.core.lifecycle import StateMachine, Transition, TransitionNotAllowed

MACHINE = StateMachine(
    register=False,
    name="door",
    states=("open", "closed", "locked"),
    transitions=(
        Transition("close", frozenset({"open"}), "closed"),
        Transition("lock", frozenset({"closed"}), "locked", allowed=lambda actor: actor == "keyholder"),
        Transition("open", frozenset({"closed"}), "open"),
    ),
)


def test_allowed_transition_returns_its_target() -> None:
    assert MACHINE.check("close", state="open").target == "closed"


def test_wrong_source_state_is_refused() -> None:
    with pytest.raises(TransitionNotAllowed, match="cannot lock from 'open'"):
        MACHINE.check("lock", state="open", actor="keyholder")


def test_guard_refuses_other_actors() -> None:
    with pytest.raises(TransitionNotAllowed, match="not permitted"):
        MACHINE.check("lock", state="closed", actor="visitor")
    assert [t.name for t in MACHINE.available("closed", "visitor")] == ["open"]


def test_table_is_validated_when_defined() -> None:
    with pytest.raises(ValueError, match="unknown states"):
        StateMachine(name="bad", register=False, states=("a",), transitions=(Transition("x", frozenset({"a"}), "b"),))
    with pytest.raises(ValueError, match="duplicate"):
        StateMachine(
            name="dup",
            register=False,
            states=("a", "b"),
            transitions=(Transition("x", frozenset({"a"}), "b"), Transition("x", frozenset({"b"}), "a")),
        )
