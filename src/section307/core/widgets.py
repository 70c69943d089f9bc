"""Form widgets shared by the staff forms."""

from __future__ import annotations

from typing import Any

from django import forms


class FilteredSelectMultiple(forms.SelectMultiple):
    """A multi-select for long lists (countries, parties, goods).

    Rendered as the plain ``<select multiple>`` (which works without script) inside a wrapper that
    ``section307/js/components.js`` turns into a filter box with the chosen items as removable chips.
    The submitted values are the select's, so forms and validation do not change.
    """

    template_name = "core/widgets/filtered_select_multiple.html"

    def __init__(self, attrs: dict[str, Any] | None = None, choices: Any = ()) -> None:
        super().__init__({"class": "usa-select", "size": 8, **(attrs or {})}, choices)
