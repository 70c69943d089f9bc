from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from section307.accounts.models import Organization
from section307.ipr.models import HolderResponse, IprDetention, Recordation
from section307.ipr.photostandard import SHOT_CHOICES
from section307.ports.forms import ForfeitureForm as ForfeitureForm
from section307.ports.forms import UswdsForm


class DetainForm(UswdsForm):
    entry_number = forms.CharField(label=_("Entry number"), max_length=20)
    procedure = forms.ChoiceField(
        label=_("Detained under"),
        choices=IprDetention.Procedure.choices,
        initial=IprDetention.Procedure.COUNTERFEIT,
        help_text=_("Piratical copies concern recorded copyrights; the other procedures recorded trademarks."),
    )
    recordations = forms.ModelMultipleChoiceField(
        label=_("Recorded marks or works concerned"),
        queryset=Recordation.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    reasons = forms.CharField(
        label=_("Why the marks are suspected counterfeit"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    codes = forms.CharField(
        label=_("Codes on the goods and packaging"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line as kind: value, kind one of serial, upc, sku, other (UPC: 012345678905)."),
    )
    decided_on = forms.DateField(
        label=_("Date of the decision to detain"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Today when left empty."),
    )


class PhotoForm(UswdsForm):
    photo = forms.FileField(label=_("Photo"))
    shot_type = forms.ChoiceField(label=_("Shot type"), choices=SHOT_CHOICES)
    caption = forms.CharField(label=_("Caption (what the photo shows)"), max_length=300)
    override_reason = forms.CharField(
        label=_("Reason to keep a photo below the standard"), required=False, max_length=1000
    )


class RedactForm(UswdsForm):
    left = forms.FloatField(label=_("Left edge (percent of the width)"), min_value=0, max_value=100)
    top = forms.FloatField(label=_("Top edge (percent of the height)"), min_value=0, max_value=100)
    right = forms.FloatField(label=_("Right edge (percent of the width)"), min_value=0, max_value=100)
    bottom = forms.FloatField(label=_("Bottom edge (percent of the height)"), min_value=0, max_value=100)
    style = forms.ChoiceField(label=_("How"), choices=[("blur", _("Blur beyond reading")), ("box", _("Black box"))])

    def box(self) -> tuple[float, float, float, float]:
        d = self.cleaned_data
        return (d["left"] / 100, d["top"] / 100, d["right"] / 100, d["bottom"] / 100)


class ReasonForm(UswdsForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class SampleForm(UswdsForm):
    bond_reference = forms.CharField(label=_("Bond reference"), max_length=60)


class ResponseForm(UswdsForm):
    answer = forms.ChoiceField(label=_("Your answer"), choices=HolderResponse.Answer.choices, widget=forms.RadioSelect)
    recordation = forms.ModelChoiceField(label=_("For the recordation"), queryset=Recordation.objects.none())
    note = forms.CharField(
        label=_("Note to the officer"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )

    def __init__(self, *args: Any, recordations: Any = None, piratical: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if piratical:
            # The same answers, in the words of the piratical-article rule (19 CFR 133.42(a), CBP Dec. 24-03).
            self.fields["answer"].choices = [  # type: ignore[attr-defined]
                (HolderResponse.Answer.GENUINE, _("Lawfully made (not a piratical article)")),
                (HolderResponse.Answer.COUNTERFEIT, _("Piratical article")),
                (HolderResponse.Answer.NEEDS_SAMPLE, HolderResponse.Answer.NEEDS_SAMPLE.label),
            ]
        if recordations is not None:
            self.fields["recordation"].queryset = recordations  # type: ignore[attr-defined]
            if recordations.count() == 1:
                self.fields["recordation"].initial = recordations.first()


class ReplyForm(UswdsForm):
    text = forms.CharField(
        label=_("Information that the goods are genuine"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20000,
        help_text=_("For example: the licence, invoices from the mark owner or its licensee."),
    )

    def __init__(self, *args: Any, piratical: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if piratical:
            self.fields["text"].label = _("Information that the goods are not piratical articles")
            self.fields["text"].help_text = _("For example: the licence from the copyright owner, invoices.")


class RecordationForm(UswdsForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Recordation.Kind.choices)
    number = forms.CharField(label=_("CBP recordation number"), max_length=40)
    title = forms.CharField(label=_("Mark or title of the work"), max_length=200)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Organization.objects.all())
    registration_number = forms.CharField(label=_("Registration number"), max_length=40, required=False)
    goods = forms.CharField(label=_("Goods covered"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    expires_on = forms.DateField(label=_("Expires on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class AccountForm(UswdsForm):
    username = forms.CharField(label=_("User name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)


class ExtendForm(UswdsForm):
    days = forms.IntegerField(label=_("Days to add"), min_value=1, max_value=90)
    reason = forms.CharField(label=_("Good cause shown"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)
