"""What each regime requires of the importer, as told in the detention notice and the portal."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from section307.ports.models import Regime

PROOF_ACCEPTED: dict[str, list[StrOrPromise]] = {
    Regime.WRO: [
        gettext_lazy("A certificate of origin signed by the foreign seller or owner of the goods (19 CFR 12.43(a))."),
        gettext_lazy(
            "A detailed statement by the importer of its investigation showing the goods were not mined, produced "
            "or manufactured with forced labor (19 CFR 12.43(b))."
        ),
        gettext_lazy(
            "Supporting records: supply-chain tracing for each tier back to raw materials, audits, payroll and "
            "working-hours records, recruitment-fee evidence, with English translations of foreign documents."
        ),
        gettext_lazy(
            "Headquarters decides whether the proof establishes admissibility (19 CFR 12.44); the port carries it out."
        ),
        gettext_lazy(
            "Instead of proving admissibility, the goods may be exported at any time before seizure or deemed "
            "abandonment (19 CFR 12.44(a))."
        ),
    ],
    Regime.FINDING: [
        gettext_lazy("A certificate of origin and a detailed statement (19 CFR 12.43), as for a WRO."),
        gettext_lazy(
            "Goods covered by a Finding that are not shown admissible are seized and forfeited (19 CFR 12.44(b))."
        ),
    ],
    Regime.UFLPA: [
        gettext_lazy(
            "Applicability review: evidence that the goods have no link to Xinjiang or to an entity on the UFLPA "
            "Entity List (supply-chain tracing from raw material, transaction records, flow chart of all parties)."
        ),
        gettext_lazy(
            "Exception: clear and convincing evidence that the goods were not made wholly or in part with forced "
            "labor, with due-diligence records and full supply-chain tracing (UFLPA sec. 3(b))."
        ),
    ],
    Regime.CAATSA: [
        gettext_lazy(
            "Clear and convincing evidence that the goods were not produced with convict labor, forced labor, or "
            "indentured labor under penal sanctions (22 U.S.C. 9241a(b)), with workforce, payroll and recruitment "
            "records per tier. Headquarters decides the exception."
        ),
    ],
}

REQUEST_KINDS_FOR_REGIME: dict[str, tuple[str, ...]] = {
    Regime.WRO: ("wro_admissibility",),
    Regime.FINDING: ("wro_admissibility",),
    Regime.UFLPA: ("uflpa_applicability", "uflpa_exception"),
    Regime.CAATSA: ("caatsa_exception",),
}
