"""Forms of the petition pages: filing, the reviewer's question, the petitioner's answer, the decision."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from section307.cases.forms import DateInput, UswdsMixin
from section307.cases.ilo import Indicator
from section307.cases.models import OrderChangeRequest
from section307.cases.services import PetitionEvidence

INDICATOR_PREFIX = "indicator_"
FINDING_PREFIX = "finding_"


class PetitionFileForm(UswdsMixin, forms.Form):
    id_prefix = "pet"

    order = forms.CharField(max_length=40, label=_("Order reference (e.g. a WRO or Finding number)"))
    kind = forms.ChoiceField(choices=OrderChangeRequest.Kind.choices, label=_("Petition for"))
    ground = forms.ChoiceField(choices=OrderChangeRequest.Ground.choices, label=_("Ground"))
    grounds = forms.CharField(widget=forms.Textarea, label=_("Facts and documents offered"))
    proposed_merchandise = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label=_("Modification: the merchandise as it should read"),
    )
    requester_name = forms.CharField(
        max_length=200, required=False, label=_("Petitioner (importer, producer or counsel)")
    )
    policies = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Policies, procedures and controls")
    )
    audit_firm = forms.CharField(max_length=200, required=False, label=_("Independent third-party auditor"))
    audit_date = forms.DateField(required=False, widget=DateInput, label=_("Audit date"))
    audit_unannounced = forms.BooleanField(required=False, label=_("The audit was unannounced"))
    audit_summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Audit findings"))
    supply_chain_map = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Supply-chain map")
    )
    remediation = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label=_("Worker remediation (e.g. recruitment fees repaid)"),
    )
    remediation_amount_usd = forms.DecimalField(
        required=False, min_value=0, max_digits=14, decimal_places=2, label=_("Amount repaid to workers (USD)")
    )
    remediation_workers = forms.IntegerField(required=False, min_value=0, label=_("Workers repaid"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in Indicator.choices:
            self.fields[INDICATOR_PREFIX + value] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 2, "class": "usa-textarea"}),
                required=False,
                label=_("%(indicator)s: refuted or remediated, and how") % {"indicator": label},
            )

    def evidence(self) -> PetitionEvidence:
        d = self.cleaned_data
        return PetitionEvidence(
            indicator_responses={v: d.get(INDICATOR_PREFIX + v, "") for v in Indicator.values},
            policies=d["policies"],
            audit_firm=d["audit_firm"],
            audit_date=d["audit_date"],
            audit_unannounced=d["audit_unannounced"],
            audit_summary=d["audit_summary"],
            supply_chain_map=d["supply_chain_map"],
            remediation=d["remediation"],
            remediation_amount_usd=d["remediation_amount_usd"],
            remediation_workers=d["remediation_workers"],
        )


class InfoRequestForm(UswdsMixin, forms.Form):
    id_prefix = "info"

    question = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("What the petitioner must add"))
    due_date = forms.DateField(required=False, widget=DateInput, label=_("Answer due by (default: 30 days)"))


class AnswerForm(UswdsMixin, forms.Form):
    id_prefix = "answer"

    answer = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label=_("Your answer"))


class PetitionDecisionForm(UswdsMixin, forms.Form):
    id_prefix = "decide"

    decision = forms.ChoiceField(
        choices=[
            ("modify", _("Grant: modify the order")),
            ("revoke", _("Grant: revoke the order")),
            ("deny", _("Deny")),
        ],
        widget=forms.RadioSelect,
        label=_("Decision"),
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Decision notice to the petitioner"))

    def __init__(self, *args: Any, indicators: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value in indicators:
            self.fields[FINDING_PREFIX + value] = forms.ChoiceField(
                choices=[("", "—"), *OrderChangeRequest.Finding.choices],
                required=False,
                label=Indicator(value).label,
                widget=forms.Select(attrs={"class": "usa-select"}),
            )

    def findings(self) -> dict[str, str]:
        return {
            name.removeprefix(FINDING_PREFIX): value
            for name, value in self.cleaned_data.items()
            if name.startswith(FINDING_PREFIX) and value
        }
