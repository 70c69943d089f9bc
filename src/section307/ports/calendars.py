"""The law's settings and the project's closure table, read from Django: what ``ports.law`` needs."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings

from section307.ports import law


def business_calendar() -> law.BusinessCalendar:
    """US federal business days, less the extra closures staff recorded (``FederalClosure``)."""
    from section307.ports.models import FederalClosure

    return law.calendar_from(
        FederalClosure.objects.values_list("date", flat=True),
        eo_closures=bool(getattr(settings, "SECTION307_COUNT_EO_CLOSURES", False)),
    )


def deemed_exclusion_regimes() -> tuple[str, ...]:
    return tuple(getattr(settings, "SECTION307_DEEMED_EXCLUSION_REGIMES", law.DEFAULT_DEEMED_EXCLUSION_REGIMES))


def cost_bond(value: Decimal) -> Decimal:
    terms = {**law.DEFAULT_COST_BOND, **getattr(settings, "SECTION307_COST_BOND", {})}
    return law.cost_bond(value, **{k: Decimal(str(v)) for k, v in terms.items()})
