from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from section307.ports.forms import UswdsForm
from section307.supplychain.models import Evidence


class MapUploadForm(UswdsForm):
    title = forms.CharField(
        max_length=200, label=_("Title"), help_text=_("The imported good, e.g. Cotton T-shirts, style 4471-B")
    )
    file = forms.FileField(label=_("Supplier list"), help_text=_("CSV or XLSX in the template's columns, up to 20 MB"))


class EntryFileForm(UswdsForm):
    file = forms.FileField(
        label=_("Entry file"),
        help_text=_(
            "CSV or XLSX with the entry columns: manufacturer, manufacturer_address, "
            "country_of_origin, hts, description"
        ),
    )


class EvidenceForm(UswdsForm):
    target = forms.ChoiceField(label=_("Node or link"))
    kind = forms.ChoiceField(label=_("What the document is"), choices=[("", _("- Select -")), *Evidence.Kind.choices])
    description = forms.CharField(max_length=300, required=False, label=_("Description"))
    file = forms.FileField(
        label=_("Document"), help_text=_("PDF, JPEG, PNG, TIFF, Word, Excel or plain text, up to 25 MB")
    )


class EventsForm(UswdsForm):
    file = forms.FileField(label=_("EPCIS 2.0 JSON"), help_text=_("An EPCISDocument or a list of events"))
