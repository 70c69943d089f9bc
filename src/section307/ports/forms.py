from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext, gettext_lazy

from section307.ports import images
from section307.ports.models import DetentionDecision, ForfeitureStep


def uswds(form: forms.BaseForm) -> None:
    """Give each widget its US Web Design System class (inputs, text areas, selects, file inputs)."""
    for field in form.fields.values():
        w = field.widget
        if isinstance(w, forms.Textarea):
            css = "usa-textarea"
        elif isinstance(w, forms.Select):
            css = "usa-select"
        elif isinstance(w, forms.ClearableFileInput | forms.FileInput):
            css = "usa-file-input"
        elif isinstance(w, forms.CheckboxInput | forms.RadioSelect):
            continue
        else:
            css = "usa-input"
        classes = w.attrs.get("class", "").split()
        if css not in classes:
            w.attrs["class"] = " ".join([*classes, css])


class UswdsForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        uswds(self)


class ReasonForm(UswdsForm):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, label=gettext_lazy("Reason"))


class TargetForm(ReasonForm):
    action = forms.ChoiceField(
        choices=[
            ("release", gettext_lazy("Release")),
            ("exam", gettext_lazy("Hold for exam")),
            ("detain", gettext_lazy("Detain")),
        ],
        label=gettext_lazy("Action"),
    )
    order_reference = forms.CharField(max_length=40, required=False, label=gettext_lazy("Order (when detaining)"))


class DecisionForm(ReasonForm):
    outcome = forms.ChoiceField(
        choices=[(o.value, o.label) for o in DetentionDecision.Outcome if o != DetentionDecision.Outcome.ABANDON],
        label=gettext_lazy("Outcome"),
    )


class ImageForm(UswdsForm):
    photo = forms.FileField(
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/tiff", "capture": "environment"}
        ),
        label=gettext_lazy("Photo"),
    )
    caption = forms.CharField(
        max_length=300,
        help_text=gettext_lazy("What the photo shows (marking, label, packaging, seal)"),
        label=gettext_lazy("Caption"),
    )
    override_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=gettext_lazy("Reason to keep a photo below the standard"),
        help_text=gettext_lazy("Only when the checks fail: e.g. the only legible view of the label."),
    )
    shared_with_importer = forms.BooleanField(
        required=False, initial=True, label=gettext_lazy("Share with the importer")
    )

    def clean_photo(self) -> Any:
        photo = self.cleaned_data["photo"]
        if photo.size > images.MAX_BYTES:
            raise forms.ValidationError(
                gettext("The file is larger than %(value)s MB.") % {"value": images.MAX_BYTES // (1024 * 1024)}
            )
        return photo


class RedactForm(UswdsForm):
    left = forms.FloatField(min_value=0, max_value=1, label=gettext_lazy("Left"))
    top = forms.FloatField(min_value=0, max_value=1, label=gettext_lazy("Top"))
    right = forms.FloatField(min_value=0, max_value=1, label=gettext_lazy("Right"))
    bottom = forms.FloatField(min_value=0, max_value=1, label=gettext_lazy("Bottom"))


class EntriesUploadForm(UswdsForm):
    file = forms.FileField(
        help_text=gettext_lazy("A .csv or .xlsx file laid out like the template above"),
        label=gettext_lazy("Entries file"),
    )


class RescreenForm(UswdsForm):
    days = forms.IntegerField(min_value=1, max_value=3650, initial=90, label=gettext_lazy("Look back (days of import)"))
    order_reference = forms.CharField(max_length=40, required=False, label=gettext_lazy("Only newly affected by order"))


class ForfeitureForm(UswdsForm):
    """A step of the forfeiture after a seizure (an IPR seizure, a parcel seizure)."""

    step = forms.ChoiceField(label=gettext_lazy("Step"), choices=ForfeitureStep.Step.choices)
    on = forms.DateField(label=gettext_lazy("On"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.DecimalField(
        label=gettext_lazy("Amount of the cost bond (USD)"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text=gettext_lazy("For a claim and cost bond only."),
    )
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=4000)
