"""Lifecycles of entries and detentions, in one table each."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from section307.core.lifecycle import StateMachine, Transition
from section307.core.types import Actor
from section307.ports.models import Detention, Entry, Protest


def _officer(actor: Actor) -> bool:
    return actor is not None and actor.has_perm("ports.target_entry")


def _decider(actor: Actor) -> bool:
    return actor is not None and actor.has_perm("ports.decide_detention")


def _importer(actor: Actor) -> bool:
    return actor is not None and actor.has_perm("trade.use_portal")


def _system_or_decider(actor: Actor) -> bool:
    # The abandonment task runs as the system; officers may also record it.
    return actor is None or _decider(actor)


E = Entry.Status
ENTRY_LIFECYCLE = StateMachine(
    name="entry",
    states=tuple(E.values),
    transitions=(
        Transition("release", frozenset({E.TARGETED, E.EXAM}), E.RELEASED, _officer, gettext_noop("Release")),
        Transition("exam", frozenset({E.TARGETED}), E.EXAM, _officer, gettext_noop("Hold for exam")),
        Transition("detain", frozenset({E.TARGETED, E.EXAM, E.CLEARED}), E.DETAINED, _officer, gettext_noop("Detain")),
        # A re-screen after a new order puts a cleared or released entry back in front of an officer.
        Transition("retarget", frozenset({E.CLEARED, E.RELEASED}), E.TARGETED, None, gettext_noop("Back to the queue")),
    ),
)

D = Detention.Status
DETENTION_LIFECYCLE = StateMachine(
    name="detention",
    states=tuple(D.values),
    transitions=(
        Transition(
            "submit",
            frozenset({D.DETAINED, D.UNDER_REVIEW}),
            D.UNDER_REVIEW,
            _importer,
            gettext_noop("Proof submitted"),
        ),
        # Release from exclusion carries out an allowed protest or a later favourable determination.
        Transition(
            "release",
            frozenset({D.DETAINED, D.UNDER_REVIEW, D.EXCLUDED}),
            D.RELEASED,
            _decider,
            gettext_noop("Release"),
        ),
        # The system records the deemed exclusion of 19 U.S.C. 1499(c)(5)(A).
        Transition(
            "exclude", frozenset({D.DETAINED, D.UNDER_REVIEW}), D.EXCLUDED, _system_or_decider, gettext_noop("Exclude")
        ),
        Transition(
            "export",
            frozenset({D.DETAINED, D.UNDER_REVIEW, D.EXCLUDED}),
            D.EXPORTED,
            _decider,
            gettext_noop("Export (supervised)"),
        ),
        Transition("seize", frozenset({D.DETAINED, D.UNDER_REVIEW}), D.SEIZED, _decider, gettext_noop("Seize")),
        Transition("abandon", frozenset({D.EXCLUDED}), D.ABANDONED, _system_or_decider, gettext_noop("Deem abandoned")),
    ),
)


def _reviewer(actor: Actor) -> bool:
    return actor is not None and actor.has_perm("ports.review_detention")


def _system_or_reviewer(actor: Actor) -> bool:
    # The daily job records the denial by operation of law as the system; a reviewer may run it too.
    return actor is None or _reviewer(actor)


# A protest of an exclusion, for entries and parcels (``parcels.ParcelProtest`` has the same states).
# Only a pending protest is decided; once denied by operation of law (19 U.S.C. 1499(c)(5)(B), 1515(b))
# no decision follows: the importer's remedy is the civil action (28 U.S.C. 1581(a), 2636(a)(2)).
P = Protest.Status
PROTEST_LIFECYCLE = StateMachine(
    name="protest",
    states=tuple(P.values),
    transitions=(
        Transition("allow", frozenset({P.PENDING}), P.ALLOWED, _reviewer, gettext_noop("Allow")),
        Transition("deny", frozenset({P.PENDING}), P.DENIED, _reviewer, gettext_noop("Deny")),
        Transition(
            "deem_denied",
            frozenset({P.PENDING}),
            P.DEEMED_DENIED,
            _system_or_reviewer,
            gettext_noop("Denied by operation of law"),
        ),
    ),
)

# The entry status a detention outcome leaves the entry in.
ENTRY_STATUS_FOR_DETENTION = {
    D.RELEASED: E.RELEASED,
    D.EXCLUDED: E.EXCLUDED,
    D.EXPORTED: E.EXPORTED,
    D.SEIZED: E.SEIZED,
    D.ABANDONED: E.ABANDONED,
    D.DETAINED: E.DETAINED,
    D.UNDER_REVIEW: E.DETAINED,
}
