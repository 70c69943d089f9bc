"""The legal rules of upstream risk, each in one place with its citation.

Taint runs downstream: goods made "wholly or in part" from a risky input carry the risk, whatever
share of the input it was. A chain-of-custody claim can only narrow what a link carries when the law
allows a rebuttal by tracing; it never clears a statutory presumption.
"""

from __future__ import annotations

from dataclasses import dataclass

from section307.supplychain.models import CustodyModel, RiskLevel

WHOLLY_OR_IN_PART = "19 U.S.C. 1307 (goods mined, produced or manufactured wholly or in part by forced labor)"
UFLPA_PRESUMPTION = "UFLPA, Pub. L. 117-78, sec. 3(a) (wholly or in part in the XUAR or by a listed entity)"
CAATSA_PRESUMPTION = "CAATSA sec. 302A(a), 22 U.S.C. 9241a(a) (wholly or in part by North Korean labor)"

# Order lists whose taint rests on a statutory presumption: no custody model clears it.
STATUTORY_LISTS: dict[str, str] = {"uflpa": UFLPA_PRESUMPTION, "caatsa": CAATSA_PRESUMPTION}
# Custody that keeps an input physically apart from the others (ISO 22095): documents can trace it.
PHYSICAL_CUSTODY = frozenset({CustodyModel.IDENTITY_PRESERVED, CustodyModel.SEGREGATED})


@dataclass(frozen=True)
class PathRuling:
    level: str
    rule: str
    note: str


def path_ruling(*, source_level: str, lists: set[str], custody: list[str]) -> PathRuling:
    """The level a risky upstream node passes to the imported good along one path.

    - A presumption (UFLPA, CAATSA) passes on unchanged whatever the custody: mass balance and
      book-and-claim mix or only book the input, and even segregated custody is for the importer to prove
      by clear and convincing evidence, not for the map to assume.
    - Any other risk passes on "wholly or in part"; when every link on the path keeps the input
      physically apart (identity preserved or segregated), a hit becomes a review: the traceability
      documents can show whether this input reached the imported good.
    """
    statutory = sorted(lst for lst in lists if lst in STATUTORY_LISTS)
    if statutory:
        return PathRuling(
            source_level,
            "; ".join(STATUTORY_LISTS[s] for s in statutory),
            "A statutory presumption: no chain-of-custody model clears it.",
        )
    if source_level == RiskLevel.HIT and custody and all(c in PHYSICAL_CUSTODY for c in custody):
        return PathRuling(
            RiskLevel.REVIEW,
            WHOLLY_OR_IN_PART,
            "Every link keeps the input apart (identity preserved or segregated): documents must show it "
            "did not reach the imported good.",
        )
    mixed = [c for c in custody if c not in PHYSICAL_CUSTODY]
    note = (
        "Mass balance or book-and-claim on the path: the risky input may be in any unit of the good."
        if mixed
        else "Wholly or in part: any share of the input carries the risk."
    )
    return PathRuling(source_level, WHOLLY_OR_IN_PART, note)
