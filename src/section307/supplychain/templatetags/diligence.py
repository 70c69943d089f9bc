"""``{% diligence_summary organization_id %}``: the importer's latest submitted self-assessment, for
the pages of petitions and requests (one line in their templates)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("supplychain/_diligence_summary.html", takes_context=True)
def diligence_summary(context: dict[str, Any], organization_id: int | None) -> dict[str, Any]:
    from section307.supplychain.diligence_views import diligence_context

    request = context.get("request")
    user = getattr(request, "user", None)
    ctx = diligence_context(user, organization_id)
    # Nothing at all for a reader who may not see this organization's due diligence.
    return ctx if ctx["visible"] else {"hidden": True}
