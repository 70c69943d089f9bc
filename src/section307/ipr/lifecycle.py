"""The lifecycle of a detention for suspected counterfeit marks (19 CFR 133.21), in one table."""

from __future__ import annotations

from section307.core.lifecycle import StateMachine, Transition
from section307.core.types import Actor
from section307.ipr.models import IprDetention


def _officer(actor: Actor) -> bool:
    return actor is not None and actor.has_perm("ipr.manage_iprdetention")


def _system_or_officer(actor: Actor) -> bool:
    # The daily job opens disclosure and records exclusions as the system; officers may too.
    return actor is None or _officer(actor)


S = IprDetention.Status
IPR_LIFECYCLE = StateMachine(
    name="ipr_detention",
    states=tuple(S.values),
    transitions=(
        Transition("send_notice", frozenset({S.DETAINED}), S.NOTICED, _officer, "Send the notice to the importer"),
        # Only once the importer's 7 business days have run (checked in the service, 19 CFR 133.21(b)).
        Transition(
            "disclose", frozenset({S.NOTICED}), S.DISCLOSED, _system_or_officer, "Disclose to the rights holder"
        ),
        Transition("release", frozenset({S.DETAINED, S.NOTICED, S.DISCLOSED}), S.RELEASED, _officer, "Release"),
        Transition("seize", frozenset({S.DISCLOSED}), S.SEIZED, _officer, "Seize"),
        # No decision within 30 days of presentation: the goods are treated as excluded (19 U.S.C. 1499(c)).
        Transition(
            "exclude", frozenset({S.DETAINED, S.NOTICED, S.DISCLOSED}), S.EXCLUDED, _system_or_officer, "Exclude"
        ),
    ),
)
