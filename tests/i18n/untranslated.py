"""Find visible template text that is not marked for translation.

Templates are split with Django's own lexer. Text inside {% translate %}, {% blocktranslate %} and
{% comment %} is marked (or hidden); every other text token is stitched back together with a
placeholder for each variable or tag and read with an HTML parser, so that text nodes and the
attributes a person sees or hears (alt, title, aria-label, placeholder ...) are checked, while tag
names, classes, URLs and script/style bodies are not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from django.template.base import Lexer, TokenType

# A placeholder for anything Django renders: it is never a letter, so it never counts as text.
MARK = "\ue000"
VISIBLE_ATTRIBUTES = frozenset(
    {"alt", "title", "aria-label", "aria-description", "aria-roledescription", "placeholder", "label"}
)
# data-* attributes that carry words shown by JavaScript (the USWDS file input's texts).
VISIBLE_DATA_PREFIX = "data-s307-text"
# Names and codes that read the same in every language: the product, the hash, the tariff code, the currency,
# file formats, HTTP methods and API paths, and legal citations (docs/i18n.md: citations are not translated).
NOT_LANGUAGE = re.compile(
    r"section307|/api/v1/\S*|\b(?:SHA-256|HTS|USD|PDF|CSV|XLSX|JSON|GraphML|EPCIS|GET|POST)\b|\bU\.S\.C\.|\bCFR\b|\([a-z0-9]{1,4}\)"
)
LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Finding:
    template: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.template}:{self.line}: {self.text!r}"


def _has_words(text: str) -> bool:
    return bool(LETTER.search(NOT_LANGUAGE.sub("", text.replace(MARK, " "))))


class _Reader(HTMLParser):
    def __init__(self, lines: list[int], name: str) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: list[Finding] = []
        self._lines = lines
        self._name = name
        self._hidden = 0

    def _line(self) -> int:
        row, _ = self.getpos()
        return self._lines[min(row, len(self._lines)) - 1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        kinds = dict(attrs)
        for attr, value in attrs:
            visible = attr in VISIBLE_ATTRIBUTES or attr.startswith(VISIBLE_DATA_PREFIX)
            if attr == "value" and tag == "input" and (kinds.get("type") or "") in ("submit", "button", "reset"):
                visible = True
            if visible and value and _has_words(value):
                self.findings.append(Finding(self._name, self._line(), f'{attr}="{value.replace(MARK, "…")}"'))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and _has_words(data):
            self.findings.append(Finding(self._name, self._line(), " ".join(data.replace(MARK, "…").split())))


def unmarked_text(source: str, name: str) -> list[Finding]:
    """Every run of visible words in `source` that is outside the translation tags."""
    parts: list[str] = []
    lines: list[int] = []  # template line of each line of the stitched text
    skip_until: str | None = None
    for token in Lexer(source).tokenize():
        if skip_until is not None:
            if token.token_type == TokenType.BLOCK and token.contents.split()[0] == skip_until:
                skip_until = None
            continue
        if token.token_type == TokenType.BLOCK:
            word = token.contents.split()[0] if token.contents else ""
            if word in ("blocktranslate", "blocktrans"):
                skip_until = "end" + word
            elif word == "comment":
                skip_until = "endcomment"
        text = token.contents if token.token_type == TokenType.TEXT else MARK
        start = token.lineno or 1
        for offset, _ in enumerate(text.split("\n")):
            if offset:
                lines.append(start + offset)
        if not parts:
            lines.insert(0, start)
        parts.append(text)
    stitched = "".join(parts)
    while len(lines) < stitched.count("\n") + 1:
        lines.append(lines[-1] if lines else 1)
    reader = _Reader(lines, name)
    reader.feed(stitched)
    reader.close()
    return reader.findings


def template_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("templates/**/*") if p.suffix in (".html", ".txt") and p.is_file())
