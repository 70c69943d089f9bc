"""Writes for port enforcement. Each function is one transaction, takes the actor and leaves an audit row
and, for anything that happens to a shipment, a timeline event on its entry.

One module per part; this package re-exports their names:
screening, targeting, images, clocks, decisions, notices, rescreen, tokens, determinations,
protests, forfeiture.
"""

from __future__ import annotations

from section307.ports.services._base import PortsError as PortsError
from section307.ports.services._base import _user as _user
from section307.ports.services._base import extension_days as extension_days
from section307.ports.services._base import max_extensions as max_extensions
from section307.ports.services._base import soon_days as soon_days
from section307.ports.services._base import timeline_add as timeline_add
from section307.ports.services.clocks import _KEEP_RUNNING as _KEEP_RUNNING
from section307.ports.services.clocks import _clock_changed as _clock_changed
from section307.ports.services.clocks import _lock_clock as _lock_clock
from section307.ports.services.clocks import _refuse_if_statutory as _refuse_if_statutory
from section307.ports.services.clocks import _stop_clocks as _stop_clocks
from section307.ports.services.clocks import clock_extend as clock_extend
from section307.ports.services.clocks import clock_resume as clock_resume
from section307.ports.services.clocks import clock_suspend as clock_suspend
from section307.ports.services.decisions import _OUTCOME_TRANSITION as _OUTCOME_TRANSITION
from section307.ports.services.decisions import _lock_detention as _lock_detention
from section307.ports.services.decisions import _record_decision as _record_decision
from section307.ports.services.decisions import _running_due as _running_due
from section307.ports.services.decisions import detention_decide as detention_decide
from section307.ports.services.decisions import detention_elect_export as detention_elect_export
from section307.ports.services.decisions import detention_mark_submitted as detention_mark_submitted
from section307.ports.services.decisions import detentions_abandon_overdue as detentions_abandon_overdue
from section307.ports.services.decisions import detentions_deem_excluded as detentions_deem_excluded
from section307.ports.services.decisions import disposition_facts as disposition_facts
from section307.ports.services.determinations import DK as DK
from section307.ports.services.determinations import KINDS_FOR_REGIME as KINDS_FOR_REGIME
from section307.ports.services.determinations import TESTS as TESTS
from section307.ports.services.determinations import _check_test as _check_test
from section307.ports.services.determinations import _lock_determination as _lock_determination
from section307.ports.services.determinations import _reviewer as _reviewer
from section307.ports.services.determinations import congress_report_record as congress_report_record
from section307.ports.services.determinations import determination_concur as determination_concur
from section307.ports.services.determinations import determination_propose as determination_propose
from section307.ports.services.determinations import determination_return as determination_return
from section307.ports.services.forfeiture import _FS as _FS
from section307.ports.services.forfeiture import _STEP_NEEDS as _STEP_NEEDS
from section307.ports.services.forfeiture import _STEP_STARTS as _STEP_STARTS
from section307.ports.services.forfeiture import _STEP_STOPS as _STEP_STOPS
from section307.ports.services.forfeiture import api_token_revoke as api_token_revoke
from section307.ports.services.forfeiture import entry_value as entry_value
from section307.ports.services.forfeiture import forfeiture_record as forfeiture_record
from section307.ports.services.forfeiture import forfeiture_step_apply as forfeiture_step_apply
from section307.ports.services.forfeiture import forfeiture_step_check as forfeiture_step_check
from section307.ports.services.images import ImageBelowStandard as ImageBelowStandard
from section307.ports.services.images import _image_store as _image_store
from section307.ports.services.images import image_add as image_add
from section307.ports.services.images import image_redact as image_redact
from section307.ports.services.notices import clocks_remind as clocks_remind
from section307.ports.services.notices import notice_create as notice_create
from section307.ports.services.notices import notice_mark_read as notice_mark_read
from section307.ports.services.protests import _protest_close as _protest_close
from section307.ports.services.protests import protest_check_decidable as protest_check_decidable
from section307.ports.services.protests import protest_deem_denied as protest_deem_denied
from section307.ports.services.protests import protest_deemed_denied_on as protest_deemed_denied_on
from section307.ports.services.protests import protest_file as protest_file
from section307.ports.services.protests import protests_deem_denied as protests_deem_denied
from section307.ports.services.protests import refuse_if_deemed_denied as refuse_if_deemed_denied
from section307.ports.services.rescreen import entries_rescreen as entries_rescreen
from section307.ports.services.screening import _apply_result as _apply_result
from section307.ports.services.screening import _entry_decision as _entry_decision
from section307.ports.services.screening import _importer_org as _importer_org
from section307.ports.services.screening import _screener_cache as _screener_cache
from section307.ports.services.screening import _screener_lock as _screener_lock
from section307.ports.services.screening import current_screener as current_screener
from section307.ports.services.screening import entries_receive as entries_receive
from section307.ports.services.targeting import _clocks_stop as _clocks_stop
from section307.ports.services.targeting import _detention_clocks_start as _detention_clocks_start
from section307.ports.services.targeting import _finding_covers as _finding_covers
from section307.ports.services.targeting import _order_scope as _order_scope
from section307.ports.services.targeting import _regime_for as _regime_for
from section307.ports.services.targeting import _require_reason as _require_reason
from section307.ports.services.targeting import clock_refresh as clock_refresh
from section307.ports.services.targeting import clock_start as clock_start
from section307.ports.services.targeting import clock_state as clock_state
from section307.ports.services.targeting import entry_detain as entry_detain
from section307.ports.services.targeting import entry_target as entry_target
from section307.ports.services.tokens import api_token_create as api_token_create
from section307.ports.services.tokens import may_use_api as may_use_api
