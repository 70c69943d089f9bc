from __future__ import annotations

from typing import Any

from django import forms

from section307.ports.forms import UswdsForm, uswds
from section307.trade.checklists import CATEGORIES, CHANGE_GROUNDS, ILO_INDICATORS
from section307.trade.models import RequestDocument, TradeRequest
from section307.trade.uploads import MAX_DOCUMENT_BYTES


class DocumentForm(UswdsForm):
    file = forms.FileField(help_text="PDF, JPEG, PNG, TIFF, Word, Excel or plain text, up to 25 MB")
    category = forms.ChoiceField(choices=[("", "- Select -"), *CATEGORIES.items()], label="What the document is")
    language = forms.CharField(max_length=12, initial="en", help_text="Language code: en, zh, ms, es...")
    tier = forms.IntegerField(required=False, min_value=1, max_value=20, label="Supply-chain tier (if any)")
    translation_of = forms.ModelChoiceField(
        queryset=RequestDocument.objects.none(), required=False, label="Translation of (for translations)"
    )
    description = forms.CharField(max_length=300, required=False)

    def __init__(self, *args: Any, request_obj: TradeRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["translation_of"].queryset = request_obj.documents.exclude(language__startswith="en")  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        f = self.cleaned_data["file"]
        if f.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(f"The file is larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB.")
        return f


class StatementForm(UswdsForm):
    statement = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}), required=False, max_length=50_000, label="Statement"
    )


class ChangeRequestForm(StatementForm):
    grounds = forms.ChoiceField(choices=[("", "- Select -"), *CHANGE_GROUNDS.items()], required=False)
    proposed_change = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Proposed modification (for modifications)"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in ILO_INDICATORS:
            self.fields[f"ilo_{key}"] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 2}), required=False, label=label, max_length=5000
            )
        uswds(self)


class AnswerForm(UswdsForm):
    answer = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=10_000)


class ExportForm(UswdsForm):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000, label="Note (carrier, destination)"
    )
