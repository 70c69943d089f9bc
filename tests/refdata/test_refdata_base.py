"""Shared reading helpers: dates and file sniffing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from section307.refdata.parsers.base import parse_date, sniff_kind

SEPT_30 = dt.date(2021, 9, 30)


@pytest.mark.parametrize(
    "raw",
    [
        "9/30/2021",
        "09/30/2021",
        "9/30/21",
        "2021-09-30",
        "2021-9-30",
        "Sep 30, 2021",
        "Sept. 30, 2021",
        "September 30, 2021",
        "30 Sep 2021",
        "2021-09-30 00:00:00",
        "2021-09-30T00:00:00",
        "9/30/2021 0:00",
        "9/30/2021 12:00:00 AM",
        dt.datetime(2021, 9, 30, 0, 0),  # noqa: DTZ001 - spreadsheet cells are naive
        SEPT_30,
    ],
)
def test_parse_date_accepts_published_spellings(raw: object) -> None:
    assert parse_date(raw) == SEPT_30


@pytest.mark.parametrize(
    "raw", ["13/45/2020", "30/9/2021", "2021-02-30", "yesterday", "2021", "", None, "Sep 2021"]
)
def test_parse_date_rejects(raw: object) -> None:
    with pytest.raises(ValueError, match="date"):
        parse_date(raw)


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"PK\x03\x04rest", "xlsx"),
        (b"\xd0\xcf\x11\xe0rest", "xls"),
        (b"\x89PNG\r\n\x1a\n", "PNG image"),
        (b"%PDF-1.7", "PDF document"),
        (b"<!DOCTYPE html><html>", "html"),
        (b"\xef\xbb\xbf<?xml version='1.0'?><Goods/>", "xml"),
        (b"Country,Tier,Year\n", "text"),
        (b"\xff\xfeC\x00o\x00", "text"),
        (b"abc\x00def", "binary file"),
    ],
)
def test_sniff_kind(tmp_path: Path, head: bytes, kind: str) -> None:
    path = tmp_path / "f"
    path.write_bytes(head)
    assert sniff_kind(path) == kind
