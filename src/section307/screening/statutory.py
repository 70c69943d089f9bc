"""Built-in statutory and region-wide rules.

* UFLPA (Pub. L. 117-78, sec. 3): goods mined, produced or manufactured wholly
  or in part in the XUAR are presumed made with forced labour (from 21 June 2022).
* CBP WRO of 13 January 2021 on cotton and tomato products from the XUAR
  (downstream goods included).
* CBP WRO of 2 December 2020 on cotton and cotton products from the XPCC.
* CAATSA sec. 302A (22 U.S.C. 9241a): goods made by North Korean nationals are
  presumed forced-labour goods; an origin or party address in North Korea
  is the signal the engine can see.
* CBP WRO of 18 May 2018 on cotton from Turkmenistan (country-wide).

Order identifiers are descriptive and stable; the web apps may replace them
with their own case numbers by building rules themselves.
"""

from __future__ import annotations

from section307.screening.watchlist import RegionRule

__all__ = ["statutory_rules"]


def statutory_rules() -> list[RegionRule]:
    """The rules every screening applies unless the caller builds its own."""
    return [
        RegionRule(
            id="uflpa-xuar",
            area="CN-XJ",
            list="uflpa",
            order_id="UFLPA-XUAR",
            goods=None,
            description="UFLPA rebuttable presumption: goods made wholly or in part in Xinjiang",
        ),
        RegionRule(
            id="wro-2021-xuar-cotton-tomato",
            area="CN-XJ",
            list="wro",
            order_id="WRO-2021-01-13-XUAR",
            goods=("cotton", "tomatoes"),
            description="WRO of 13 Jan 2021: cotton and tomato products from Xinjiang",
        ),
        RegionRule(
            id="wro-2020-xpcc-cotton",
            area="CN-XJ-XPCC",
            list="wro",
            order_id="WRO-2020-12-02-XPCC",
            goods=("cotton",),
            description="WRO of 2 Dec 2020: cotton and cotton products from the XPCC",
        ),
        RegionRule(
            id="caatsa-302a-kp",
            area="KP",
            list="caatsa",
            order_id="CAATSA-302A",
            goods=None,
            description="CAATSA sec. 302A: goods made by North Korean nationals",
        ),
        RegionRule(
            id="wro-2018-tm-cotton",
            area="TM",
            list="wro",
            order_id="WRO-2018-05-18-TM",
            goods=("cotton",),
            description="WRO of 18 May 2018: cotton from Turkmenistan",
        ),
    ]
