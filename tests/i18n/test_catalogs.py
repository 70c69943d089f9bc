"""The Spanish, French and Chinese catalogs are complete, compiled, and cover every marked string."""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po
from django.conf import settings

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "section307"
LOCALE = PACKAGE / "locale"
LANGUAGES = [code.replace("-hans", "_Hans") for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdrf]")


def _catalog(language: str, locale: Path = LOCALE) -> Catalog:
    with (locale / language / "LC_MESSAGES" / "django.po").open("rb") as fh:
        return read_po(fh)


def _messages(catalog: Catalog) -> list[Message]:
    return [m for m in catalog if m.id]


def _forms(message: Message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def _untranslated(catalog: Catalog) -> list[str]:
    return [str(m.id) for m in _messages(catalog) if m.fuzzy or not all(form.strip() for form in _forms(m))]


def test_every_supported_language_has_a_catalog() -> None:
    assert LANGUAGES == ["es", "fr", "zh_Hans"]
    for language in LANGUAGES:
        assert (LOCALE / language / "LC_MESSAGES" / "django.po").is_file()
        assert (LOCALE / language / "LC_MESSAGES" / "django.mo").is_file()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language: str) -> None:
    missing = _untranslated(_catalog(language))
    assert not missing, f"{language}: {len(missing)} messages untranslated or fuzzy, e.g. {missing[:5]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder(language: str) -> None:
    wrong = []
    for message in _messages(_catalog(language)):
        source = message.id[-1] if isinstance(message.id, tuple) else message.id
        for form in _forms(message):
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(form)):
                wrong.append((source, form))
    assert not wrong, wrong[:5]


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalog_matches_its_source(language: str) -> None:
    """The committed .mo says exactly what the .po says (run `make messages` after editing a .po)."""
    with (LOCALE / language / "LC_MESSAGES" / "django.mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    stale = []
    for message in _messages(_catalog(language)):
        if isinstance(message.id, tuple):
            singular, plural = message.id
            got = tuple(compiled.ngettext(singular, plural, n) for n in (1, 2, 5))
            expected_forms = _forms(message)
            if not set(got) <= set(expected_forms):
                stale.append(singular)
        else:
            context = message.context
            got_one = compiled.pgettext(context, message.id) if context else compiled.gettext(message.id)
            if got_one != message.string:
                stale.append(message.id)
    assert not stale, f"{language}: .mo is older than .po for {len(stale)} messages, e.g. {stale[:3]}"


def test_simplified_chinese_is_written_in_simplified_characters() -> None:
    # A few characters whose traditional forms differ: a catalog in traditional script would use them.
    traditional = set("這個們來時會對說為與發過還進國關點開處應當體區證據貨單據報關號")
    text = "".join("".join(_forms(m)) for m in _messages(_catalog("zh_Hans")))
    assert not traditional & set(text)


@pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="GNU gettext is not installed (make setup-dev installs it)"
)
def test_catalogs_hold_every_string_marked_in_the_code(tmp_path: Path) -> None:
    """Extracting the strings again (as `make messages` does) adds nothing untranslated."""
    copy = tmp_path / "section307"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("vendor", "__pycache__", "*.mo"))
    # The copy is the package Python imports, so its settings point makemessages at the copy's catalogs.
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="section307.config.settings", PYTHONPATH=str(tmp_path))
    result = subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            *(f"-l{lang}" for lang in LANGUAGES),
            "--ignore=static/vendor/*",
        ],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for language in LANGUAGES:
        missing = _untranslated(_catalog(language, copy / "locale"))
        assert not missing, f"{language}: run `make messages` and translate: {missing[:5]}"
