"""Explicit state machines: every lifecycle lists its allowed transitions in one table.

A service asks the machine before it changes a state; the machine answers with the
transition (so the service can audit its name) or raises ``TransitionNotAllowed``.
Every machine an app defines registers itself (``all_machines()``), so one test walks every
edge of every lifecycle for every role.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext

from section307.core.errors import Conflict
from section307.core.types import Actor


class TransitionNotAllowed(Conflict):
    default_code = "transition_not_allowed"


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    # Who may make it: a predicate on the acting user; None means any caller the service admits.
    allowed: Callable[[Any], bool] | None = None
    label: str = ""
    # A rule on the acting user and the record itself (the two-person rule: not the author).
    # When set, ``check`` needs the record as ``subject``.
    subject_rule: Callable[[Any, Any], bool] | None = None


@dataclass
class StateMachine:
    name: str
    states: tuple[str, ...]
    transitions: tuple[Transition, ...] = field(default_factory=tuple)
    # Tables defined by the apps register; throwaway tables in tests pass register=False.
    register: bool = field(default=True, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = [t.name for t in self.transitions]
        if len(names) != len(set(names)):
            raise ValueError(f"{self.name}: duplicate transition names")
        for t in self.transitions:
            unknown = (set(t.sources) | {t.target}) - set(self.states)
            if unknown:
                raise ValueError(f"{self.name}.{t.name}: unknown states {sorted(unknown)}")
        if self.register:
            _REGISTRY[self.name] = self

    def transition(self, name: str) -> Transition:
        for t in self.transitions:
            if t.name == name:
                return t
        raise TransitionNotAllowed(
            gettext("%(name)s: no transition named %(name2)r") % {"name": self.name, "name2": name}
        )

    def available(self, state: str, actor: Actor | None = None) -> list[Transition]:
        return [
            t
            for t in self.transitions
            if state in t.sources and (t.allowed is None or actor is None or t.allowed(actor))
        ]

    def check(self, name: str, *, state: str, actor: Actor | None = None, subject: Any = None) -> Transition:
        t = self.transition(name)
        if state not in t.sources:
            raise TransitionNotAllowed(
                gettext("%(name)s: cannot %(name2)s from %(state)r")
                % {"name": self.name, "name2": t.name, "state": state}
            )
        if t.allowed is not None and not t.allowed(actor):
            raise TransitionNotAllowed(
                gettext("%(name)s: %(name2)s is not permitted for this user") % {"name": self.name, "name2": t.name}
            )
        if t.subject_rule is not None and (subject is None or not t.subject_rule(actor, subject)):
            raise TransitionNotAllowed(
                gettext("%(name)s: %(name2)s is not permitted for this user on this record")
                % {"name": self.name, "name2": t.name}
            )
        return t

    def edges(self) -> Iterable[tuple[str, str, str]]:
        for t in self.transitions:
            for source in sorted(t.sources):
                yield source, t.name, t.target


_REGISTRY: dict[str, StateMachine] = {}


def all_machines() -> list[StateMachine]:
    """Every registered lifecycle table, by name (the apps' lifecycle modules must be imported)."""
    return [_REGISTRY[name] for name in sorted(_REGISTRY)]
