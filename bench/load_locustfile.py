"""Locust clients for bench/load_bench.py: public pages and single-entry screening.

Each client waits 0.5-1.5 s between requests (a person or a filer system, not a flood). The
bench passes the API token and an order reference through the environment.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import random

from locust import HttpUser, between, task

TOKEN = os.environ["LOAD_TOKEN"]
ORDER = os.environ["LOAD_ORDER"]
_numbers = itertools.count(int(os.environ.get("LOAD_ENTRY_START", "1000000")))
MANUFACTURERS = [
    "Xinjiang Tianshan Textile Co., Ltd.",
    "Hotan Cotton Spinning Mill",
    "Saigon Garment Export JSC",
    "Dhaka Knitwear Ltd.",
    "Penang Rubber Gloves Sdn. Bhd.",
]


class PublicVisitor(HttpUser):
    wait_time = between(0.5, 1.5)
    weight = 4

    @task(3)
    def home(self) -> None:
        self.client.get("/", name="GET /")

    @task(3)
    def orders(self) -> None:
        self.client.get("/orders/", name="GET /orders/")

    @task(2)
    def order(self) -> None:
        self.client.get(f"/orders/{ORDER}/", name="GET /orders/<ref>/")

    @task(2)
    def orders_api(self) -> None:
        self.client.get("/api/v1/orders", name="GET /api/v1/orders")

    @task(1)
    def report(self) -> None:
        self.client.get("/report/", name="GET /report/")


class Filer(HttpUser):
    wait_time = between(0.5, 1.5)
    weight = 1

    @task
    def screen_one(self) -> None:
        number = next(_numbers)
        body = {
            "entry_number": f"LDB-{number:07d}-{random.randrange(10)}",
            "port": "2704",
            "mode": "ocean",
            "filer": "LDB",
            "importer": "Harborline Apparel Imports LLC",
            "importer_number": "84-2917365",
            "date_of_import": (dt.datetime.now(dt.UTC).date() - dt.timedelta(days=3)).isoformat(),
            "lines": [
                {
                    "line": 1,
                    "manufacturer": random.choice(MANUFACTURERS),
                    "country_of_origin": "CN",
                    "hts": "6205.20",
                    "description": "Men's woven cotton shirts",
                    "value_usd": "1000.50",
                    "quantity": "120",
                }
            ],
        }
        self.client.post(
            "/api/v1/entries",
            json=body,
            headers={"Authorization": f"Bearer {TOKEN}"},
            name="POST /api/v1/entries (one entry)",
        )
