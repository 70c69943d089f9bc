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


def _importer(actor: Actor) -> bool:
    # The importer of record or its broker; which entry is theirs is checked in the service.
    return actor is not None and actor.has_perm("trade.use_portal")


def _holder_or_officer(actor: Actor) -> bool:
    # The copyright owner files its demand; an officer may record one received on paper. Which
    # recordation is theirs is checked in the service.
    from section307.ipr.permissions import is_rights_holder

    return actor is not None and (is_rights_holder(actor) or _officer(actor))


# Restricted articles (19 CFR 133.25): copying or simulating marks (133.22), gray-market goods (133.23).
# Seizure only once the 30 days from presentation, with CBP's extensions, have run (checked in the service).
RESTRICTED_LIFECYCLE = StateMachine(
    name="ipr_restricted",
    states=tuple(S.values),
    transitions=(
        Transition("send_notice", frozenset({S.DETAINED}), S.NOTICED, _officer, "Send the notice to the importer"),
        Transition("release", frozenset({S.DETAINED, S.NOTICED}), S.RELEASED, _officer, "Release"),
        Transition("seize", frozenset({S.NOTICED}), S.SEIZED, _officer, "Seize"),
    ),
)

# Piratical copies (19 CFR 133.42-133.43): the importer's statement denying piratical copying, the
# copyright owner's demand for exclusion with a bond, the decision. Seizure from "noticed" only once the
# importer's period ran without a statement (133.42(c); checked in the service).
PIRATICAL_LIFECYCLE = StateMachine(
    name="ipr_piratical",
    states=tuple(S.values),
    transitions=(
        Transition("send_notice", frozenset({S.DETAINED}), S.NOTICED, _officer, "Send the notice to the importer"),
        Transition("deny", frozenset({S.NOTICED}), S.DENIED, _importer, "The importer denies piratical copying"),
        Transition(
            "demand", frozenset({S.DENIED}), S.DEMANDED, _holder_or_officer, "The copyright owner demands exclusion"
        ),
        Transition(
            "release", frozenset({S.DETAINED, S.NOTICED, S.DENIED, S.DEMANDED}), S.RELEASED, _officer, "Release"
        ),
        Transition("seize", frozenset({S.NOTICED, S.DEMANDED}), S.SEIZED, _officer, "Seize"),
    ),
)


def machine_for(detention: IprDetention) -> StateMachine:
    """The lifecycle table of the detention's procedure."""
    if detention.piratical:
        return PIRATICAL_LIFECYCLE
    if detention.restricted:
        return RESTRICTED_LIFECYCLE
    return IPR_LIFECYCLE
