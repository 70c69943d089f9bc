from __future__ import annotations

import pytest

from section307.geo.models import Region
from section307.geo.services import countries_sync, regions_sync

pytestmark = pytest.mark.django_db


def test_regions_load_with_their_hierarchy_and_spellings() -> None:
    first = regions_sync()
    assert first["created"] == first["total"] > 20
    assert regions_sync() == {"created": 0, "updated": 0, "total": first["total"]}
    xj = Region.objects.get(code="CN-XJ")
    xpcc = Region.objects.get(code="CN-XJ-XPCC")
    assert xpcc.parent == xj and xj.parent is None
    assert any("新疆" in n for n in xj.names)
    assert xpcc in xj.descendants() and xj in xpcc.ancestors()


def test_countries_sync_restores_a_flushed_table() -> None:
    from section307.geo.models import Country

    assert countries_sync() == 0
    Country.objects.filter(code__in=["ZA", "XK"]).delete()
    assert countries_sync() == 2
