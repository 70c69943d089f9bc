"""Main pages render in every language: navigation, headings and the language selector itself."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from section307.accounts import roles
from section307.core.context_processors import NAV_ITEMS

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
# Header words that are not navigation entries but appear on every page.
CHROME = ["Skip to main content", "Menu", "Languages", "Sign in", "Primary navigation"]

# (role or None for a visitor, path) of the pages each kind of user starts from.
PAGES: list[tuple[str | None, str]] = [
    (None, "/"),
    (None, "/orders/"),
    (None, "/report/"),
    (None, "/accounts/login/"),
    (roles.ANALYST, "/"),
    (roles.ANALYST, "/queue/"),
    (roles.ANALYST, "/cases/"),
    (roles.ANALYST, "/allegations/"),
    (roles.PORT_OFFICER, "/port/"),
    (roles.PORT_OFFICER, "/port/entries/"),
    (roles.HQ_REVIEWER, "/hq/"),
]


def _visible(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _header(html: str) -> str:
    match = re.search(r"<header\b.*?</header>", html, flags=re.S)
    assert match, "page has no header"
    return match.group(0)


def _h1(html: str) -> str:
    match = re.search(r"<h1\b[^>]*>(.*?)</h1>", html, flags=re.S)
    assert match, "page has no h1"
    return _visible(match.group(1))


def _contains_word(text: str, word: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text) is not None


def _english_words_left(header_text: str, language: str) -> list[str]:
    """Header words shown in English although the language has its own word for them."""
    words = CHROME + [str(item.label) for item in NAV_ITEMS]
    left = []
    for english in words:
        with translation.override(language):
            translated = translation.gettext(english)
        if translated != english and _contains_word(header_text, english):
            left.append(english)
    return left


def _client(role: str | None, client_as: Callable[..., Client], language: str) -> Client:
    client = client_as(role) if role else Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("role", "path"), PAGES)
def test_page_speaks_the_chosen_language(
    language: str, role: str | None, path: str, client_as: Callable[..., Client]
) -> None:
    english = (client_as(role) if role else Client()).get(path)
    response = _client(role, client_as, language).get(path)
    assert response.status_code == 200, (path, response.status_code)
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    header = _visible(_header(html))
    assert _english_words_left(header, language) == [], f"{path} in {language}: {header}"
    # The page's own heading is translated too (it differs from the English page's heading).
    assert _h1(html) != _h1(english.content.decode()), (path, language, _h1(html))


@pytest.mark.parametrize("language", LANGUAGES)
def test_navigation_entries_of_every_role_are_translated(language: str, client_as: Callable[..., Client]) -> None:
    for role in (roles.ANALYST, roles.SUPERVISOR, roles.PORT_OFFICER, roles.HQ_REVIEWER, roles.ADMINISTRATOR):
        html = _client(role, client_as, language).get("/").content.decode()
        header = _visible(_header(html))
        assert _english_words_left(header, language) == [], (role, header)


def test_language_selector_is_in_the_header_of_every_page(client_as: Callable[..., Client]) -> None:
    for role, path in PAGES:
        header = _header((client_as(role) if role else Client()).get(path).content.decode())
        assert 'class="usa-language-container' in header, path
        forms = re.findall(r'<form method="post" action="/i18n/setlang/".*?</form>', header, flags=re.S)
        assert len(forms) == len(settings.LANGUAGES), path
        for form, (code, _) in zip(forms, settings.LANGUAGES, strict=True):
            assert 'name="csrfmiddlewaretoken"' in form
            assert f'name="next" type="hidden" value="{path}"' in form
            assert f'name="language" value="{code}"' in form
            assert f'<span lang="{code}">' in form  # each language's name is read in that language


@pytest.mark.parametrize("role", [None, roles.ANALYST])
def test_choosing_a_language_keeps_the_page_and_changes_its_words(role: str | None, client_as: Any) -> None:
    client = client_as(role) if role else Client()
    client.handler.enforce_csrf_checks = True
    page = client.get("/orders/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/orders/", "csrfmiddlewaretoken": token[1]})
    assert response.status_code == 302 and response["Location"] == "/orders/"
    french = client.get("/orders/").content.decode()
    assert '<html lang="fr">' in french
    assert "Ordonnances de refus de mainlevée et constats" in _h1(french)
    assert 'aria-current="true"><span lang="fr">' in french  # the current language is marked


def test_choosing_a_language_needs_the_csrf_token() -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post("/i18n/setlang/", {"language": "fr", "next": "/"}).status_code == 403


@pytest.mark.parametrize("language", LANGUAGES)
def test_file_input_texts_come_translated(language: str) -> None:
    html = _client(None, None, language).get("/report/").content.decode()  # type: ignore[arg-type]
    script = re.search(r'<script src="[^"]*file-input-i18n\.js"(.*?)></script>', html, flags=re.S)
    assert script, "the file input's words are not on the page"
    texts = dict(re.findall(r'data-s307-text-([a-z-]+)="([^"]*)"', script.group(1)))
    with translation.override(language):
        assert texts["drag-file"] == translation.gettext("Drag file here or") != "Drag file here or"
        assert texts["choose"] == translation.gettext("choose from folder")
        assert texts["invalid-type"] == translation.gettext("Error: This is not a valid file type.")
    # Placeholders stay for the script to fill in.
    assert "%(count)s" in unescape(texts["files-selected"])
    assert "%(name)s" in unescape(texts["selected-one"])
