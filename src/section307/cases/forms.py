"""Forms for the case workspace. They only parse and validate input; services do the writing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

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
    title = forms.CharField(max_length=300)
    summary = forms.CharField(widget=forms.Textarea, required=False)
    origin = forms.ChoiceField(choices=Case.Origin.choices)
    priority = forms.ChoiceField(choices=Case.Priority.choices, initial=Case.Priority.MEDIUM)
    risk_rating = forms.ChoiceField(choices=Case.Risk.choices, initial=Case.Risk.MEDIUM)
    labor_type = forms.ChoiceField(
        choices=[("", "Not yet known"), *LaborType.choices], required=False, label="Labor type (19 U.S.C. 1307)"
    )
    goods = forms.ModelMultipleChoiceField(queryset=Good.objects.all(), required=False, widget=FilteredSelectMultiple)
    hts = forms.CharField(label="HTS codes", required=False, help_text="Comma-separated, e.g. 5201, 6109.10")
    countries = forms.ModelMultipleChoiceField(
        queryset=Country.objects.all(), required=False, widget=FilteredSelectMultiple
    )
    regions = forms.ModelMultipleChoiceField(
        queryset=Region.objects.all(), required=False, widget=FilteredSelectMultiple
    )

    def clean_hts(self) -> list[str]:
        return parse_hts_list(self.cleaned_data.get("hts", ""))


class CaseCreateForm(CaseForm):
    template = forms.ModelChoiceField(
        queryset=CaseTemplate.objects.filter(is_active=True), required=False, empty_label="No template (no tasks)"
    )
    parties = forms.ModelMultipleChoiceField(
        queryset=Party.objects.all(), required=False, label="Target parties", widget=FilteredSelectMultiple
    )

    field_order = ["title", "template", "origin", "summary", "priority", "risk_rating", "parties", "goods", "hts"]


class TeamForm(UswdsMixin, forms.Form):
    team = forms.ModelMultipleChoiceField(queryset=User.objects.none(), required=False, widget=FilteredSelectMultiple)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from section307.cases.selectors import case_workers

        self.fields["team"].queryset = case_workers(case=case)  # type: ignore[attr-defined]


class CasePartyForm(UswdsMixin, forms.Form):
    id_prefix = "party"

    party = forms.ModelChoiceField(queryset=Party.objects.all())
    role = forms.ChoiceField(choices=CaseParty.Role.choices)
    # The supply-chain map gate needs tiers (cases.gates.gate_leave_research), so the form asks for one.
    tier = forms.IntegerField(min_value=0, max_value=20, help_text="0 = importer, 1 = its supplier…")
    supplies_to = forms.ModelChoiceField(queryset=CaseParty.objects.none(), required=False, label="Supplies")
    is_target = forms.BooleanField(required=False, initial=True, label="Target of the case")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supplies_to"].queryset = CaseParty.objects.filter(case=case).select_related("party")  # type: ignore[attr-defined]


class MemoForm(UswdsMixin, forms.Form):
    id_prefix = "memo"

    memo = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), label="Validity memo")


class TaskForm(UswdsMixin, forms.Form):
    id_prefix = "task"

    title = forms.CharField(max_length=200)
    phase = forms.ChoiceField(choices=TASK_PHASES)
    due_date = forms.DateField(widget=DateInput, required=False)


class CommentForm(UswdsMixin, forms.Form):
    id_prefix = "comment"

    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Comment", max_length=10000)


class EngagementForm(UswdsMixin, forms.Form):
    id_prefix = "eng"

    kind = forms.ChoiceField(choices=StakeholderEngagement.Kind.choices, label="Stakeholder type")
    stakeholder = forms.CharField(max_length=300)
    engaged_on = forms.DateField(widget=DateInput)
    summary = forms.CharField(widget=forms.Textarea)
    protection_referral = forms.BooleanField(required=False, label="Affected workers were referred for protection")
    referral_details = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class EvidenceForm(UswdsMixin, forms.Form):
    file = forms.FileField()
    kind = forms.ChoiceField(choices=Evidence.Kind.choices)
    title = forms.CharField(max_length=300)
    source = forms.CharField(max_length=300)
    reliability = forms.ChoiceField(choices=Reliability.choices, initial=Reliability.F, label="Source reliability")
    date_obtained = forms.DateField(widget=DateInput)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean_date_obtained(self) -> Any:
        value = self.cleaned_data["date_obtained"]
        if value > timezone.localdate():
            raise forms.ValidationError("The date obtained cannot be in the future.")
        return value


class TagForm(UswdsMixin, forms.Form):
    id_prefix = "tag"

    indicator = forms.ChoiceField(choices=Indicator.choices, label="ILO indicator")
    strength = forms.ChoiceField(choices=Strength.choices)
    dimension = forms.ChoiceField(
        choices=[("", "Usual dimension for this indicator"), *Dimension.choices], required=False
    )
    element = forms.ChoiceField(choices=[("", "Usual element for this indicator"), *Element.choices], required=False)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class AssessmentForm(UswdsMixin, forms.Form):
    conclusion = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}))


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
        label="Order type",
    )
    merchandise = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    industry = forms.CharField(max_length=100, required=False)
    country = forms.ModelChoiceField(queryset=Country.objects.all(), required=False)
    effective_date = forms.DateField(widget=DateInput, required=False)
    scope_parties = ScopePartyField(
        queryset=CaseParty.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Parties named",
        help_text="Tick each party the order names. The case's targets are marked; none is ticked for you.",
    )
    qualifiers = forms.CharField(required=False, help_text="E.g. and its subsidiaries (separate with ;)")
    regions = forms.ModelMultipleChoiceField(
        queryset=Region.objects.none(), required=False, widget=FilteredSelectMultiple
    )
    goods = forms.ModelMultipleChoiceField(queryset=Good.objects.none(), required=False, widget=FilteredSelectMultiple)
    hts = forms.CharField(required=False, label="HTS codes")
    basis = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        label="Basis: why the information reasonably but not conclusively indicates forced labor (19 CFR 12.42(e))",
    )
    probable_cause = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, label="Finding: probable-cause evidence"
    )
    citation = forms.CharField(max_length=300, required=False, label="Finding: Federal Register / Customs Bulletin")
    importer_due_diligence = forms.BooleanField(
        required=False, label="The importer has shown real due diligence and remediation"
    )
    grace_period = forms.ChoiceField(choices=OrderProposal.GracePeriod.choices)
    grace_period_note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

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
        choices=[("approve", "Approve and issue"), ("return", "Return to the author")], widget=forms.RadioSelect
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Decision note")


class CloseForm(UswdsMixin, forms.Form):
    outcome = forms.ChoiceField(choices=[("", "- choose -"), *Case.Outcome.choices], required=False)
    closing_note = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)


class ShareForm(UswdsMixin, forms.Form):
    id_prefix = "share"

    organization = forms.ModelChoiceField(
        queryset=Organization.objects.filter(kind=Organization.Kind.PARTNER), label="Partner agency"
    )
    access = forms.ChoiceField(choices=CaseShare.Access.choices)
    include_evidence = forms.BooleanField(required=False, label="Also let them open evidence files")


class MergeForm(UswdsMixin, forms.Form):
    id_prefix = "merge"

    duplicate = forms.CharField(max_length=30, label="Reference of the duplicate case to fold into this one")
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Why they are duplicates")


class ChangeRequestForm(UswdsMixin, forms.Form):
    id_prefix = "chg"

    kind = forms.ChoiceField(choices=OrderChangeRequest.Kind.choices)
    ground = forms.ChoiceField(choices=OrderChangeRequest.Ground.choices)
    grounds = forms.CharField(widget=forms.Textarea, label="Facts and documents offered")
    proposed_merchandise = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    requester_name = forms.CharField(max_length=200, required=False, label="Requester (importer or counsel)")
