"""Entries through screening, targeting, detention, clocks and every decision path."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from section307.core.lifecycle import TransitionNotAllowed
from section307.core.models import AuditEvent
from section307.ports import disposition, services
from section307.ports.models import Clock, Detention, Entry, Notice
from section307.ports.services import PortsError
from tests.ports.conftest import hq_determine

pytestmark = pytest.mark.django_db


def test_entry_is_screened_on_arrival_and_hits_go_to_the_queue(
    registry: Any, file_entry: Callable[..., Entry], orgs: Any
) -> None:
    hit = file_entry()
    clear = file_entry(manufacturer="Ningbo Evergreen Garment Co., Ltd.", origin="VN", description="Cotton T-shirts")
    assert hit.status == Entry.Status.TARGETED and hit.decision == "hit"
    line = hit.lines.get()
    assert line.order_reference == "WRO-2023-0001" and line.order == registry["wro"]
    assert "Tianshan" in line.reasons and line.signals
    assert hit.organization == orgs[0]
    assert clear.status == Entry.Status.CLEARED and clear.decision == "clear"
    assert [e.kind for e in hit.timeline.all()] == ["received", "screened"]
    assert not hit.timeline.get(kind="screened").shared  # the engine's reasons are internal
    assert AuditEvent.objects.filter(action="entry.receive").count() == 2


def test_targeting_needs_a_reason_and_follows_the_lifecycle(
    registry: Any, file_entry: Callable[..., Entry], officer: Any, importers: Any
) -> None:
    entry = file_entry()
    with pytest.raises(PortsError, match="reason"):
        services.entry_target(actor=officer, entry=entry, action="release", reason="  ")
    with pytest.raises(TransitionNotAllowed):
        services.entry_target(actor=importers[0], entry=entry, action="release", reason="mine")
    entry = services.entry_target(actor=officer, entry=entry, action="exam", reason="Check the labels")
    assert entry.status == Entry.Status.EXAM
    entry = services.entry_target(actor=officer, entry=entry, action="release", reason="Labels show another mill")
    assert entry.status == Entry.Status.RELEASED
    with pytest.raises(TransitionNotAllowed):
        services.entry_target(actor=officer, entry=entry, action="exam", reason="again")
    kinds = list(entry.timeline.values_list("kind", flat=True))
    assert kinds[-2:] == ["exam", "release"]


def _detain(entry: Entry, officer: Any, **kwargs: Any) -> Detention:
    return services.entry_detain(actor=officer, entry=entry, reason="Labels name the WRO manufacturer", **kwargs)


def test_detention_creates_the_clock_and_a_notice_emailed_after_commit(
    registry: Any,
    file_entry: Callable[..., Entry],
    officer: Any,
    importers: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    imported = dt.date(2025, 11, 30)
    entry = file_entry(date=imported)
    with django_capture_on_commit_callbacks(execute=True):
        detention = _detain(entry, officer, notice_date=dt.date(2025, 12, 3))
    assert detention.regime == "wro" and detention.order == registry["wro"]
    assert "Cotton yarn" in detention.scope
    clock = detention.clocks.get(kind=Clock.Kind.ADMISSIBILITY)
    assert clock.due_date == dt.date(2026, 2, 28) and clock.citation == "19 CFR 12.43" and clock.statutory
    # 19 U.S.C. 1499(c)(1)-(2): the decision was taken (detained) and the notice sent, so both stopped.
    assert set(detention.clocks.filter(running=False).values_list("kind", flat=True)) == {"decision", "notice"}
    notice = Notice.objects.get(kind=Notice.Kind.DETENTION)
    assert notice.organization == entry.organization
    assert "19 CFR 12.43" in notice.body and "2026-02-28" in notice.body
    assert "1499(c)(2)(C)" in notice.body and "not a final determination" in notice.body
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["compliance@harborline.example.com"]
    notice.refresh_from_db()
    assert notice.emailed_at is not None
    entry.refresh_from_db()
    assert entry.status == Entry.Status.DETAINED
    assert {"detained", "notice"} <= set(entry.timeline.filter(shared=True).values_list("kind", flat=True))


def test_uflpa_detention_runs_30_days_from_the_notice(
    registry: Any, file_entry: Callable[..., Entry], officer: Any
) -> None:
    entry = file_entry(
        manufacturer="Hami Bright Sun New Energy Co., Ltd.",
        description="Solar modules",
        hts="854143",
        importer="Meridian Solar Supply Inc.",
        importer_number="46-1182093",
    )
    assert entry.lines.get().order_reference == "UEL-2024-0001"
    detention = _detain(entry, officer, notice_date=dt.date(2025, 1, 31))
    assert detention.regime == "uflpa"
    assert detention.clocks.get(kind=Clock.Kind.RESPONSE).due_date == dt.date(2025, 3, 2)
    # 19 U.S.C. 1499(c)(5)(A): UFLPA detentions run on 151.16, deemed excluded 30 days after presentation.
    deemed = detention.clocks.get(kind=Clock.Kind.DEEMED_EXCLUSION)
    assert deemed.due_date == dt.date(2025, 3, 2) and deemed.statutory


def test_detaining_needs_an_enforced_order(registry: Any, file_entry: Callable[..., Entry], officer: Any) -> None:
    entry = file_entry(manufacturer="Ningbo Evergreen Garment Co., Ltd.", origin="VN")
    with pytest.raises(PortsError, match="not linked"):
        _detain(entry, officer)
    with pytest.raises(PortsError, match="no order"):
        _detain(entry, officer, order_reference="WRO-1999-0001")
    from section307.orders.services import order_transition
    from section307.parties.services import party_resolve  # noqa: F401

    order_transition(actor=None, order=registry["wro"], transition="revoke")
    with pytest.raises(PortsError, match="revoked"):
        _detain(entry, officer, order_reference="WRO-2023-0001")
    assert not Detention.objects.exists()


OLD = dt.timedelta(days=120)  # imported four months ago: the 19 CFR 12.43 proof period has ended


def test_19_cfr_12_44_release_follows_the_hq_determination_and_closes_the_clocks(
    registry: Any, file_entry: Callable[..., Entry], officer: Any, reviewers: Any
) -> None:
    from section307.core.errors import Conflict

    detention = _detain(file_entry(), officer)
    with pytest.raises(PortsError, match="reason"):
        services.detention_decide(actor=officer, detention=detention, outcome="release", reason="")
    with pytest.raises(Conflict) as refused:
        services.detention_decide(actor=officer, detention=detention, outcome="release", reason="Looks fine")
    assert refused.value.rule == "19 CFR 12.44(a)"
    hq_determine(detention, reviewers, "admissibility", "granted")
    services.detention_decide(actor=officer, detention=detention, outcome="release", reason="Carrying out HQ")
    detention.refresh_from_db()
    assert detention.status == Detention.Status.RELEASED and detention.entry.status == Entry.Status.RELEASED
    assert not detention.clocks.filter(running=True).exists()
    assert detention.determinations.get().carried_out_at is not None
    assert Notice.objects.filter(kind=Notice.Kind.DECISION, subject__contains="Release").exists()
    with pytest.raises(TransitionNotAllowed):
        services.detention_decide(actor=officer, detention=detention, outcome="exclude", reason="late")


def test_19_cfr_12_44a_exclusion_refused_before_the_proof_period_ends_and_allowed_after(
    registry: Any, file_entry: Callable[..., Entry], officer: Any
) -> None:
    from section307.core.errors import Conflict

    recent = _detain(file_entry(), officer)
    with pytest.raises(Conflict, match="runs until") as refused:
        services.detention_decide(actor=officer, detention=recent, outcome="exclude", reason="No proof")
    assert refused.value.rule == "19 CFR 12.44(a)"
    recent.refresh_from_db()
    assert recent.status == Detention.Status.DETAINED and not recent.decisions.exists()
    old = _detain(file_entry(date=timezone.localdate() - OLD), officer)
    services.detention_decide(actor=officer, detention=old, outcome="exclude", reason="No proof in 3 months")
    old.refresh_from_db()
    assert old.status == Detention.Status.EXCLUDED
    assert old.clocks.get(kind="protest_filing").due_date == timezone.localdate() + dt.timedelta(days=180)


def test_19_cfr_12_44a_timely_proof_blocks_exclusion_until_hq_finds_it_insufficient(
    registry: Any, file_entry: Callable[..., Entry], officer: Any, importers: Any, reviewers: Any
) -> None:
    from section307.core.errors import Conflict

    detention = _detain(file_entry(), officer)
    services.detention_mark_submitted(actor=importers[0], detention=detention, summary="Proof submitted")
    detention.refresh_from_db()
    assert detention.proof_received_on == timezone.localdate() and not detention.proof_untimely
    # Even after the period ends, timely proof under review blocks exclusion.
    later = timezone.localdate() + dt.timedelta(days=120)
    with pytest.raises(Conflict, match="filed in time"):
        services.detention_decide(actor=officer, detention=detention, outcome="exclude", reason="x", today=later)
    hq_determine(detention, reviewers, "admissibility", "denied")
    services.detention_decide(actor=officer, detention=detention, outcome="exclude", reason="HQ: insufficient")
    detention.refresh_from_db()
    assert detention.status == Detention.Status.EXCLUDED


def test_19_cfr_12_43_late_proof_is_accepted_and_flagged_untimely(
    registry: Any, file_entry: Callable[..., Entry], officer: Any, importers: Any
) -> None:
    detention = _detain(file_entry(date=timezone.localdate() - OLD), officer)
    services.detention_mark_submitted(actor=importers[0], detention=detention, summary="Proof submitted")
    detention.refresh_from_db()
    assert detention.status == Detention.Status.UNDER_REVIEW and detention.proof_untimely
    assert "flagged untimely" in detention.entry.timeline.get(kind="proof").summary
    # Untimely proof does not hold back the exclusion (12.44(a)).
    services.detention_decide(actor=officer, detention=detention, outcome="exclude", reason="Proof late")


def test_19_cfr_12_44a_exclusion_starts_abandonment_after_60_days(
    registry: Any, file_entry: Callable[..., Entry], officer: Any
) -> None:
    detention = _detain(file_entry(date=timezone.localdate() - OLD), officer)
    day = timezone.localdate()
    services.detention_decide(actor=officer, detention=detention, outcome="exclude", reason="No proof", today=day)
    detention.refresh_from_db()
    assert detention.status == Detention.Status.EXCLUDED and detention.exclusion_date == day
    clock = detention.clocks.get(kind=Clock.Kind.ABANDONMENT)
    due = day + dt.timedelta(days=60)
    assert clock.running and clock.due_date == due and clock.citation == "19 CFR 12.44(a)"
    assert not detention.clocks.get(kind=Clock.Kind.ADMISSIBILITY).running
    assert services.detentions_abandon_overdue(today=due) == []
    assert services.detentions_abandon_overdue(today=due + dt.timedelta(days=1)) == [detention]
    detention.refresh_from_db()
    assert detention.status == Detention.Status.ABANDONED and detention.entry.status == Entry.Status.ABANDONED
    assert detention.decisions.last().decided_by is None


def test_19_cfr_12_44a_a_pending_protest_stops_abandonment(
    registry: Any, file_entry: Callable[..., Entry], officer: Any, importers: Any, reviewers: Any
) -> None:
    from section307.core.errors import Conflict

    detention = _detain(file_entry(date=timezone.localdate() - OLD), officer)
    services.detention_decide(actor=officer, detention=detention, outcome="exclude", reason="No proof")
    protest = services.protest_file(actor=importers[0], detention=detention, grounds="The mill is not Tianshan's")
    after = timezone.localdate() + dt.timedelta(days=61)
    assert services.detentions_abandon_overdue(today=after) == []
    with pytest.raises(Conflict, match="protest is pending") as refused:
        services.detention_decide(actor=officer, detention=detention, outcome="abandon", reason="x", today=after)
    assert refused.value.rule == "19 CFR 12.44(a)"
    # Export stays open while the protest is pending, even past the 60 days.
    assert disposition.block("export", services.disposition_facts(detention, today=after)) is None
    # 19 U.S.C. 1514(c)(1): one protest per entry.
    with pytest.raises(Conflict) as second:
        services.protest_file(actor=importers[0], detention=detention, grounds="again")
    assert second.value.rule == "19 U.S.C. 1514(c)(1)"
    # Denied (19 U.S.C. 1515): the 180 days to sue are noted and abandonment applies again.
    hq_determine(detention, reviewers, "protest", "denied", protest=protest)
    protest.refresh_from_db()
    assert protest.status == "denied"
    assert "28 U.S.C. 2636(a)" in detention.entry.timeline.filter(kind="hq.effective").last().summary
    assert services.detentions_abandon_overdue(today=after) == [detention]


def test_19_usc_1514c3_protest_within_180_days_of_the_exclusion(
    registry: Any, file_entry: Callable[..., Entry], officer: Any, importers: Any
) -> None:
    from section307.core.errors import Conflict, NotPermitted

    detention = _detain(file_entry(date=timezone.localdate() - OLD), officer)
    with pytest.raises(Conflict) as early:
        services.protest_file(actor=importers[0], detention=detention, grounds="Not excluded yet")
    assert early.value.rule == "19 U.S.C. 1514(a)(4)"
    services.detention_decide(actor=officer, detention=detention, outcome="exclude", reason="No proof")
    with pytest.raises(NotPermitted):
        services.protest_file(actor=importers[1], detention=detention, grounds="Not ours")
    late = timezone.localdate() + dt.timedelta(days=181)
    with pytest.raises(Conflict) as refused:
        services.protest_file(actor=importers[0], detention=detention, grounds="Late", today=late)
    assert refused.value.rule == "19 U.S.C. 1514(c)(3)"
    protest = services.protest_file(actor=importers[0], detention=detention, grounds="In time", accelerated=True)
    kinds = dict(detention.clocks.filter(running=True).values_list("kind", "due_date"))
    filed = protest.filed_on
    from dateutil.relativedelta import relativedelta

    assert kinds["protest_decision"] == filed + relativedelta(years=2)  # 19 U.S.C. 1515(a)
    assert kinds["exclusion_protest"] == filed + dt.timedelta(days=30)
    assert kinds["accelerated_disposition"] == filed + dt.timedelta(days=30)
    assert "protest_filing" not in kinds


def test_excluded_goods_may_still_be_exported(
    registry: Any, file_entry: Callable[..., Entry], officer: Any, importers: Any
) -> None:
    from section307.core.errors import Conflict

    detention = _detain(file_entry(date=timezone.localdate() - OLD), officer)
    services.detention_decide(actor=officer, detention=detention, outcome="exclude", reason="No proof")
    services.detention_elect_export(actor=importers[0], detention=detention, note="Back to Vietnam")
    with pytest.raises(PortsError, match="already"):
        services.detention_elect_export(actor=importers[0], detention=detention)
    # 19 CFR 12.44(a): not once the goods are deemed abandoned.
    with pytest.raises(Conflict, match="deemed abandoned"):
        services.detention_decide(
            actor=officer,
            detention=detention,
            outcome="export",
            reason="x",
            today=timezone.localdate() + dt.timedelta(days=61),
        )
    services.detention_decide(actor=officer, detention=detention, outcome="export", reason="Exported under bond")
    detention.refresh_from_db()
    assert detention.status == Detention.Status.EXPORTED and detention.entry.status == Entry.Status.EXPORTED
    assert services.detentions_abandon_overdue(today=timezone.localdate() + dt.timedelta(days=90)) == []


def test_the_other_importer_cannot_elect_export(
    registry: Any, file_entry: Callable[..., Entry], officer: Any, importers: Any
) -> None:
    detention = _detain(file_entry(), officer)
    with pytest.raises(PortsError, match="importer of record"):
        services.detention_elect_export(actor=importers[1], detention=detention)


def test_19_cfr_12_44b_seizure_only_under_a_finding_after_the_proof_period_then_forfeiture_steps(
    registry: Any, file_entry: Callable[..., Entry], officer: Any
) -> None:
    from decimal import Decimal

    from section307.core.errors import Conflict, InvalidInput

    wro = _detain(file_entry(date=timezone.localdate() - OLD), officer)
    with pytest.raises(Conflict, match="only to goods under a Finding"):
        services.detention_decide(actor=officer, detention=wro, outcome="seize", reason="x")
    sugar = dict(manufacturer="Central Cañaveral S.A.", origin="DO", description="Raw cane sugar", hts="1701.14")
    recent = _detain(file_entry(**sugar), officer)
    with pytest.raises(Conflict, match="runs until") as early:
        services.detention_decide(actor=officer, detention=recent, outcome="seize", reason="x")
    assert early.value.rule == "19 CFR 12.44(b)"
    finding = _detain(file_entry(date=timezone.localdate() - OLD, **sugar), officer)
    assert finding.regime == "finding"
    with pytest.raises(Conflict, match="seized, not excluded"):
        services.detention_decide(actor=officer, detention=finding, outcome="exclude", reason="x")
    services.detention_decide(actor=officer, detention=finding, outcome="seize", reason="Finding, no proof")
    finding.refresh_from_db()
    assert finding.status == Detention.Status.SEIZED and finding.entry.status == Entry.Status.SEIZED
    mailed = timezone.localdate()
    with pytest.raises(Conflict, match="record first"):
        services.forfeiture_record(actor=officer, detention=finding, step="publication", on=mailed)
    services.forfeiture_record(actor=officer, detention=finding, step="notice", on=mailed)
    petition = finding.clocks.get(kind="petition")
    assert petition.due_date == mailed + dt.timedelta(days=30) and not petition.statutory  # 19 CFR 171.2
    services.forfeiture_record(actor=officer, detention=finding, step="publication", on=mailed)
    assert finding.clocks.get(kind="claim_bond").due_date == mailed + dt.timedelta(days=20)  # 19 CFR 162.45
    with pytest.raises(InvalidInput, match="at least") as bond:  # value 1000.50: the $250 floor applies
        services.forfeiture_record(
            actor=officer, detention=finding, step="claim_bond", on=mailed, amount=Decimal("100")
        )
    assert bond.value.rule == "19 CFR 162.45"
    services.forfeiture_record(actor=officer, detention=finding, step="claim_bond", on=mailed, amount=Decimal("250"))
    assert not finding.clocks.get(kind="claim_bond").running


def test_19_cfr_12_43_statutory_period_refuses_extension_and_suspension_with_its_citation(
    registry: Any, file_entry: Callable[..., Entry], officer: Any
) -> None:
    from section307.core.errors import Conflict

    detention = _detain(file_entry(), officer)
    clock = detention.clocks.get(kind=Clock.Kind.ADMISSIBILITY)
    base = clock.due_date
    with pytest.raises(Conflict) as refused:
        services.clock_extend(actor=officer, clock=clock, reason="Supplier audit", approving_official="FLD Director")
    assert refused.value.rule == "19 CFR 12.43"
    with pytest.raises(Conflict, match="never suspended"):
        services.clock_suspend(actor=officer, clock=clock, reason="Lab test")
    clock.refresh_from_db()
    assert clock.due_date == base and not clock.extensions.exists() and not clock.suspensions.exists()


def test_agency_extension_of_the_uflpa_response_names_the_official_and_is_limited(
    registry: Any, file_entry: Callable[..., Entry], officer: Any, importers: Any, settings: Any
) -> None:
    from section307.core.errors import Conflict, InvalidInput, NotPermitted

    settings.SECTION307_MAX_EXTENSIONS = 2
    settings.SECTION307_EXTENSION_DAYS = 30
    today = timezone.localdate()
    entry = file_entry(
        manufacturer="Hami Bright Sun New Energy Co., Ltd.",
        description="Solar modules",
        hts="854143",
        importer="Meridian Solar Supply Inc.",
        importer_number="46-1182093",
    )
    detention = _detain(entry, officer)
    clock = detention.clocks.get(kind=Clock.Kind.RESPONSE)
    assert not clock.statutory
    base = clock.due_date
    with pytest.raises(NotPermitted):
        services.clock_extend(actor=importers[1], clock=clock, reason="please", approving_official="x")
    with pytest.raises(InvalidInput) as missing:
        services.clock_extend(actor=officer, clock=clock, reason="Audit scheduled", approving_official=" ")
    assert missing.value.field == "approving_official"
    services.clock_extend(actor=officer, clock=clock, reason="Audit scheduled", approving_official="Center Director")
    services.clock_extend(actor=officer, clock=clock, reason="Translations", approving_official="Center Director")
    clock.refresh_from_db()
    assert clock.due_date == base + dt.timedelta(days=60)
    assert list(clock.extensions.values_list("approving_official", flat=True)) == ["Center Director"] * 2
    with pytest.raises(Conflict, match="limit of 2"):
        services.clock_extend(actor=officer, clock=clock, reason="third", approving_official="Center Director")
    services.clock_suspend(actor=officer, clock=clock, reason="Lab test of fibre", start=today - dt.timedelta(days=2))
    with pytest.raises(PortsError, match="already suspended"):
        services.clock_suspend(actor=officer, clock=clock, reason="again")
    services.clock_resume(actor=officer, clock=clock, end=today)
    clock.refresh_from_db()
    assert clock.due_date == base + dt.timedelta(days=62)
    assert Notice.objects.filter(kind=Notice.Kind.CLOCK).count() == 4
    # The statutory deemed exclusion of 1499(c)(5)(A) did not move.
    deemed = detention.clocks.get(kind=Clock.Kind.DEEMED_EXCLUSION)
    assert deemed.due_date == deemed.start_date + dt.timedelta(days=30)


def test_no_agency_extension_once_past_due(registry: Any, file_entry: Callable[..., Entry], officer: Any) -> None:
    from section307.core.errors import Conflict

    entry = file_entry(
        manufacturer="Hami Bright Sun New Energy Co., Ltd.",
        description="Solar modules",
        hts="854143",
        importer="Meridian Solar Supply Inc.",
        importer_number="46-1182093",
    )
    detention = _detain(entry, officer, notice_date=timezone.localdate() - dt.timedelta(days=40))
    with pytest.raises(Conflict, match="past due"):
        services.clock_extend(
            actor=officer, clock=detention.clocks.get(kind="response"), reason="late", approving_official="x"
        )


def test_19_usc_1499c1_hold_for_exam_starts_the_decision_clock_from_presentation(
    registry: Any, file_entry: Callable[..., Entry], officer: Any
) -> None:
    entry = services.entry_target(actor=officer, entry=file_entry(), action="exam", reason="Check labels")
    clock = Clock.objects.get(entry=entry, kind=Clock.Kind.DECISION)
    assert clock.detention is None and clock.running and clock.citation.startswith("19 U.S.C. 1499(c)(1)")
    assert clock.start_date == entry.presented_on == timezone.localdate()
    from section307.ports import law

    assert clock.due_date == law.due_date("decision", clock.start_date)
    detention = _detain(entry, officer)
    clock.refresh_from_db()
    assert not clock.running and clock.detention == detention and "detained" in clock.stop_reason


def test_reminders_once_a_day_for_soon_due_and_overdue(
    registry: Any, file_entry: Callable[..., Entry], officer: Any
) -> None:
    detention = _detain(file_entry(date=timezone.localdate() - dt.timedelta(days=3)), officer)
    due = detention.clocks.get(kind=Clock.Kind.ADMISSIBILITY).due_date
    assert services.clocks_remind(today=due - dt.timedelta(days=20)) == []
    sent = services.clocks_remind(today=due - dt.timedelta(days=2))
    assert len(sent) == 1 and "2 day(s) left" in sent[0].body
    assert services.clocks_remind(today=due - dt.timedelta(days=2)) == []
    late = services.clocks_remind(today=due + dt.timedelta(days=1))
    assert "was due" in late[0].body


def test_duplicate_entry_numbers_refuse_the_whole_batch(
    registry: Any, file_entry: Callable[..., Entry], officer: Any
) -> None:
    from section307.ports.intake import IntakeError, parse_entry

    first = file_entry()
    parsed = [
        parse_entry(p, today=timezone.localdate())
        for p in (
            {**_payload(), "entry_number": "ZZZ-1111111-1"},
            {**_payload(), "entry_number": first.entry_number},
        )
    ]
    with pytest.raises(IntakeError, match="already been received"):
        services.entries_receive(actor=officer, entries=parsed, source="api")
    assert not Entry.objects.filter(entry_number="ZZZ-1111111-1").exists()


def _payload() -> dict[str, Any]:
    from tests.ports.conftest import payload

    return payload()


def test_19_cfr_12_42_f_g_a_finding_covers_goods_not_released_before_its_publication(
    registry: Any, file_entry: Callable[..., Entry], officer: Any
) -> None:
    from section307.core.errors import Conflict

    finding = registry["finding"]
    sugar = dict(manufacturer="Central Cañaveral S.A.", origin="DO", description="Raw cane sugar", hts="1701.14")
    today = timezone.localdate()
    finding.fr_citation, finding.fr_published_on = "89 FR 99999", today + dt.timedelta(days=3)
    finding.save()
    entry = file_entry(**sugar)
    with pytest.raises(Conflict) as early:
        _detain(entry, officer)
    assert early.value.rule == "19 CFR 12.42(f)"
    # Released before publication: not covered. Held (never released) before publication: covered.
    released = file_entry(**sugar)
    services.entry_target(actor=officer, entry=released, action="release", reason="No hit then")
    released.timeline.filter(kind="release").update(occurred_at=timezone.now() - dt.timedelta(days=10))
    from section307.ports.lifecycle import ENTRY_LIFECYCLE

    Entry.objects.filter(pk=released.pk).update(status=ENTRY_LIFECYCLE.transition("retarget").target)
    finding.fr_published_on = today - dt.timedelta(days=2)
    finding.save()
    with pytest.raises(Conflict) as released_before:
        _detain(released, officer)
    assert released_before.value.rule == "19 CFR 12.42(g)"
    assert _detain(entry, officer).regime == "finding"
