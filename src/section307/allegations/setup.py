"""Wiring done from ``AllegationsConfig.ready()``: roles, navigation, demo step."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from section307.accounts import roles

_VIEW = ["allegations.view_allegation", "allegations.triage_allegation", "allegations.view_attachment"]

ROLE_ADDITIONS: dict[str, list[str]] = {
    roles.ANALYST: _VIEW,
    # Supervisors may also read a reporter's identity and open original evidence (every read is audited).
    roles.SUPERVISOR: [
        *_VIEW,
        "allegations.view_reporter_identity",
        "allegations.view_original_evidence",
        "allegations.reopen_allegation",
    ],
}


# Reporter identities, originals and the allegations themselves: only the roles above, whatever the
# superuser flag says (docs/allegations.md: administrators have no access to allegations).
ROLE_ONLY = {*_VIEW, "allegations.view_reporter_identity", "allegations.view_original_evidence"}


def require_keys() -> None:
    """Production must take its keys from the environment, never from a generated file."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    production = getattr(settings, "SECTION307_PRODUCTION", False)
    if production and not getattr(settings, "SECTION307_KEYS_FROM_ENVIRONMENT", False):
        raise ImproperlyConfigured(
            "SECTION307_ENCRYPTION_KEYS (Fernet keys, comma-separated) and SECTION307_RECEIPT_KEY must be set "
            "in production: they protect reporter identities, evidence files and receipt codes."
        )


def register() -> None:
    require_keys()
    for role, perms in ROLE_ADDITIONS.items():
        existing = roles.ROLE_PERMISSIONS.setdefault(role, [])
        existing.extend(p for p in perms if p not in existing)
    roles.ROLE_ONLY_PERMISSIONS.update(ROLE_ONLY)


    from section307.core.context_processors import NAV_ITEMS, NavItem

    wanted = [
        # The public entry point is translated like the portal it opens.
        NavItem(gettext_lazy("Report forced labor"), "allegations:report_start"),  # type: ignore[arg-type]
        NavItem(gettext_lazy("Allegations"), "allegations:inbox", permission="allegations.triage_allegation"),
    ]
    for item in wanted:
        if item not in NAV_ITEMS:
            # Before "Administration", which stays last.
            NAV_ITEMS.insert(max(len(NAV_ITEMS) - 1, 0), item)

    from section307.demo.world import STEPS

    step = "section307.allegations.demo.build_allegations"
    if step not in STEPS:
        STEPS.append(step)
