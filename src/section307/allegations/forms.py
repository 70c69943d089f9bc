"""Forms of the public portal (one per step of 19 CFR 12.42(b)) and of the triage actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from section307.allegations.inputs import SHIPMENT_KINDS
from section307.allegations.models import (
    AllegationParty,
    CloseReason,
    ContactMethod,
    IloIndicator,
    Industry,
    SourceType,
    SupplyChainStage,
)
from section307.core.widgets import FilteredSelectMultiple
from section307.geo.models import Country
from section307.goods.hts import InvalidHts, normalize_hts
from section307.goods.models import Good
from section307.orders.models import LaborType


def country_choices(blank: str) -> list[tuple[str, str]]:
    return [("", blank), *Country.objects.order_by("name").values_list("code", "name")]


class StyledForm(forms.Form):
    """Adds the USWDS classes and the ARIA wiring (hint and error ids) to every widget."""

    def __init__(self, *args: Any, quiet: bool = False, **kwargs: Any) -> None:
        # quiet: bound to saved draft data for display, without showing errors the reporter has not asked for.
        self.quiet = quiet
        super().__init__(*args, **kwargs)
        # Fields and choices first: the ARIA wiring below validates the form to find its errors.
        self.setup_fields()
        for name, f in self.fields.items():
            widget = f.widget
            widget_classes: dict[type, str] = {
                forms.Textarea: "usa-textarea",
                forms.Select: "usa-select",
                forms.CheckboxInput: "usa-checkbox__input",
                forms.RadioSelect: "usa-radio__input",
                forms.ClearableFileInput: "usa-file-input",
            }
            css = widget_classes.get(type(widget), "usa-input")
            widget.attrs.setdefault("class", css)
            described = []
            html_id = self[name].auto_id
            if f.help_text:
                described.append(f"{html_id}-hint")
            if self.is_bound and not quiet and self.errors.get(name):
                described.append(f"{html_id}-error")
                widget.attrs["aria-invalid"] = "true"
            if described:
                widget.attrs["aria-describedby"] = " ".join(described)

    def setup_fields(self) -> None:
        """Subclasses add dynamic fields and choices here."""

    def _choices(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


# --- the public steps -----------------------------------------------------------------------------


class ReasonsForm(StyledForm):
    title = _("Why you believe forced labor is involved")
    reasons = forms.CharField(
        label=_("Reasons for your belief"),
        help_text=_(
            "A full statement of what you know and how you know it: what happened, to whom, where and when. "
            "Do not include your own name here if you wish to stay anonymous."
        ),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=20000,
    )
    source_type = forms.ChoiceField(
        label=_("Where does your information come from?"), choices=SourceType.choices, widget=forms.RadioSelect
    )
    source_details = forms.CharField(
        label=_("About the source"),
        help_text=_("For example the title and date of a report, or when a site visit took place."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=20000,
    )

    def clean_reasons(self) -> str:
        value = self.cleaned_data["reasons"].strip()
        if len(value) < 20:
            raise forms.ValidationError(_("Please say in a few sentences why you believe forced labor is involved."))
        return value


class MerchandiseForm(StyledForm):
    title = _("The merchandise")
    merchandise = forms.CharField(
        label=_("Describe the goods"),
        help_text=_("What the goods are, what they are made of, brand or model names, markings and packaging."),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20000,
    )
    hts_code = forms.CharField(
        label=_("HTS code"),
        help_text=_("The tariff classification if you know it, for example 6109.10 or 5201.00.1800."),
        required=False,
        max_length=20,
    )
    industry = forms.ChoiceField(
        label=_("Industry"), choices=[("", _("Choose one")), *Industry.choices], required=False
    )
    sample_available = forms.BooleanField(label=_("A sample of the goods is available"), required=False)
    sample_details = forms.CharField(
        label=_("About the sample or photos"),
        help_text=_("Where the sample is and how it could be obtained. You can add photos in the evidence step."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=20000,
    )

    def clean_hts_code(self) -> str:
        value = self.cleaned_data["hts_code"].strip()
        if not value:
            return ""
        try:
            return normalize_hts(value)
        except InvalidHts as exc:
            raise forms.ValidationError(
                _("An HTS code has 2 to 10 digits, for example 6109.10 or 5201.00.1800.")
            ) from exc


class PartyForm(StyledForm):
    role = forms.ChoiceField(label=_("Role"), choices=AllegationParty.Role.choices, required=False)
    name = forms.CharField(label=_("Company or site name"), required=False, max_length=500)
    address = forms.CharField(
        label=_("Address"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    country = forms.ChoiceField(label=_("Country"), required=False, choices=[])

    def setup_fields(self) -> None:
        self._choices("country", country_choices(str(_("Not known"))))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("address", "").strip() and not data.get("name", "").strip():
            self.add_error("name", _("Give the company's name, or leave its address empty."))
        return data


PartyFormSet = forms.formset_factory(PartyForm, extra=4, max_num=20, validate_max=True, absolute_max=20)


class ProductionForm(StyledForm):
    title = _("Production abroad")
    country = forms.ChoiceField(label=_("Country of production"), required=False, choices=[])
    region_text = forms.CharField(
        label=_("Region, province or place"),
        help_text=_("For example a province, prefecture, district, port or the location of a farm or factory."),
        required=False,
        max_length=300,
    )
    supply_chain_stage = forms.ChoiceField(
        label=_("Where in the supply chain does the forced labor happen?"),
        choices=SupplyChainStage.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    importers_brands = forms.CharField(
        label=_("Known importers, buyers or brands"),
        help_text=_("Companies you believe buy or import these goods, in the United States or elsewhere."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=20000,
    )
    bill_of_lading = forms.CharField(
        label=_("Bill of lading numbers"),
        help_text=_("One per line."),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=5000,
    )
    container = forms.CharField(
        label=_("Container numbers"),
        help_text=_("One per line."),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=5000,
    )
    entry = forms.CharField(
        label=_("Customs entry numbers"),
        help_text=_("One per line."),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=5000,
    )

    def setup_fields(self) -> None:
        self._choices("country", country_choices(str(_("Choose a country"))))

    def shipment_refs(self) -> list[tuple[str, str]]:
        refs: list[tuple[str, str]] = []
        for kind in SHIPMENT_KINDS:
            for line in str(self.cleaned_data.get(kind, "")).splitlines():
                if line.strip():
                    refs.append((kind, line.strip()[:100]))
        return refs


class IndicatorsForm(StyledForm):
    title = _("Indicators of forced labor")

    def setup_fields(self) -> None:
        for value, label in IloIndicator.choices:
            self.fields[f"ind_{value}"] = forms.BooleanField(label=label, required=False)
            self.fields[f"obs_{value}"] = forms.CharField(
                label=_("What was seen or heard: %(indicator)s") % {"indicator": label},
                required=False,
                max_length=20000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for value, _label in IloIndicator.choices:
            if data.get(f"ind_{value}") and not str(data.get(f"obs_{value}", "")).strip():
                self.add_error(f"obs_{value}", _("Describe what was seen or heard for this indicator."))
        return data

    def rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [(value, self[f"ind_{value}"], self[f"obs_{value}"]) for value, _label in IloIndicator.choices]

    def indicators(self) -> list[tuple[str, str]]:
        return [
            (value, str(self.cleaned_data.get(f"obs_{value}", "")).strip())
            for value, _label in IloIndicator.choices
            if self.cleaned_data.get(f"ind_{value}")
        ]


class EvidenceForm(StyledForm):
    title = _("Evidence files")
    discard_originals = forms.BooleanField(
        label=_("Discard my original files once a copy without metadata has been made"),
        help_text=_(
            "Originals can prove that a photo or document is authentic, so we keep them encrypted for legal use "
            "unless you ask us not to. Audio, video and older Office formats cannot be cleaned here "
            "and are kept as sent."
        ),
        required=False,
    )


class ContactForm(StyledForm):
    title = _("Contact and identity")
    identify = forms.ChoiceField(
        label=_("Do you want to tell us who you are?"),
        choices=[
            ("anonymous", _("No, stay anonymous")),
            ("identified", _("Yes, I will give my name or contact details")),
        ],
        widget=forms.RadioSelect,
        initial="anonymous",
    )
    name = forms.CharField(label=_("Your name"), required=False, max_length=200)
    organization = forms.CharField(label=_("Organization"), required=False, max_length=200)
    email = forms.EmailField(label=_("Email"), required=False, max_length=254)
    phone = forms.CharField(label=_("Phone or messaging app number"), required=False, max_length=50)
    contact_allowed = forms.ChoiceField(
        label=_("May we contact you with questions?"),
        choices=[("no", _("No")), ("yes", _("Yes"))],
        widget=forms.RadioSelect,
        initial="no",
        help_text=_("You can always read and answer our questions here with your receipt code."),
    )
    contact_method = forms.ChoiceField(
        label=_("How may we contact you?"),
        choices=ContactMethod.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    contact_details = forms.CharField(
        label=_("Other ways to reach you, and safe times"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        identified = data.get("identify") == "identified"
        if not identified:
            # Anonymous: drop anything typed into the identity fields before going back and forth.
            for name in ("name", "organization", "email", "phone", "contact_details"):
                data[name] = ""
            if data.get("contact_method") in {ContactMethod.EMAIL, ContactMethod.PHONE, ContactMethod.OTHER}:
                data["contact_method"] = ContactMethod.RECEIPT_ONLY
        elif not any(data.get(n) for n in ("name", "organization", "email", "phone", "contact_details")):
            self.add_error("name", _("Give at least your name or a way to reach you, or choose to stay anonymous."))
        if data.get("contact_allowed") == "yes":
            method = data.get("contact_method") or ContactMethod.RECEIPT_ONLY
            data["contact_method"] = method
            needed = {
                ContactMethod.EMAIL: "email",
                ContactMethod.PHONE: "phone",
                ContactMethod.OTHER: "contact_details",
            }
            field_name = needed.get(method)
            if field_name and not data.get(field_name):
                self.add_error(field_name, _("Fill this in so we can contact you the way you chose."))
        return data


class ReviewForm(forms.Form):
    # Honeypot: hidden from people (and from assistive technology); bots fill it in.
    website = forms.CharField(required=False, label=_("Leave this field empty"))
    confirm = forms.BooleanField(
        label=_("The information I give is true to the best of my knowledge"),
        error_messages={"required": _("Please confirm before sending.")},
    )


class ReceiptForm(StyledForm):
    code = forms.CharField(
        label=_("Receipt code"),
        help_text=_("The 20-character code you were given, for example 7KQ2-M9XD-4HRT-0BWE-ZP3N."),
        max_length=100,
    )

    def setup_fields(self) -> None:
        self.fields["code"].widget.attrs.update(
            {"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        )


class ReporterMessageForm(StyledForm):
    body = forms.CharField(
        label=_("Your answer or additional information"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=20000,
    )


# --- triage ------------------------------------------------------------------------------------------


class AskForm(StyledForm):
    question = forms.CharField(
        label=_("Question to the reporter"),
        help_text=_("The reporter reads it with their receipt code. Do not reveal internal information."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )


class DuplicateForm(StyledForm):
    original = forms.CharField(
        label=_("Reference of the allegation to merge into"), help_text=_("For example ALG-2026-00012.")
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)


class CaseLinkForm(StyledForm):
    case_reference = forms.CharField(label=_("Case reference"), max_length=40)


class CloseForm(StyledForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", _("Choose a reason")), *CloseReason.choices])
    note = forms.CharField(
        label=_("Note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ExtractionForm(StyledForm):
    goods = forms.ModelMultipleChoiceField(
        label=_("Goods"), queryset=Good.objects.all(), required=False, widget=FilteredSelectMultiple
    )
    country = forms.ChoiceField(label=_("Country of production"), required=False, choices=[])
    region = forms.ChoiceField(label=_("Region"), required=False, choices=[])
    industry = forms.ChoiceField(label=_("Industry"), choices=[("", "—"), *Industry.choices], required=False)
    hts_code = forms.CharField(label=_("HTS code"), required=False, max_length=20)
    labor_type = forms.ChoiceField(
        label=_("Labor type (19 U.S.C. 1307)"), choices=[("", "—"), *LaborType.choices], required=False
    )

    def setup_fields(self) -> None:
        from section307.geo.models import Region

        self._choices("country", country_choices("—"))
        self._choices(
            "region",
            [("", "—"), *((str(r.pk), f"{r.name} ({r.code})") for r in Region.objects.all())],
        )
        self.fields["goods"].widget.attrs["class"] = "usa-select"

    def clean_hts_code(self) -> str:
        value = self.cleaned_data["hts_code"].strip()
        if not value:
            return ""
        try:
            return normalize_hts(value)
        except InvalidHts as exc:
            raise forms.ValidationError(_("An HTS code has 2, 4, 6, 8 or 10 digits.")) from exc
