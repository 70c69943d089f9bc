from __future__ import annotations

from typing import Any

from django import forms

from section307.ports import images
from section307.ports.models import DetentionDecision


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class TargetForm(ReasonForm):
    action = forms.ChoiceField(choices=[("release", "Release"), ("exam", "Hold for exam"), ("detain", "Detain")])
    order_reference = forms.CharField(max_length=40, required=False, label="Order (when detaining)")


class DecisionForm(ReasonForm):
    outcome = forms.ChoiceField(
        choices=[(o.value, o.label) for o in DetentionDecision.Outcome if o != DetentionDecision.Outcome.ABANDON]
    )


class ImageForm(forms.Form):
    photo = forms.FileField(
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/tiff", "capture": "environment"}
        )
    )
    caption = forms.CharField(max_length=300, help_text="What the photo shows (marking, label, packaging, seal)")
    override_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Reason to keep a photo below the standard",
        help_text="Only when the checks fail: e.g. the only legible view of the label.",
    )
    shared_with_importer = forms.BooleanField(required=False, initial=True, label="Share with the importer")

    def clean_photo(self) -> Any:
        photo = self.cleaned_data["photo"]
        if photo.size > images.MAX_BYTES:
            raise forms.ValidationError(f"The file is larger than {images.MAX_BYTES // (1024 * 1024)} MB.")
        return photo


class RedactForm(forms.Form):
    left = forms.FloatField(min_value=0, max_value=1)
    top = forms.FloatField(min_value=0, max_value=1)
    right = forms.FloatField(min_value=0, max_value=1)
    bottom = forms.FloatField(min_value=0, max_value=1)


class EntriesUploadForm(forms.Form):
    file = forms.FileField(help_text="CSV or XLSX with the screening columns plus port and mode", label="Entries file")


class RescreenForm(forms.Form):
    days = forms.IntegerField(min_value=1, max_value=3650, initial=90, label="Look back (days of import)")
    order_reference = forms.CharField(max_length=40, required=False, label="Only newly affected by order (optional)")
