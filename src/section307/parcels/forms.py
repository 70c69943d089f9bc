from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from section307.parcels.models import Manifest, ParcelDecision, ParcelDetention, ParcelGroup, ParcelReview
from section307.ports.forms import UswdsForm


class ManifestForm(UswdsForm):
    source = forms.ChoiceField(label=_("Source"), choices=Manifest.Source.choices)
    carrier = forms.CharField(label=_("Carrier"), max_length=120)
    presented_on = forms.DateField(
        label=_("Presented for examination on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Starts the 5 business days to release or detain (19 U.S.C. 1499(c)(1))."),
    )
    port = forms.RegexField(label=_("Port code"), regex=r"^[0-9]{4}$", required=False, max_length=4)
    file = forms.FileField(
        label=_("Manifest file"),
        help_text=_("CSV, JSON (a list of objects, or one object per line) or Parquet, one row per parcel."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["presented_on"].initial = timezone.localdate()

    def clean_presented_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["presented_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day


class GroupDecisionForm(UswdsForm):
    action = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("detain", _("Detain every parcel of the group")),
            ("release", _("Release every parcel of the group")),
        ],
        widget=forms.RadioSelect,
    )
    notice_to = forms.ChoiceField(
        label=_("Send the detention notice to"),
        choices=[("", _("By source (express: carrier; postal: consignee)")), *ParcelDetention.NoticeTo.choices],
        required=False,
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class BulkDetainForm(UswdsForm):
    groups: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        queryset=ParcelGroup.objects.none(), widget=forms.CheckboxSelectMultiple, label=_("Groups")
    )
    notice_to = GroupDecisionForm.base_fields["notice_to"]
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)

    def __init__(self, *args: object, queryset: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["groups"].queryset = queryset  # type: ignore[attr-defined]


class DetentionDecisionForm(UswdsForm):
    outcome = forms.ChoiceField(label=_("Decision"), choices=ParcelDecision.Outcome.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class ProofForm(UswdsForm):
    received_on = forms.DateField(label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(
        label=_("What was received, from whom"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class PortalProofForm(UswdsForm):
    statement = forms.CharField(
        label=_("Statement"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20000,
        help_text=_("What the documents show about the goods and their supply chain (19 CFR 12.43)."),
    )
    document = forms.FileField(
        label=_("Document"), help_text=_("PDF, image or office document. Send more documents in a further proof.")
    )


class PortalProtestForm(UswdsForm):
    grounds = forms.CharField(
        label=_("Grounds of the protest"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000
    )


class ReviewForm(UswdsForm):
    kind = forms.ChoiceField(label=_("Determination on"), choices=ParcelReview.Kind.choices)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ParcelReview.Outcome.choices)
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20000)


class ConcurForm(UswdsForm):
    action = forms.ChoiceField(
        label=_("Second review"), choices=[("concur", _("Concur")), ("return", _("Return"))], widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
        help_text=_("Required when returning the determination."),
    )
