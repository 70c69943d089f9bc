"""The quarterly report's lifecycle (metrics.lifecycle.REPORT_LIFECYCLE): every edge, who may move it,
the audit rows, and the background task that drives it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from section307.accounts import roles
from section307.core.lifecycle import TransitionNotAllowed
from section307.core.models import AuditEvent
from section307.metrics import services
from section307.metrics.lifecycle import REPORT_LIFECYCLE
from section307.metrics.models import QuarterlyReport
from section307.metrics.tasks import report_build
from section307.ports.models import Detention

pytestmark = pytest.mark.django_db
Status = QuarterlyReport.Status


def _queued() -> QuarterlyReport:
    return QuarterlyReport.objects.create(fiscal_year=2024, quarter=2)


def test_the_table_has_two_moves_out_of_queued_and_none_out_of_the_ends() -> None:
    assert sorted(REPORT_LIFECYCLE.edges()) == [("queued", "build", "ready"), ("queued", "fail", "failed")]
    assert REPORT_LIFECYCLE.available(Status.READY) == []
    assert REPORT_LIFECYCLE.available(Status.FAILED) == []


def test_build_moves_queued_to_ready_with_the_file_and_an_audit_row() -> None:
    report = services.report_built(actor=None, report=_queued(), pdf=b"%PDF-1.4 test")
    assert report.status == Status.READY and report.finished_at is not None
    with report.file.open("rb") as handle:
        assert handle.read() == b"%PDF-1.4 test"
    event = AuditEvent.objects.get(action="metrics.report_built", target_id=str(report.pk))
    assert (event.data["from"], event.data["to"]) == ("queued", "ready")


def test_fail_moves_queued_to_failed_with_the_reason_and_an_audit_row() -> None:
    report = services.report_failed(actor=None, report=_queued(), error="x" * 3000)
    assert report.status == Status.FAILED and len(report.error) == 2000
    event = AuditEvent.objects.get(action="metrics.report_failed", target_id=str(report.pk))
    assert (event.data["from"], event.data["to"]) == ("queued", "failed")


@pytest.mark.parametrize("end", [Status.READY, Status.FAILED])
def test_a_finished_report_does_not_move_again(end: str) -> None:
    report = QuarterlyReport.objects.create(fiscal_year=2024, quarter=1, status=end)
    with pytest.raises(TransitionNotAllowed):
        services.report_built(actor=None, report=report, pdf=b"%PDF")
    with pytest.raises(TransitionNotAllowed):
        services.report_failed(actor=None, report=report, error="late")
    report.refresh_from_db()
    assert report.status == end
    assert not AuditEvent.objects.filter(target_id=str(report.pk)).exists()


def test_people_do_not_finish_reports(make_user: Callable[..., Any]) -> None:
    manager = make_user(roles.MANAGER)
    report = _queued()
    with pytest.raises(TransitionNotAllowed, match="not permitted"):
        services.report_built(actor=manager, report=report, pdf=b"%PDF")
    with pytest.raises(TransitionNotAllowed, match="not permitted"):
        services.report_failed(actor=manager, report=report, error="no")
    report.refresh_from_db()
    assert report.status == Status.QUEUED


def test_the_task_builds_once_and_a_second_run_changes_nothing(history: list[Detention]) -> None:
    report = _queued()
    assert report_build.call(report.pk) == Status.READY
    assert report_build.call(report.pk) == Status.READY
    assert AuditEvent.objects.filter(action="metrics.report_built", target_id=str(report.pk)).count() == 1


def test_the_task_ends_a_report_it_cannot_build_as_failed(monkeypatch: pytest.MonkeyPatch) -> None:
    from section307.metrics import tasks

    def broken(**kwargs: Any) -> bytes:
        raise RuntimeError("no fonts")

    # The PDF builder is the collaborator here, not the thing under test: the lifecycle is.
    monkeypatch.setattr(tasks, "report_pdf", broken)
    report = _queued()
    assert report_build.call(report.pk) == Status.FAILED
    report.refresh_from_db()
    assert report.error == "no fonts"
    assert AuditEvent.objects.filter(action="metrics.report_failed", target_id=str(report.pk)).exists()


def test_a_request_is_audited_in_words(make_user: Callable[..., Any]) -> None:
    from section307.core.auditwords import SENTENCES

    manager = make_user(roles.MANAGER)
    report = services.report_request(actor=manager, fiscal_year=2024, quarter=3)
    assert AuditEvent.objects.filter(action="metrics.report_requested", target_id=str(report.pk)).exists()
    assert "metrics.report_requested" in SENTENCES
