"""Restricted articles (19 CFR 133.25), piratical articles (19 CFR 133.42-133.43 as amended by CBP Dec. 24-03) and the
forfeiture after an IPR seizure (Part 162 subpart E, Part 171), each run through its own lifecycle with its
periods."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from section307.core.errors import Conflict, InvalidInput, NotPermitted
from section307.core.lifecycle import TransitionNotAllowed
from section307.ipr import selectors, services
from section307.ipr.lifecycle import PIRATICAL_LIFECYCLE, RESTRICTED_LIFECYCLE, machine_for
from section307.ipr.models import Disclosure, HolderResponse, IprDetention, IprForfeitureStep, Recordation
from section307.ports import law
from section307.ports.models import Clock, EntryLine, Notice
from tests.ipr.conftest import IprWorld, make_entry, photo

pytestmark = pytest.mark.django_db
D = dt.date
S = IprDetention.Status
P = IprDetention.Procedure


def _restricted(w: IprWorld, procedure: str = P.GRAY_MARKET) -> IprDetention:
    entry = make_entry("GCB-0003001-5", w.importer_org, presented=D(2026, 3, 2))
    return services.ipr_detain(
        actor=w.officer,
        entry=entry,
        recordations=[w.recordation],
        reasons="Goods made for the Japanese market, physically different",
        decided_on=D(2026, 3, 2),
        procedure=procedure,
    )


def _copyright(w: IprWorld) -> Recordation:
    recordation = services.recordation_create(
        actor=w.supervisor,
        kind="copyright",
        number="COP 21-00318",
        title="Summit Peak trail map artwork",
        owner=w.owner,
    )
    recordation.holders.add(w.holder)
    return recordation


def _piratical(w: IprWorld, *, presented_days_ago: int = 3, all_shots: bool = False) -> IprDetention:
    """A suspected piratical article presented ``presented_days_ago`` days ago, detained the day after and
    noticed the day after that."""
    today = timezone.localdate()
    entry = make_entry("GCB-0003002-3", w.importer_org, presented=today - dt.timedelta(days=presented_days_ago))
    d = services.ipr_detain(
        actor=w.officer,
        entry=entry,
        recordations=[_copyright(w)],
        reasons="Printed maps reproducing the recorded artwork",
        decided_on=today - dt.timedelta(days=presented_days_ago - 1),
        procedure=P.PIRATICAL,
    )
    shots = ("product", "packaging", "labels") if all_shots else ("product",)
    for n, shot in enumerate(shots):
        services.image_add(actor=w.officer, detention=d, data=photo(seed=7 + n), shot_type=shot, caption="Map sheet")
    noticed_on = today - dt.timedelta(days=presented_days_ago - 2)
    return services.ipr_notice_send(actor=w.officer, detention=d, on=noticed_on)


# -- restricted articles -------------------------------------------------------------------------------


def test_each_procedure_protects_its_kind_of_recordation(ipr: IprWorld) -> None:
    entry = make_entry("GCB-0003003-1", ipr.importer_org, presented=D(2026, 3, 2))
    with pytest.raises(InvalidInput) as exc:
        services.ipr_detain(
            actor=ipr.officer, entry=entry, recordations=[ipr.recordation], reasons="Copies", procedure=P.PIRATICAL
        )
    assert exc.value.field == "recordations"
    with pytest.raises(InvalidInput):
        services.ipr_detain(
            actor=ipr.officer, entry=entry, recordations=[_copyright(ipr)], reasons="Marks", procedure=P.COPYING
        )
    assert machine_for(_restricted(ipr, P.COPYING)) is RESTRICTED_LIFECYCLE


def test_19_cfr_133_25_a_notice_and_the_30_days_to_show_an_exception(ipr: IprWorld) -> None:
    d = _restricted(ipr)
    clocks = selectors.ipr_clocks(d)
    assert list(clocks) == list(law.RESTRICTED_KINDS)
    assert clocks[law.RESTRICTED_NOTICE].due == D(2026, 3, 7)  # 5 days of the decision
    assert clocks[law.RESTRICTED_DETENTION].due == D(2026, 4, 1)  # 30 days from presentation
    d = services.ipr_notice_send(actor=ipr.officer, detention=d, on=D(2026, 3, 4))
    notice = Notice.objects.get(entry=d.entry, kind=Notice.Kind.DETENTION)
    assert "133.25" in notice.body and "2026-04-01" in notice.body
    assert d.status_label.startswith("Notice sent; the importer may show an exception applies")
    # No disclosure step and no 1499(c) exclusion: 133.25 has neither.
    with pytest.raises(TransitionNotAllowed):
        services.ipr_disclose(actor=ipr.officer, detention=d)
    # The daily job excludes the world's counterfeit detention (133.21(b)(1)), not the restricted one.
    assert services.detentions_tick(today=D(2026, 6, 1)) == {"disclosed": 0, "excluded": 1}
    assert IprDetention.objects.get(pk=ipr.detention.pk).status == S.EXCLUDED
    assert IprDetention.objects.get(pk=d.pk).status == S.NOTICED


def test_19_cfr_133_25_a_seizure_waits_for_the_period_and_its_extensions_for_good_cause(ipr: IprWorld) -> None:
    d = services.ipr_notice_send(actor=ipr.officer, detention=_restricted(ipr), on=D(2026, 3, 4))
    with pytest.raises(Conflict) as exc:
        services.ipr_decide(actor=ipr.officer, detention=d, outcome="seize", reason="No exception", on=D(2026, 3, 20))
    assert exc.value.code == "restricted_period_running" and exc.value.rule == "19 CFR 133.25(a)"
    with pytest.raises(InvalidInput):
        services.restricted_extend(actor=ipr.officer, detention=d, days=10, reason="  ")
    with pytest.raises(NotPermitted):
        services.restricted_extend(actor=ipr.importer, detention=d, days=10, reason="Awaiting the licence")
    d = services.restricted_extend(actor=ipr.officer, detention=d, days=14, reason="Licence papers requested")
    assert selectors.ipr_clocks(d)[law.RESTRICTED_DETENTION].due == D(2026, 4, 15)
    assert Notice.objects.filter(entry=d.entry, kind=Notice.Kind.CLOCK, body__contains="2026-04-15").exists()
    with pytest.raises(Conflict):
        services.ipr_decide(actor=ipr.officer, detention=d, outcome="seize", reason="No exception", on=D(2026, 4, 10))
    d = services.ipr_decide(actor=ipr.officer, detention=d, outcome="seize", reason="No exception", on=D(2026, 4, 16))
    assert d.status == S.SEIZED
    # 133.25 gives the owner no information after seizure; 133.21(e) does not apply.
    with pytest.raises(Conflict):
        services.seizure_info_send(actor=ipr.officer, detention=d)


def test_counterfeit_periods_are_never_extended(ipr: IprWorld) -> None:
    with pytest.raises(Conflict) as exc:
        services.restricted_extend(actor=ipr.officer, detention=ipr.detention, days=5, reason="Asked")
    assert exc.value.code == "not_extendable"


def test_19_cfr_133_25_b_importation_information_to_the_mark_owner_once_the_notice_is_issued(ipr: IprWorld) -> None:
    d = _restricted(ipr)
    view = selectors.holder_view(d, ipr.holder)
    assert view.limited is None and view.images == [] and view.codes is None
    # Opening the detention before the information is given logs nothing: nothing was shown.
    services.holder_views_detention(actor=ipr.holder, detention=d, channel="page")
    assert not Disclosure.objects.filter(detention=d).exists()
    with pytest.raises(Conflict) as exc:
        services.restricted_owner_info_send(actor=ipr.officer, detention=d)
    assert exc.value.code == "notice_first"
    d = services.ipr_notice_send(actor=ipr.officer, detention=d, on=D(2026, 3, 3))
    d = services.restricted_owner_info_send(actor=ipr.officer, detention=d, on=D(2026, 3, 5))
    row = Disclosure.objects.get(detention=d, what=Disclosure.What.LIMITED)
    assert row.rule == "19 CFR 133.25(b)" and row.organization == ipr.owner
    clock = selectors.ipr_clocks(d)[law.RESTRICTED_INFO]
    assert clock.state == "met"
    view = selectors.holder_view(d, ipr.holder)
    assert view.limited is not None and view.limited["country_of_origin"] == "CN"
    # Opening the detention now logs the information shown, under 133.25(b).
    services.holder_views_detention(actor=ipr.holder, detention=d, channel="page")
    assert Disclosure.objects.filter(detention=d, channel="page", rule="19 CFR 133.25(b)").count() == 1


def test_19_cfr_133_25_c_sample_on_a_bond_before_seizure_and_the_owners_view(ipr: IprWorld) -> None:
    d = _restricted(ipr, P.COPYING)
    answer = services.holder_respond(actor=ipr.holder, detention=d, answer=HolderResponse.Answer.COUNTERFEIT)
    assert answer.answer == "counterfeit"  # the owner's view helps CBP at any time before the decision
    d = services.sample_provide(actor=ipr.officer, detention=d, bond_reference="BOND-133-25")
    assert Disclosure.objects.get(detention=d, what=Disclosure.What.SAMPLE).rule == "19 CFR 133.25(c)"
    d = services.ipr_decide(actor=ipr.officer, detention=d, outcome="release", reason="Exception of 133.22(c) shown")
    assert d.status == S.RELEASED


# -- piratical copies -----------------------------------------------------------------------------------


def test_19_cfr_133_42_133_43_cbp_dec_24_03_within_the_importers_7_business_days_the_owner_sees_importation_info_only(
    ipr: IprWorld,
) -> None:
    d = _piratical(ipr)
    assert machine_for(d) is PIRATICAL_LIFECYCLE
    notice = Notice.objects.get(entry=d.entry, kind=Notice.Kind.DETENTION)
    clocks = selectors.ipr_clocks(d)
    reply_due, decision_due = clocks[law.PIRATICAL_IMPORTER_REPLY].due, clocks[law.PIRATICAL_DECISION].due
    assert reply_due is not None and decision_due is not None
    assert f"{reply_due:%Y-%m-%d}" in notice.body and f"{decision_due:%Y-%m-%d}" in notice.body
    assert "CBP Dec. 24-03" in notice.body and "statement" not in notice.body
    assert clocks[law.PIRATICAL_NOTICE].state == "met"
    # The limited importation information from the start; no photos (not even redacted) and no codes.
    view = selectors.holder_view(d, ipr.holder)
    assert view.limited is not None and view.images == [] and view.withheld_images == 1 and view.codes is None
    with pytest.raises(Conflict) as exc:
        services.ipr_disclose(actor=ipr.officer, detention=d)
    assert exc.value.code == "importer_window_open" and exc.value.rule == law.R_PIRATICAL
    with pytest.raises(Conflict) as exc:
        services.holder_respond(actor=ipr.holder, detention=d, answer="counterfeit")
    assert exc.value.code == "not_disclosed_yet"
    services.holder_respond(actor=ipr.holder, detention=d, answer="needs_sample")
    with pytest.raises(Conflict):
        services.sample_provide(actor=ipr.officer, detention=d, bond_reference="TOO-EARLY")
    # The importer's information does not change the state: the officer reads it, releases or discloses.
    d = services.ipr_importer_reply(actor=ipr.importer, detention=d, text="Licensed print run; the licence attached.")
    assert d.status == S.NOTICED and selectors.ipr_clocks(d)[law.PIRATICAL_IMPORTER_REPLY].state == "met"
    d = services.ipr_decide(actor=ipr.officer, detention=d, outcome="release", reason="Licence verified")
    assert d.status == S.RELEASED


def test_19_cfr_133_42_133_43_cbp_dec_24_03_after_7_business_days_unredacted_images_sample_on_bond_seizure_and_info(
    ipr: IprWorld,
) -> None:
    d = _piratical(ipr, presented_days_ago=16, all_shots=True)
    with pytest.raises(TransitionNotAllowed):
        services.ipr_decide(actor=ipr.officer, detention=d, outcome="seize", reason="Not before disclosure")
    d = services.ipr_disclose(actor=ipr.officer, detention=d)
    assert d.status == S.DISCLOSED
    view = selectors.holder_view(d, ipr.holder)
    assert view.unredacted and len(view.images) == 3 and view.codes is None
    services.holder_views_detention(actor=ipr.holder, detention=d, channel="page")
    shown = Disclosure.objects.filter(detention=d)
    assert {x.what for x in shown} == {Disclosure.What.LIMITED} and {x.rule for x in shown} == {law.R_PIRATICAL}
    services.holder_respond(actor=ipr.holder, detention=d, answer="counterfeit", note="Unlicensed reproduction")
    d = services.sample_provide(actor=ipr.officer, detention=d, bond_reference="BOND-133-43")
    assert Disclosure.objects.get(detention=d, what=Disclosure.What.SAMPLE).rule == law.R_PIRATICAL
    d = services.ipr_decide(actor=ipr.officer, detention=d, outcome="seize", reason="Piratical article")
    assert d.status == S.SEIZED
    decision = Notice.objects.get(entry=d.entry, kind=Notice.Kind.DECISION)
    assert "piratical articles" in decision.body and "CBP Dec. 24-03" in decision.body
    d = services.seizure_info_send(actor=ipr.officer, detention=d)
    assert Disclosure.objects.get(detention=d, what=Disclosure.What.SEIZURE_INFO).rule == law.R_PIRATICAL
    assert selectors.ipr_clocks(d)[law.PIRATICAL_SEIZURE_INFO].state == "met"


def test_19_cfr_133_42_133_43_cbp_dec_24_03_daily_job_discloses_after_the_7_business_days(ipr: IprWorld) -> None:
    d = _piratical(ipr, presented_days_ago=16, all_shots=True)
    assert services.detentions_tick()["disclosed"] == 1
    d.refresh_from_db()
    assert d.status == S.DISCLOSED and d.disclosed_at is not None


def test_19_u_s_c_1499_c_piratical_article_not_decided_in_30_days_from_presentation_is_excluded(
    ipr: IprWorld,
) -> None:
    d = _piratical(ipr, presented_days_ago=31)
    assert services.detentions_tick()["disclosed"] == 0  # photos missing: not disclosed
    d.refresh_from_db()
    assert d.status == S.EXCLUDED and "1499(c)" in d.decision_reason


def test_cbp_dec_24_03_the_importers_denial_and_the_owners_demand_are_gone(ipr: IprWorld) -> None:
    assert not {"deny", "demand"} & {t.name for t in PIRATICAL_LIFECYCLE.transitions}
    assert not hasattr(services, "piratical_demand_file") and not hasattr(services, "piratical_owner_notify")
    assert not {"denied", "demanded"} & set(S.values)


# -- forfeiture after an IPR seizure -----------------------------------------------------------------------


def _seized_counterfeit(w: IprWorld) -> IprDetention:
    d = w.detention
    d.status, d.disclosed_at = S.DISCLOSED, timezone.now()
    d.save(update_fields=["status", "disclosed_at"])
    return services.ipr_decide(actor=w.officer, detention=d, outcome="seize", reason="Counterfeit", on=D(2026, 3, 20))


def test_forfeiture_after_an_ipr_seizure_runs_on_the_ports_petition_and_claim_clocks(ipr: IprWorld) -> None:
    with pytest.raises(Conflict):
        services.ipr_forfeiture_record(actor=ipr.officer, detention=ipr.detention, step="notice", on=D(2026, 3, 21))
    d = _seized_counterfeit(ipr)
    EntryLine.objects.filter(entry=d.entry).update(value_usd=Decimal("18000"))
    with pytest.raises(Conflict):  # a petition needs the notice of seizure first (19 CFR 171.2)
        services.ipr_forfeiture_record(actor=ipr.officer, detention=d, step="petition", on=D(2026, 3, 25))
    with pytest.raises(NotPermitted):
        services.ipr_forfeiture_record(actor=ipr.holder, detention=d, step="notice", on=D(2026, 3, 23))
    services.ipr_forfeiture_record(actor=ipr.officer, detention=d, step="notice", on=D(2026, 3, 23))
    petition = Clock.objects.get(entry=d.entry, kind=law.PETITION)
    assert petition.running and petition.due_date == D(2026, 4, 22) and petition.citation == "19 CFR 171.2"
    with pytest.raises(Conflict):
        services.ipr_forfeiture_record(actor=ipr.officer, detention=d, step="notice", on=D(2026, 3, 24))
    services.ipr_forfeiture_record(actor=ipr.officer, detention=d, step="publication", on=D(2026, 3, 30))
    assert Clock.objects.get(entry=d.entry, kind=law.CLAIM_BOND).due_date == D(2026, 4, 19)
    with pytest.raises(InvalidInput) as exc:  # 19 CFR 162.45: the lower of $5,000 or 10 %, at least $250
        services.ipr_forfeiture_record(
            actor=ipr.officer, detention=d, step="claim_bond", on=D(2026, 4, 10), amount=Decimal("1000")
        )
    assert exc.value.rule == "19 CFR 162.45"
    services.ipr_forfeiture_record(actor=ipr.officer, detention=d, step="petition", on=D(2026, 4, 30))
    petition.refresh_from_db()
    assert not petition.running and "after the period" in petition.stop_reason
    steps = list(IprForfeitureStep.objects.filter(detention=d).values_list("step", flat=True))
    assert steps == ["notice", "publication", "petition"]
    assert d.entry.timeline.filter(kind="ipr_forfeiture.petition", shared=True).exists()


def test_one_forfeiture_per_entry_whichever_seizure_started_it(ipr: IprWorld) -> None:
    from section307.ports.services import clock_start

    d = _seized_counterfeit(ipr)
    # The petition clock of another seizure's forfeiture already runs on the entry.
    clock_start(entry=d.entry, detention=None, kind=law.PETITION, start=D(2026, 3, 21))
    with pytest.raises(Conflict) as exc:
        services.ipr_forfeiture_record(actor=ipr.officer, detention=d, step="notice", on=D(2026, 3, 23))
    assert exc.value.rule == "19 CFR Part 162 subpart E"
    assert not IprForfeitureStep.objects.filter(detention=d).exists()


def test_cbp_dec_24_03_migration_moves_detentions_of_the_replaced_procedure(ipr: IprWorld) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module("section307.ipr.migrations.0003_piratical_cbp_dec_24_03")
    denied, demanded = _piratical(ipr), ipr.detention
    IprDetention.objects.filter(pk=denied.pk).update(status="denied", importer_reply="Licensed")
    IprDetention.objects.filter(pk=demanded.pk).update(
        status="demanded", disclosed_at=None, owner_notified_on=D(2026, 3, 4), demand_bond_reference="B-1"
    )
    migration.forwards(apps, None)
    denied.refresh_from_db()
    demanded.refresh_from_db()
    assert denied.status == S.NOTICED and denied.importer_reply == "Licensed"
    assert demanded.status == S.DISCLOSED and demanded.disclosed_at is not None
    assert demanded.demand_bond_reference == "B-1"  # the columns of the replaced procedure are kept
