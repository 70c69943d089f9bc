from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from section307.ports.models import Entry

pytestmark = pytest.mark.django_db
HEADER = (
    "entry_number,line,importer,manufacturer,manufacturer_address,shipper,shipper_address,country_of_origin,"
    "hts,description,value_usd,date_of_import,port,mode\n"
)


def test_batch_file_loads_all_or_nothing(registry: Any, tmp_path: Path, capsys: Any) -> None:
    f = tmp_path / "batch.csv"
    f.write_text(
        HEADER + "GCB-0000071-1,1,Acme,Tianshan Harvest Textile Co. Ltd.,Aksu,,,CN,620520,Shirts,1,"
        "2025-05-01,2704,ocean\nGCB-0000072-1,1,Acme,Mill,,,,VN,620520,Shirts,x,2025-05-01,2704,ocean\n"
    )
    with pytest.raises(CommandError, match="row 3: value_usd"):
        call_command("entries_load", str(f))
    assert not Entry.objects.exists()
    f.write_text(
        HEADER + "GCB-0000071-1,1,Acme,Tianshan Harvest Textile Co. Ltd.,Aksu,,,CN,620520,Shirts,1,"
        "2025-05-01,2704,ocean\n"
    )
    call_command("entries_load", str(f))
    assert "1 entry loaded; 1 in the targeting queue" in capsys.readouterr().out
    assert Entry.objects.get().source == "batch"
    call_command("ports_tick")
