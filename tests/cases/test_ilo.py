"""The ILO matrix and its summary."""

from __future__ import annotations

from section307.cases import services
from section307.cases.ilo import Dimension, Element, Indicator
from section307.cases.selectors import ilo_summary

from .conftest import World, add_evidence, open_case


def test_matrix_is_filled_from_tags_with_default_dimension_and_element(world: World) -> None:
    case = open_case(world)
    ev = add_evidence(world, case, reliability="A")
    services.evidence_tag(actor=world.analyst, evidence=ev, indicator=Indicator.DEBT, strength="strong")
    summary = ilo_summary(case=case)
    assert len(summary.rows) == 11 and [d for d, _ in summary.dimensions] == list(Dimension.values)
    row = next(r for r in summary.rows if r.indicator == Indicator.DEBT)
    assert len(row.cells[Dimension.RECRUITMENT]) == 1 and row.substantiated
    assert row.elements == {Element.INVOLUNTARINESS}
    assert summary.involuntariness_shown and not summary.penalty_shown and not summary.both_shown


def test_substantiation_rules(world: World) -> None:
    case = open_case(world)
    weak_source = add_evidence(world, case, reliability="E", title="Rumour")
    services.evidence_tag(actor=world.analyst, evidence=weak_source, indicator=Indicator.THREATS, strength="strong")
    assert not ilo_summary(case=case).substantiated  # strong but from an unreliable source
    moderate = add_evidence(world, case, reliability="B", title="Audit")
    services.evidence_tag(actor=world.analyst, evidence=moderate, indicator=Indicator.THREATS, strength="moderate")
    summary = ilo_summary(case=case)
    # Two pieces, one of them reliable: corroborated.
    assert [r.indicator for r in summary.substantiated] == [Indicator.THREATS]
    assert summary.penalty_shown
    weak = add_evidence(world, case, reliability="A", title="Note")
    services.evidence_tag(actor=world.analyst, evidence=weak, indicator=Indicator.OVERTIME, strength="weak")
    assert Indicator.OVERTIME not in [r.indicator for r in ilo_summary(case=case).substantiated]


def test_withdrawn_tags_leave_the_matrix_and_both_elements(world: World) -> None:
    case = open_case(world)
    ev = add_evidence(world, case, reliability="A")
    services.evidence_tag(actor=world.analyst, evidence=ev, indicator=Indicator.OVERTIME, strength="strong")
    tag = services.evidence_tag(
        actor=world.analyst, evidence=ev, indicator=Indicator.WAGES, strength="strong", dimension=Dimension.DURESS
    )
    summary = ilo_summary(case=case)
    assert summary.both_shown
    row = next(r for r in summary.rows if r.indicator == Indicator.WAGES)
    assert row.cells[Dimension.DURESS] and not row.cells[Dimension.LEAVING]
    services.evidence_tag_withdraw(actor=world.analyst, tag=tag)
    assert not ilo_summary(case=case).both_shown


def test_assessment_snapshot(world: World) -> None:
    case = open_case(world)
    ev = add_evidence(world, case, reliability="A")
    services.evidence_tag(actor=world.analyst, evidence=ev, indicator=Indicator.DOCUMENTS, strength="strong")
    assessment = services.ilo_assessment_record(actor=world.analyst, case=case, conclusion="Penalty only so far.")
    assert assessment.snapshot["penalty"] is True and "documents" in assessment.snapshot["substantiated"]
