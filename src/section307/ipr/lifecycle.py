"""The lifecycles of IPR detentions (19 CFR Part 133), one table per procedure."""

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

# Piratical articles: 19 CFR 133.42-133.43 as amended by CBP Dec. 24-03 (89 FR 52364, effective 23 August 2024),
# on the 133.21 pattern: notice, the importer's 7 business days, disclosure of unredacted images and
# samples on a bond to the right holder, seizure or release; exclusion when no decision came within the
# 30 days of detention from presentation. The replaced procedure (the importer's denial, the copyright
# owner's demand and bond) is gone.
PIRATICAL_LIFECYCLE = StateMachine(
    name="ipr_piratical",
    states=tuple(S.values),
    transitions=(
        Transition("send_notice", frozenset({S.DETAINED}), S.NOTICED, _officer, "Send the notice to the importer"),
        # Only once the importer's 7 business days have run (checked in the service).
        Transition(
            "disclose", frozenset({S.NOTICED}), S.DISCLOSED, _system_or_officer, "Disclose to the rights holder"
        ),
        Transition("release", frozenset({S.DETAINED, S.NOTICED, S.DISCLOSED}), S.RELEASED, _officer, "Release"),
        Transition("seize", frozenset({S.DISCLOSED}), S.SEIZED, _officer, "Seize"),
        Transition(
            "exclude", frozenset({S.DETAINED, S.NOTICED, S.DISCLOSED}), S.EXCLUDED, _system_or_officer, "Exclude"
        ),
    ),
)


def machine_for(detention: IprDetention) -> StateMachine:
    """The lifecycle table of the detention's procedure."""
    if detention.piratical:
        return PIRATICAL_LIFECYCLE
    if detention.restricted:
        return RESTRICTED_LIFECYCLE
    return IPR_LIFECYCLE
