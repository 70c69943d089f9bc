"""Writes: targets, outcome records with evidence, quarterly reports (requested, built, failed). Each
is audited; a report's status moves only through ``metrics.lifecycle.REPORT_LIFECYCLE``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from section307.core.audit import audit_record
from section307.core.errors import InvalidInput, NotPermitted
from section307.core.types import Actor, signed_in
from section307.core.uploads import check_upload
from section307.metrics.indicators import BY_KEY
from section307.metrics.models import MONEY_KINDS, OutcomeKind, OutcomeRecord, QuarterlyReport, Target

SET_TARGET = "metrics.set_target"
VIEW_DASHBOARD = "metrics.view_dashboard"
RECORD_OUTCOME = "metrics.record_outcome"


def may_view_dashboard(user: Actor) -> bool:
    from section307.accounts.roles import role_grants

    return role_grants(user, VIEW_DASHBOARD)


def may_record_outcome(user: Actor) -> bool:
    from section307.accounts.roles import role_grants

    return role_grants(user, RECORD_OUTCOME)


def _require(actor: Actor, perm: str, message: str) -> None:
    from section307.accounts.roles import role_grants

    if not role_grants(actor, perm):
        raise NotPermitted(message)


@transaction.atomic
def target_set(*, actor: Actor, indicator: str, value: Decimal | str, note: str = "") -> Target:
    """Set the target of one indicator; earlier targets stay as history."""
    _require(actor, SET_TARGET, _("Only managers set targets."))
    if indicator not in BY_KEY:
        raise InvalidInput(_("Unknown indicator."), field="indicator")
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise InvalidInput(_("Enter a number."), field="value") from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e12"):
        raise InvalidInput(_("Enter a number of zero or more."), field="value")
    if BY_KEY[indicator].unit == "pct" and amount > 100:
        raise InvalidInput(_("A share cannot be more than 100%."), field="value")
    target = Target.objects.create(
        indicator=indicator, value=amount.quantize(Decimal("0.01")), note=note.strip()[:2000], set_by=signed_in(actor)
    )
    audit_record(
        actor=actor,
        action="metrics.target_set",
        target=target,
        data={"indicator": indicator, "value": str(target.value), "note": target.note},
    )
    return target


def _may_record_for(actor: Actor, case: Any) -> bool:
    """Analysts and supervisors record outcomes; for a case, only one they may work on."""
    if not may_record_outcome(actor):
        return False
    if case is None:
        return True
    from section307.cases.permissions import can_work

    return bool(can_work(actor, case))


@transaction.atomic
def outcome_record(
    *,
    actor: Actor,
    kind: str,
    occurred_on: dt.date,
    description: str,
    evidence: bytes,
    evidence_name: str,
    case: Any = None,
    order: Any = None,
    amount: Decimal | None = None,
    currency: str = "",
    workers_covered: int | None = None,
) -> OutcomeRecord:
    from section307.allegations.crypto import encrypt_bytes

    if not _may_record_for(actor, case):
        raise NotPermitted(_("You may not record outcomes for this case."))
    if case is None and order is None:
        raise InvalidInput(_("Choose the case or the order the outcome belongs to."), field="case")
    if kind not in OutcomeKind.values:
        raise InvalidInput(_("Choose a kind of outcome."), field="kind")
    if occurred_on > timezone.localdate():
        raise InvalidInput(_("The date cannot be in the future."), field="occurred_on")
    if not description.strip():
        raise InvalidInput(_("Describe the outcome and its evidence."), field="description")
    currency = currency.strip().upper()
    if kind in MONEY_KINDS:
        if amount is None or amount <= 0:
            raise InvalidInput(_("Enter the amount repaid."), field="amount")
        if len(currency) != 3 or not currency.isalpha():
            raise InvalidInput(_("Enter the ISO 4217 currency code, such as USD."), field="currency")
    elif amount is not None:
        raise InvalidInput(_("Only repayments have an amount."), field="amount")
    if kind in (OutcomeKind.ORDER_MODIFIED, OutcomeKind.ORDER_REVOKED) and order is None:
        raise InvalidInput(_("Choose the order that was modified or revoked."), field="order")
    if workers_covered is not None and workers_covered < 0:
        raise InvalidInput(_("Enter zero or more workers."), field="workers_covered")
    checked = check_upload(evidence, context="outcome_evidence", field="evidence")
    record = OutcomeRecord(
        case=case,
        order=order,
        kind=kind,
        occurred_on=occurred_on,
        amount=amount if kind in MONEY_KINDS else None,
        currency=currency if kind in MONEY_KINDS else "",
        workers_covered=workers_covered,
        description=description.strip(),
        evidence_name=evidence_name[-255:] or "evidence",
        evidence_type=checked.mime_type,
        evidence_sha256=checked.sha256,
        recorded_by=signed_in(actor),
    )
    record.evidence.save("evidence.bin", ContentFile(encrypt_bytes(evidence)), save=False)
    record.save()
    audit_record(
        actor=actor,
        action="metrics.outcome_recorded",
        target=record,
        data={
            "kind": kind,
            "case": getattr(case, "reference", None),
            "order": getattr(order, "reference", None),
            "amount": None if record.amount is None else str(record.amount),
            "currency": record.currency,
            "workers_covered": workers_covered,
            "evidence_sha256": checked.sha256,
        },
    )
    return record


def outcome_evidence(*, actor: Actor, record: OutcomeRecord) -> bytes:
    """The decrypted evidence, for those who see the dashboard or record outcomes."""
    from section307.allegations.crypto import decrypt_bytes

    if not (may_view_dashboard(actor) or _may_record_for(actor, record.case)):
        raise NotPermitted(_("You may not open this evidence."))
    with record.evidence.open("rb") as handle:
        data = handle.read()
    audit_record(actor=actor, action="metrics.outcome_evidence_read", target=record, data={})
    return decrypt_bytes(data)


@transaction.atomic
def report_request(*, actor: Actor, fiscal_year: int, quarter: int) -> QuarterlyReport:
    """Queue the quarterly PDF report; a background task builds it."""
    from section307.metrics.tasks import report_build

    _require(actor, VIEW_DASHBOARD, _("Only managers request reports."))
    if quarter not in (1, 2, 3, 4):
        raise InvalidInput(_("Choose a quarter from 1 to 4."), field="quarter")
    if not 2000 <= fiscal_year <= timezone.localdate().year + 1:
        raise InvalidInput(_("Choose a fiscal year that has begun."), field="fiscal_year")
    report = QuarterlyReport.objects.create(fiscal_year=fiscal_year, quarter=quarter, requested_by=signed_in(actor))
    audit_record(
        actor=actor,
        action="metrics.report_requested",
        target=report,
        data={"fiscal_year": fiscal_year, "quarter": quarter},
    )
    transaction.on_commit(lambda: report_build.enqueue(report.pk))
    return report


def _report_locked(report: QuarterlyReport) -> QuarterlyReport:
    # The row as it is now, locked: a task run twice finds the first run's status.
    return QuarterlyReport.objects.select_for_update().get(pk=report.pk)


@transaction.atomic
def report_built(*, actor: Actor | None, report: QuarterlyReport, pdf: bytes) -> QuarterlyReport:
    """The report's PDF is built: store it and mark the report ready."""
    from section307.metrics.lifecycle import REPORT_LIFECYCLE

    report = _report_locked(report)
    move = REPORT_LIFECYCLE.check("build", state=report.status, actor=actor)
    report.file.save(f"fy{report.fiscal_year}-q{report.quarter}.pdf", ContentFile(pdf), save=False)
    report.status = move.target
    report.finished_at = timezone.now()
    report.save(update_fields=["file", "status", "finished_at"])
    audit_record(
        actor=actor,
        action="metrics.report_built",
        target=report,
        data={"bytes": len(pdf), "from": QuarterlyReport.Status.QUEUED, "to": report.status},
    )
    return report


@transaction.atomic
def report_failed(*, actor: Actor | None, report: QuarterlyReport, error: str) -> QuarterlyReport:
    """The report could not be built: keep the reason and mark it failed."""
    from section307.metrics.lifecycle import REPORT_LIFECYCLE

    report = _report_locked(report)
    move = REPORT_LIFECYCLE.check("fail", state=report.status, actor=actor)
    report.status = move.target
    report.error = error[:2000]
    report.finished_at = timezone.now()
    report.save(update_fields=["status", "error", "finished_at"])
    audit_record(
        actor=actor,
        action="metrics.report_failed",
        target=report,
        data={"error": report.error, "from": QuarterlyReport.Status.QUEUED, "to": report.status},
    )
    return report
