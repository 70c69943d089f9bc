from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext, gettext_lazy

from section307.core.languages import language_choices
from section307.ports.forms import UswdsForm, uswds
from section307.trade.checklists import CATEGORIES, CHANGE_GROUNDS, ILO_INDICATORS
from section307.trade.models import RequestDocument, RequestKind, TradeRequest
from section307.trade.uploads import MAX_DOCUMENT_BYTES


class DocumentForm(UswdsForm):
    file = forms.FileField(
        help_text=gettext_lazy("PDF, JPEG, PNG, TIFF, Word, Excel or plain text, up to 25 MB"),
        label=gettext_lazy("File"),
    )
    category = forms.ChoiceField(
        choices=[("", gettext_lazy("- Select -")), *CATEGORIES.items()], label=gettext_lazy("What the document is")
    )
    # Stored as the language code (en, zh, ms...) as before; people choose the language by name.
    language = forms.ChoiceField(choices=language_choices, initial="en", label=gettext_lazy("Language of the document"))
    tier = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=20,
        label=gettext_lazy("Supply-chain tier"),
        help_text=gettext_lazy("For a supply-chain tracing document: 1 = direct supplier, 2 = its supplier…"),
    )
    translation_of = forms.ModelChoiceField(
        queryset=RequestDocument.objects.none(),
        required=False,
        label=gettext_lazy("Translation of"),
        help_text=gettext_lazy("For a translation: the document it translates"),
    )
    description = forms.CharField(max_length=300, required=False, label=gettext_lazy("Description"))

    def __init__(self, *args: Any, request_obj: TradeRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["translation_of"].queryset = request_obj.documents.exclude(language__startswith="en")  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        f = self.cleaned_data["file"]
        if f.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(
                gettext("The file is larger than %(value)s MB.") % {"value": MAX_DOCUMENT_BYTES // (1024 * 1024)}
            )
        return f


class StatementForm(UswdsForm):
    """The importer's statement on a detention request: submission refuses an empty one
    (``trade.services.submission_problems``), so the field is required."""

    statement = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}), max_length=50_000, label=gettext_lazy("Statement")
    )


class ChangeRequestForm(StatementForm):
    """A request to modify or revoke an order. Submission needs the grounds, every ILO answer and, for a
    modification, the proposed change (``trade.services.submission_problems``); the statement is extra."""

    statement = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}), required=False, max_length=50_000, label=gettext_lazy("Statement")
    )
    grounds = forms.ChoiceField(
        choices=[("", gettext_lazy("- Select -")), *CHANGE_GROUNDS.items()], label=gettext_lazy("Grounds")
    )
    proposed_change = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label=gettext_lazy("Proposed modification")
    )

    def __init__(self, *args: Any, kind: str = RequestKind.ORDER_MODIFICATION, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kind != RequestKind.ORDER_MODIFICATION:
            # A revocation proposes no modification.
            del self.fields["proposed_change"]
        for key, label in ILO_INDICATORS:
            self.fields[f"ilo_{key}"] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 2}), label=label, max_length=5000
            )
        uswds(self)


class AnswerForm(UswdsForm):
    answer = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=10_000, label=gettext_lazy("Answer"))


class ExportForm(UswdsForm):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
        label=gettext_lazy("Note (carrier, destination)"),
    )


class DeterminationForm(UswdsForm):
    """A headquarters reviewer's determination; the legal test's conditions when the kind has one."""

    outcome = forms.ChoiceField(choices=[], widget=forms.RadioSelect, label=gettext_lazy("Determination"))
    reasons = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), label=gettext_lazy("Reasons (sent to the importer)")
    )
    conditions = forms.MultipleChoiceField(
        choices=[], required=False, widget=forms.CheckboxSelectMultiple, label=gettext_lazy("Conditions found met")
    )

    def __init__(
        self,
        *args: Any,
        outcomes: list[tuple[str, str]],
        conditions: tuple[tuple[str, str], ...] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = outcomes  # type: ignore[attr-defined]
        if conditions:
            self.fields["conditions"].choices = list(conditions)  # type: ignore[attr-defined]
        else:
            del self.fields["conditions"]


class ConcurrenceForm(UswdsForm):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label=gettext_lazy("Note (required when you do not concur)"),
    )


class ProtestForm(UswdsForm):
    grounds = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label=gettext_lazy("Grounds of the protest"))
    accelerated = forms.BooleanField(
        required=False,
        label=gettext_lazy("Request accelerated disposition (19 U.S.C. 1515(b): deemed denied after 30 days)"),
    )


class BrokerGrantForm(UswdsForm):
    broker: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Customs broker"))  # type: ignore[arg-type]
    scope = forms.ChoiceField(
        choices=[("all", gettext_lazy("All our entries")), ("some", gettext_lazy("Only the entries listed below"))],
        widget=forms.RadioSelect,
        initial="all",
        label=gettext_lazy("Which entries"),
    )
    entry_numbers = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=gettext_lazy("Entry numbers (one per line or separated by commas)"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from section307.accounts.models import Organization

        super().__init__(*args, **kwargs)
        self.fields["broker"].queryset = Organization.objects.filter(kind=Organization.Kind.BROKER)  # type: ignore[attr-defined]

    def clean_entry_numbers(self) -> list[str]:
        raw = self.cleaned_data.get("entry_numbers", "")
        return [n.strip() for n in raw.replace(",", "\n").splitlines() if n.strip()]
