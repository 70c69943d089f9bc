"""Lifecycles of parcel groups and parcel detentions, in one table each."""

from __future__ import annotations

from section307.core.lifecycle import StateMachine, Transition
from section307.core.types import Actor
from section307.parcels.models import Parcel, ParcelDetention, ParcelGroup


def _decider(actor: Actor) -> bool:
    return actor is not None and actor.has_perm("parcels.decide_parcels")


G = ParcelGroup.Status
GROUP_LIFECYCLE = StateMachine(
    name="parcel_group",
    states=tuple(G.values),
    transitions=(
        Transition("release", frozenset({G.PENDING}), G.RELEASED, _decider, "Release the parcels"),
        Transition("detain", frozenset({G.PENDING}), G.DETAINED, _decider, "Detain the parcels"),
    ),
)

D = ParcelDetention.Status
DETENTION_LIFECYCLE = StateMachine(
    name="parcel_detention",
    states=tuple(D.values),
    transitions=(
        Transition("release", frozenset({D.DETAINED}), D.RELEASED, _decider, "Release"),
        Transition("exclude", frozenset({D.DETAINED}), D.EXCLUDED, _decider, "Exclude"),
        Transition("export", frozenset({D.DETAINED, D.EXCLUDED}), D.EXPORTED, _decider, "Export under supervision"),
        Transition("seize", frozenset({D.DETAINED}), D.SEIZED, _decider, "Seize"),
    ),
)

PARCEL_STATUS_FOR_OUTCOME = {
    "release": Parcel.Status.RELEASED,
    "exclude": Parcel.Status.EXCLUDED,
    "export": Parcel.Status.EXPORTED,
    "seize": Parcel.Status.SEIZED,
}
