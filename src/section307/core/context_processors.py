"""Navigation for the header, built from the user's roles (deny by default: only what they may open)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from section307.accounts.roles import ROLE_LABELS, user_roles


@dataclass(frozen=True)
class NavItem:
    label: StrOrPromise
    url_name: str
    # A permission "app.codename" the user needs; "" = anyone, including anonymous visitors.
    permission: str = ""
    staff_only: bool = False
    signed_in: bool = False


# Apps add their entries here; order is display order.
NAV_ITEMS: list[NavItem] = [
    NavItem(gettext_lazy("Home"), "core:home"),
    NavItem(gettext_lazy("Your work"), "work:queue", signed_in=True),
    NavItem(gettext_lazy("Registry"), "registry:order_list", permission="orders.view_enforcementorder"),
    NavItem(gettext_lazy("Administration"), "admin:index", staff_only=True),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    items = []
    for item in NAV_ITEMS:
        if item.permission and not user.has_perm(item.permission):
            continue
        if item.staff_only and not getattr(user, "is_staff", False):
            continue
        if item.signed_in and not user.is_authenticated:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        current = request.path == url or (url != "/" and request.path.startswith(url))
        items.append({"label": item.label, "url": url, "current": current})
    roles = sorted(str(ROLE_LABELS[r]) for r in user_roles(user) if r in ROLE_LABELS)
    return {"nav_items": items, "user_role_labels": roles}
