"""Lifecycles of parcel groups and parcel detentions, in one table each."""

from __future__ import annotations

from section307.core.lifecycle import StateMachine, Transition
from section307.core.types import Actor
from section307.parcels.models import Parcel, ParcelDetention, ParcelGroup, ParcelReview


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
        # Release from exclusion carries out an allowed protest (19 U.S.C. 1515), as for entries.
        Transition("release", frozenset({D.DETAINED, D.EXCLUDED}), D.RELEASED, _decider, "Release"),
        Transition("exclude", frozenset({D.DETAINED}), D.EXCLUDED, _decider, "Exclude"),
        Transition("export", frozenset({D.DETAINED, D.EXCLUDED}), D.EXPORTED, _decider, "Export under supervision"),
        Transition("seize", frozenset({D.DETAINED}), D.SEIZED, _decider, "Seize"),
    ),
)


def _reviewer(actor: Actor) -> bool:
    return actor is not None and actor.has_perm("ports.review_detention")


def _second_reviewer(actor: Actor, review: ParcelReview) -> bool:
    return review.proposed_by_id != getattr(actor, "pk", None)


R = ParcelReview.Status
REVIEW_LIFECYCLE = StateMachine(
    name="parcel_review",
    states=tuple(R.values),
    transitions=(
        # The two-person rule: the concurrence comes from a reviewer other than the proposer.
        Transition("concur", frozenset({R.AWAITING}), R.EFFECTIVE, _reviewer, "Concur", _second_reviewer),
        Transition("return", frozenset({R.AWAITING}), R.RETURNED, _reviewer, "Return", _second_reviewer),
    ),
)

PARCEL_STATUS_FOR_OUTCOME = {
    "release": Parcel.Status.RELEASED,
    "exclude": Parcel.Status.EXCLUDED,
    "export": Parcel.Status.EXPORTED,
    "seize": Parcel.Status.SEIZED,
}
