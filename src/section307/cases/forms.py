"""Forms for the case workspace. They only parse and validate input; services do the writing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from section307.accounts.models import Organization, User
from section307.cases.ilo import Dimension, Element, Indicator, Reliability, Strength
from section307.cases.models import (
    TASK_PHASES,
    Case,
    CaseParty,
    CaseShare,
    CaseTemplate,
    Evidence,
    OrderChangeRequest,
    OrderProposal,
    StakeholderEngagement,
)
from section307.core.widgets import FilteredSelectMultiple
from section307.geo.models import Country, Region
from section307.goods.hts import InvalidHts, normalize_hts
from section307.goods.models import Good
from section307.orders.models import LaborType, OrderType
from section307.parties.models import Party


class UswdsMixin:
    """Give every widget its USWDS class so templates can render fields uniformly.

    ``id_prefix`` keeps element ids unique when several forms share a page (field names stay plain).
    """

    id_prefix = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if self.id_prefix:
            kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "usa-checkbox__input")
            elif isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                continue
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "usa-select")
            elif isinstance(widget, forms.Textarea):
                widget.attrs.setdefault("class", "usa-textarea")
                widget.attrs.setdefault("rows", 4)
            elif isinstance(widget, forms.ClearableFileInput | forms.FileInput):
                widget.attrs.setdefault("class", "usa-file-input")
            else:
                widget.attrs.setdefault("class", "usa-input")


class DateInput(forms.DateInput):
    input_type = "date"


def parse_hts_list(value: str) -> list[str]:
    codes = []
    for raw in value.replace(";", ",").split(","):
        raw = raw.strip()
        if not raw:
            continue
        try:
            codes.append(normalize_hts(raw))
        except InvalidHts as exc:
            raise forms.ValidationError(f"{raw}: {exc}") from exc
    return codes


class CaseForm(UswdsMixin, forms.Form):
    title = forms.CharField(max_length=300, label=gettext_lazy("Title"))
    summary = forms.CharField(widget=forms.Textarea, required=False, label=gettext_lazy("Summary"))
    origin = forms.ChoiceField(choices=Case.Origin.choices, label=gettext_lazy("Origin"))
    priority = forms.ChoiceField(
        choices=Case.Priority.choices, initial=Case.Priority.MEDIUM, label=gettext_lazy("Priority")
    )
    risk_rating = forms.ChoiceField(
        choices=Case.Risk.choices, initial=Case.Risk.MEDIUM, label=gettext_lazy("Risk rating")
    )
    labor_type = forms.ChoiceField(
        choices=[("", gettext_lazy("Not yet known")), *LaborType.choices],
        required=False,
        label=gettext_lazy("Labor type (19 U.S.C. 1307)"),
    )
    goods = forms.ModelMultipleChoiceField(
        queryset=Good.objects.all(), required=False, label=gettext_lazy("Goods"), widget=FilteredSelectMultiple
    )
    hts = forms.CharField(
        label=gettext_lazy("HTS codes"), required=False, help_text=gettext_lazy("Comma-separated, e.g. 5201, 6109.10")
    )
    countries = forms.ModelMultipleChoiceField(
        queryset=Country.objects.all(), required=False, label=gettext_lazy("Countries"), widget=FilteredSelectMultiple
    )
    regions = forms.ModelMultipleChoiceField(
        queryset=Region.objects.all(), required=False, label=gettext_lazy("Regions"), widget=FilteredSelectMultiple
    )

    def clean_hts(self) -> list[str]:
        return parse_hts_list(self.cleaned_data.get("hts", ""))


class CaseCreateForm(CaseForm):
    template = forms.ModelChoiceField(
        queryset=CaseTemplate.objects.filter(is_active=True),
        required=False,
        empty_label=gettext_lazy("No template (no tasks)"),
        label=gettext_lazy("Template"),
    )
    parties = forms.ModelMultipleChoiceField(
        queryset=Party.objects.all(),
        required=False,
        label=gettext_lazy("Target parties"),
        widget=FilteredSelectMultiple,
    )

    field_order = ["title", "template", "origin", "summary", "priority", "risk_rating", "parties", "goods", "hts"]


class TeamForm(UswdsMixin, forms.Form):
    team = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(), required=False, label=gettext_lazy("Team"), widget=FilteredSelectMultiple
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from section307.cases.selectors import case_workers

        self.fields["team"].queryset = case_workers(case=case)  # type: ignore[attr-defined]


class CasePartyForm(UswdsMixin, forms.Form):
    id_prefix = "party"

    party = forms.ModelChoiceField(queryset=Party.objects.all(), label=gettext_lazy("Party"))
    role = forms.ChoiceField(choices=CaseParty.Role.choices, label=gettext_lazy("Role"))
    # The supply-chain map gate needs tiers (cases.gates.gate_leave_research), so the form asks for one.
    tier = forms.IntegerField(
        min_value=0,
        max_value=20,
        help_text=gettext_lazy("0 = importer, 1 = its supplier…"),
        label=gettext_lazy("Tier"),
    )
    supplies_to = forms.ModelChoiceField(
        queryset=CaseParty.objects.none(), required=False, label=gettext_lazy("Supplies")
    )
    is_target = forms.BooleanField(required=False, initial=True, label=gettext_lazy("Target of the case"))
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label=gettext_lazy("Notes"))

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supplies_to"].queryset = CaseParty.objects.filter(case=case).select_related("party")  # type: ignore[attr-defined]


class MemoForm(UswdsMixin, forms.Form):
    id_prefix = "memo"

    memo = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), label=gettext_lazy("Validity memo"))


class TaskForm(UswdsMixin, forms.Form):
    id_prefix = "task"

    title = forms.CharField(max_length=200, label=gettext_lazy("Title"))
    phase = forms.ChoiceField(choices=TASK_PHASES, label=gettext_lazy("Phase"))
    due_date = forms.DateField(widget=DateInput, required=False, label=gettext_lazy("Due date"))


class CommentForm(UswdsMixin, forms.Form):
    id_prefix = "comment"

    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=gettext_lazy("Comment"), max_length=10000)


class EngagementForm(UswdsMixin, forms.Form):
    id_prefix = "eng"

    kind = forms.ChoiceField(choices=StakeholderEngagement.Kind.choices, label=gettext_lazy("Stakeholder type"))
    stakeholder = forms.CharField(max_length=300, label=gettext_lazy("Stakeholder"))
    engaged_on = forms.DateField(widget=DateInput, label=gettext_lazy("Engaged on"))
    summary = forms.CharField(widget=forms.Textarea, label=gettext_lazy("Summary"))
    protection_referral = forms.BooleanField(
        required=False, label=gettext_lazy("Affected workers were referred for protection")
    )
    referral_details = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=gettext_lazy("Referral details")
    )


class EvidenceForm(UswdsMixin, forms.Form):
    file = forms.FileField(label=gettext_lazy("File"))
    kind = forms.ChoiceField(choices=Evidence.Kind.choices, label=gettext_lazy("Kind"))
    title = forms.CharField(max_length=300, label=gettext_lazy("Title"))
    source = forms.CharField(max_length=300, label=gettext_lazy("Source"))
    reliability = forms.ChoiceField(
        choices=Reliability.choices, initial=Reliability.F, label=gettext_lazy("Source reliability")
    )
    date_obtained = forms.DateField(widget=DateInput, label=gettext_lazy("Date obtained"))
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label=gettext_lazy("Description")
    )

    def clean_date_obtained(self) -> Any:
        value = self.cleaned_data["date_obtained"]
        if value > timezone.localdate():
            raise forms.ValidationError(gettext("The date obtained cannot be in the future."))
        return value


class TagForm(UswdsMixin, forms.Form):
    id_prefix = "tag"

    indicator = forms.ChoiceField(choices=Indicator.choices, label=gettext_lazy("ILO indicator"))
    strength = forms.ChoiceField(choices=Strength.choices, label=gettext_lazy("Strength"))
    dimension = forms.ChoiceField(
        choices=[("", gettext_lazy("Usual dimension for this indicator")), *Dimension.choices],
        required=False,
        label=gettext_lazy("Dimension"),
    )
    element = forms.ChoiceField(
        choices=[("", gettext_lazy("Usual element for this indicator")), *Element.choices],
        required=False,
        label=gettext_lazy("Element"),
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label=gettext_lazy("Note"))


class AssessmentForm(UswdsMixin, forms.Form):
    conclusion = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), label=gettext_lazy("Conclusion"))


class ScopePartyField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Each choice says the party's role and tier, and whether it is a target of the case."""

    def label_from_instance(self, obj: Any) -> str:
        tier = obj.tier if obj.tier is not None else "?"
        label = f"{obj.party} — {obj.get_role_display()}, tier {tier}"
        if obj.is_target:
            label += " — target of the case"
        return label


class ProposalForm(UswdsMixin, forms.Form):
    order_type = forms.ChoiceField(
        choices=[(OrderType.WRO.value, OrderType.WRO.label), (OrderType.FINDING.value, OrderType.FINDING.label)],
        label=gettext_lazy("Order type"),
    )
    merchandise = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=gettext_lazy("Merchandise"))
    industry = forms.CharField(max_length=100, required=False, label=gettext_lazy("Industry"))
    country = forms.ModelChoiceField(queryset=Country.objects.all(), required=False, label=gettext_lazy("Country"))
    effective_date = forms.DateField(widget=DateInput, required=False, label=gettext_lazy("Effective date"))
    scope_parties = ScopePartyField(
        queryset=CaseParty.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Parties named"),
        help_text=gettext_lazy(
            "Tick each party the order names. The case's targets are marked; none is ticked for you."
        ),
    )
    qualifiers = forms.CharField(
        required=False,
        help_text=gettext_lazy("E.g. and its subsidiaries (separate with ;)"),
        label=gettext_lazy("Qualifiers"),
    )
    regions = forms.ModelMultipleChoiceField(
        queryset=Region.objects.none(), required=False, label=gettext_lazy("Regions"), widget=FilteredSelectMultiple
    )
    goods = forms.ModelMultipleChoiceField(
        queryset=Good.objects.none(), required=False, label=gettext_lazy("Goods"), widget=FilteredSelectMultiple
    )
    hts = forms.CharField(required=False, label=gettext_lazy("HTS codes"))
    basis = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        label=gettext_lazy(
            "Basis: why the information reasonably but not conclusively indicates forced labor (19 CFR 12.42(e))"
        ),
    )
    probable_cause = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, label=gettext_lazy("Finding: probable-cause evidence")
    )
    citation = forms.CharField(
        max_length=300, required=False, label=gettext_lazy("Finding: Federal Register / Customs Bulletin")
    )
    importer_due_diligence = forms.BooleanField(
        required=False, label=gettext_lazy("The importer has shown real due diligence and remediation")
    )
    grace_period = forms.ChoiceField(choices=OrderProposal.GracePeriod.choices, label=gettext_lazy("Grace period"))
    grace_period_note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=gettext_lazy("Grace period note")
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scope_parties"].queryset = CaseParty.objects.filter(case=case).select_related("party")  # type: ignore[attr-defined]
        self.fields["regions"].queryset = Region.objects.all()  # type: ignore[attr-defined]
        self.fields["goods"].queryset = Good.objects.all()  # type: ignore[attr-defined]

    def clean_hts(self) -> list[str]:
        return parse_hts_list(self.cleaned_data.get("hts", ""))

    def clean_qualifiers(self) -> list[str]:
        return [q.strip() for q in self.cleaned_data.get("qualifiers", "").split(";") if q.strip()]


class DecisionForm(UswdsMixin, forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", gettext_lazy("Approve and issue")), ("return", gettext_lazy("Return to the author"))],
        widget=forms.RadioSelect,
        label=gettext_lazy("Decision"),
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label=gettext_lazy("Decision note")
    )


class CloseForm(UswdsMixin, forms.Form):
    outcome = forms.ChoiceField(
        choices=[("", gettext_lazy("- choose -")), *Case.Outcome.choices], required=False, label=gettext_lazy("Outcome")
    )
    closing_note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, label=gettext_lazy("Closing note")
    )


class ShareForm(UswdsMixin, forms.Form):
    id_prefix = "share"

    organization = forms.ModelChoiceField(
        queryset=Organization.objects.filter(kind=Organization.Kind.PARTNER), label=gettext_lazy("Partner agency")
    )
    access = forms.ChoiceField(choices=CaseShare.Access.choices, label=gettext_lazy("Access"))
    include_evidence = forms.BooleanField(required=False, label=gettext_lazy("Also let them open evidence files"))


class MergeForm(UswdsMixin, forms.Form):
    id_prefix = "merge"

    duplicate = forms.CharField(
        max_length=30, label=gettext_lazy("Reference of the duplicate case to fold into this one")
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=gettext_lazy("Why they are duplicates"))


class ChangeRequestForm(UswdsMixin, forms.Form):
    id_prefix = "chg"

    kind = forms.ChoiceField(choices=OrderChangeRequest.Kind.choices, label=gettext_lazy("Kind"))
    ground = forms.ChoiceField(choices=OrderChangeRequest.Ground.choices, label=gettext_lazy("Ground"))
    grounds = forms.CharField(widget=forms.Textarea, label=gettext_lazy("Facts and documents offered"))
    proposed_merchandise = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=gettext_lazy("Proposed merchandise")
    )
    requester_name = forms.CharField(
        max_length=200, required=False, label=gettext_lazy("Requester (importer or counsel)")
    )
