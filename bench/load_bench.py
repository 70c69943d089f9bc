"""Load benchmark: the production profile under gunicorn, driven by locust on loopback.

It builds a fresh demo database (SQLite in a temporary directory unless ``DATABASE_URL`` is set),
collects static files, creates an API token for the demo port officer, starts gunicorn on
127.0.0.1 with ``section307.config.production``, warms it, then runs locust headless with a
bounded number of clients and a bounded time, and prints p50/p95/p99 per page.

    python bench/load_bench.py                          # 50 clients, 60 s, 2 x CPUs + 1 workers x 2 threads
    python bench/load_bench.py --users 50 --time 30 --workers 2 --threads 4

Results: ``bench/results/load.json`` (and locust's CSV files next to it).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"

SETUP = """
import django; django.setup()
from section307.accounts.models import User
from section307.orders.selectors import public_order_list
from section307.ports.services import api_token_create
officer = User.objects.get(username="officer")
_, secret = api_token_create(actor=officer, user=officer, name="load bench")
print(secret, public_order_list().first().reference)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(var_dir: Path) -> dict[str, str]:
    from cryptography.fernet import Fernet

    env = {k: v for k, v in os.environ.items() if not k.startswith("SECTION307_")}
    env.update(
        {
            "PYTHONPATH": str(ROOT / "src"),
            "DJANGO_SETTINGS_MODULE": "section307.config.production",
            "SECTION307_VAR_DIR": str(var_dir),
            "SECTION307_SECRET_KEY": secrets.token_urlsafe(64),
            "SECTION307_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECTION307_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "SECTION307_RECEIPT_KEY": secrets.token_urlsafe(48),
            "SECTION307_SSL_REDIRECT": "0",
            "SECTION307_LOG_LEVEL": "WARNING",
        }
    )
    return env


def _manage(env: dict[str, str], *args: str) -> str:
    out = subprocess.run([sys.executable, "-m", "section307", *args], env=env, capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"section307 {' '.join(args)} failed:\n{out.stderr[-3000:]}")
    return out.stdout


def _wait_ready(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server did not answer {url}")


def _post_entry(base: str, token: str, number: int) -> None:
    body = {
        "entry_number": f"WRM-{number:07d}-0",
        "port": "2704",
        "mode": "ocean",
        "filer": "WRM",
        "importer": "Harborline Apparel Imports LLC",
        "importer_number": "84-2917365",
        "date_of_import": (dt.datetime.now(dt.UTC).date() - dt.timedelta(days=3)).isoformat(),
        "lines": [
            {
                "line": 1,
                "manufacturer": "Hotan Cotton Spinning Mill",
                "country_of_origin": "CN",
                "hts": "6205.20",
                "description": "Men's woven cotton shirts",
                "value_usd": "1000.50",
                "quantity": "120",
            }
        ],
    }
    request = urllib.request.Request(  # noqa: S310 (loopback)
        f"{base}/api/v1/entries",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    urllib.request.urlopen(request, timeout=120).read()  # noqa: S310


def _warm_up(base: str, order: str, token: str, workers: int) -> None:
    """Every worker compiles the watchlist on its first screening: do it before measuring."""
    from concurrent.futures import ThreadPoolExecutor

    paths = ["/", "/orders/", f"/orders/{order}/", "/api/v1/orders", "/report/"]
    with ThreadPoolExecutor(max_workers=4 * workers) as pool:
        list(pool.map(lambda n: _post_entry(base, token, n), range(4 * workers)))
        list(pool.map(lambda p: urllib.request.urlopen(base + p, timeout=60).read(), paths * 2 * workers))  # noqa: S310


def _stats(prefix: Path) -> dict[str, dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    with open(f"{prefix}_stats.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            rows[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": round(float(row["Requests/s"]), 1),
                "p50_ms": float(row["50%"]),
                "p95_ms": float(row["95%"]),
                "p99_ms": float(row["99%"]),
                "mean_ms": round(float(row["Average Response Time"]), 1),
            }
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--time", type=int, default=60, help="seconds of measured load")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="section307-load-"))
    env = _env(var_dir)
    print(f"Preparing the production profile in {var_dir} ...", flush=True)
    _manage(env, "migrate", "--no-input", "-v0")
    _manage(env, "demo")
    _manage(env, "collectstatic", "--no-input", "-v0")
    token, order = _manage(env, "shell", "-c", SETUP).split()[-2:]

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "section307.config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    load_before = os.getloadavg()[0]
    try:
        _wait_ready(f"{base}/api/v1/health")
        _warm_up(base, order, token, args.workers)
        RESULTS.mkdir(parents=True, exist_ok=True)
        prefix = RESULTS / "load"
        locust_env = {**env, "LOAD_TOKEN": token, "LOAD_ORDER": order, "LOAD_ENTRY_START": str(1_000_000)}
        print(f"Driving {base} with {args.users} clients for {args.time} s ...", flush=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(HERE / "load_locustfile.py"),
                "--headless",
                "--host",
                base,
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.users),
                "--run-time",
                f"{args.time}s",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env=locust_env,
            check=False,
            stdout=subprocess.DEVNULL,
        )
        load_after = os.getloadavg()[0]
        pages = _stats(prefix)
    finally:
        server.terminate()
        server.wait(timeout=30)
        if not args.keep:
            shutil.rmtree(var_dir, ignore_errors=True)

    result = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "load_before": round(load_before, 2),
            "load_after": round(load_after, 2),
        },
        "database": "postgresql" if os.environ.get("DATABASE_URL") else "sqlite",
        "server": f"gunicorn gthread, {args.workers} workers x {args.threads} threads",
        "clients": args.users,
        "seconds": args.time,
        "pages": pages,
    }
    (RESULTS / "load.json").write_text(json.dumps(result, indent=2))
    print(f"\n{'page':40} {'requests':>8} {'fail':>5} {'p50':>6} {'p95':>6} {'p99':>6}  (ms)")
    for name, row in pages.items():
        print(
            f"{name:40} {row['requests']:8d} {row['failures']:5d} "
            f"{row['p50_ms']:6.0f} {row['p95_ms']:6.0f} {row['p99_ms']:6.0f}"
        )
    print(f"\nload average {load_before:.1f} before, {load_after:.1f} after; results in {RESULTS / 'load.json'}")


if __name__ == "__main__":
    main()
