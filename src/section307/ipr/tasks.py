"""Daily job of the IPR detentions."""

from __future__ import annotations

from django_tasks import task


@task()
def detentions_tick() -> dict[str, int]:
    """Open disclosure once the importer's 7 business days ran out unanswered; record exclusions after
    30 days from presentation without a decision. Dated from the law's periods, so a late run changes nothing."""
    from section307.ipr.services import detentions_tick as tick

    return tick()
