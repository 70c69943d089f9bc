"""One catalog per language: an app's own locale folder would pull its strings out of the main catalogs."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "section307"


def test_only_the_package_has_a_locale_folder() -> None:
    folders = sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("locale") if p.is_dir())
    assert folders == ["locale"]
