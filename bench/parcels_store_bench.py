"""Parcels through the database: one carrier's manifest received (encrypted at rest), read back through
the decrypting stream, checked, screened and stored; then re-screened after a new order.

It fills a fresh database (SQLite in a temporary directory unless ``DATABASE_URL`` is set) with a
small registry (one WRO on a listed seller), writes a CSV manifest of ``--rows`` parcels (1 % from
the listed seller, 1 % from a seller the new order will name, the rest from 2,000 other sellers)
and times:

- ``receive``: ``manifest_receive`` (the file encrypted in 1 MiB segments onto disk);
- ``process``: ``manifest_process`` (decrypt as a stream, check each row, screen, store, group);
- ``rescreen``: ``parcels_rescreen`` after a second order is issued (every parcel not yet disposed).

    python bench/parcels_store_bench.py --rows 200000
    python bench/parcels_store_bench.py --rows 20000     # quick

Prints figures and writes ``bench/results/parcels_store.json``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import platform
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

LISTED = "Tianshan Harvest Textile Co., Ltd."
NEW = "Kashgar Golden Sands Apparel Co., Ltd."


def _setup(var_dir: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "section307.config.settings")
    os.environ.setdefault("SECTION307_SECRET_KEY", "bench-only-" + "x" * 40)
    os.environ.setdefault("SECTION307_INPROCESS_WORKER", "0")
    os.environ.setdefault("SECTION307_SCHEDULER", "0")
    os.environ["SECTION307_VAR_DIR"] = var_dir
    os.environ["SECTION307_RESCREEN_ON_ORDER_CHANGE"] = "0"  # the bench calls the re-screen itself
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{var_dir}/bench.sqlite3"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _order(name: str, reference: str, address: str) -> Any:
    from django.utils import timezone

    from section307.geo.models import Country
    from section307.orders.models import OrderType
    from section307.orders.services import ScopedParty, order_create
    from section307.parties.services import party_resolve

    cn = Country.objects.get(code="CN")
    party, _ = party_resolve(actor=None, name=name, country=cn, addresses=[address])
    return order_create(
        actor=None,
        order_type=OrderType.WRO,
        merchandise="Garments",
        effective_date=timezone.localdate(),
        country=cn,
        parties=[ScopedParty(party)],
        reference=reference,
    )


def _manifest(rows: int, rng: random.Random) -> bytes:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(
        [
            "tracking_number",
            "seller",
            "seller_address",
            "shipper",
            "consignee",
            "description",
            "value_usd",
            "origin_country",
        ]
    )
    for i in range(rows):
        r = rng.random()
        if r < 0.01:
            seller, address = LISTED, "88 Jiefang Road, Aksu"
        elif r < 0.02:
            seller, address = NEW, "Hanoi"
        else:
            seller, address = f"Garden Shop {rng.randrange(2000)}", "Porto"
        w.writerow(
            [
                f"BN{i:012d}",
                seller,
                address,
                "Consolidator Ltd",
                f"Buyer {rng.randrange(50000)}",
                "polyester shirt",
                "9.50",
                "PT",
            ]
        )
    return out.getvalue().encode()


def _timed(fn: Any) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="parcels-bench-") as var_dir:
        _setup(var_dir)
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.utils import timezone

        from section307.accounts.models import User
        from section307.geo.services import countries_sync
        from section307.parcels import services

        countries_sync()
        _order(LISTED, "WRO-2023-0001", "88 Jiefang Road, Aksu")
        officer = User.objects.create_superuser("bench", "bench@example.com", "x")
        data = _manifest(args.rows, random.Random(args.seed))
        upload = SimpleUploadedFile("manifest.csv", data)
        load_before = os.getloadavg()
        presented = timezone.localdate() - dt.timedelta(days=1)
        manifest, receive_wall, receive_cpu = _timed(
            lambda: services.manifest_receive(
                actor=officer, source="express", carrier="Bench Air", presented_on=presented, upload=upload
            )
        )
        on_disk = (Path(var_dir) / "media" / manifest.file.name).stat().st_size
        manifest, process_wall, process_cpu = _timed(lambda: services.manifest_process(manifest=manifest))
        _order(NEW, "WRO-2026-0009", "Kashgar")
        run, rescreen_wall, rescreen_cpu = _timed(
            lambda: services.parcels_rescreen(actor=None, trigger="issue of WRO-2026-0009")
        )
        load_after = os.getloadavg()
        result = {
            "rows": args.rows,
            "file_bytes": len(data),
            "encrypted_bytes": on_disk,
            "stored": manifest.rows_stored,
            "hits": manifest.hits,
            "reviews": manifest.reviews,
            "groups": manifest.groups.count(),
            "receive": {"wall_s": round(receive_wall, 2), "cpu_s": round(receive_cpu, 2)},
            "process": {"wall_s": round(process_wall, 2), "cpu_s": round(process_cpu, 2)},
            "rescreen": {
                "wall_s": round(rescreen_wall, 2),
                "cpu_s": round(rescreen_cpu, 2),
                "screened": run.parcels_screened if run else 0,
                "new_hits": run.new_hits if run else 0,
                "groups_created": run.groups_created if run else 0,
            },
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "machine": {
                "cpus": os.cpu_count(),
                "platform": platform.platform(),
                "load_before": load_before,
                "load_after": load_after,
                "database": "postgresql" if "postgres" in os.environ["DATABASE_URL"] else "sqlite",
            },
        }
    print(json.dumps(result, indent=2))
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "parcels_store.json").write_text(json.dumps(result, indent=2, default=str))
    print(f"wrote {out / 'parcels_store.json'}")


if __name__ == "__main__":
    main()
