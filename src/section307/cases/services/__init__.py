"""Writes for cases. Each function is one transaction, checks the actor's rights and leaves an audit row.

One module per part; this package re-exports their names:
cases, supplychain, tasks, stakeholders, evidence, proposals, sharing, merge, petitions,
allegations.
"""

from __future__ import annotations

from section307.cases.services._base import GateNotPassed as GateNotPassed
from section307.cases.services._base import _clean_text as _clean_text
from section307.cases.services._base import _open as _open
from section307.cases.services._base import _require as _require
from section307.cases.services.allegations import allegation_scope as allegation_scope
from section307.cases.services.allegations import case_link_allegation as case_link_allegation
from section307.cases.services.allegations import case_open_from_allegation as case_open_from_allegation
from section307.cases.services.allegations import evidence_import_from_allegation as evidence_import_from_allegation
from section307.cases.services.cases import CASE_EDITABLE as CASE_EDITABLE
from section307.cases.services.cases import case_close as case_close
from section307.cases.services.cases import case_create as case_create
from section307.cases.services.cases import case_memo_save as case_memo_save
from section307.cases.services.cases import case_next_reference as case_next_reference
from section307.cases.services.cases import case_reopen as case_reopen
from section307.cases.services.cases import case_transition as case_transition
from section307.cases.services.cases import case_update as case_update
from section307.cases.services.cases import case_view_record as case_view_record
from section307.cases.services.evidence import _custody as _custody
from section307.cases.services.evidence import evidence_access_record as evidence_access_record
from section307.cases.services.evidence import evidence_add as evidence_add
from section307.cases.services.evidence import evidence_annotate as evidence_annotate
from section307.cases.services.evidence import evidence_tag as evidence_tag
from section307.cases.services.evidence import evidence_tag_withdraw as evidence_tag_withdraw
from section307.cases.services.evidence import evidence_verify as evidence_verify
from section307.cases.services.evidence import ilo_assessment_record as ilo_assessment_record
from section307.cases.services.merge import case_merge as case_merge
from section307.cases.services.petitions import ADDRESSED as ADDRESSED
from section307.cases.services.petitions import DECISIONS as DECISIONS
from section307.cases.services.petitions import PETITION_SOURCE as PETITION_SOURCE
from section307.cases.services.petitions import RULE_ALL_INDICATORS as RULE_ALL_INDICATORS
from section307.cases.services.petitions import PetitionEvidence as PetitionEvidence
from section307.cases.services.petitions import _check_indicators as _check_indicators
from section307.cases.services.petitions import _clean_evidence as _clean_evidence
from section307.cases.services.petitions import _is_petitioner as _is_petitioner
from section307.cases.services.petitions import _petition_channel as _petition_channel
from section307.cases.services.petitions import _petition_locked as _petition_locked
from section307.cases.services.petitions import _petition_step as _petition_step
from section307.cases.services.petitions import _require_hq as _require_hq
from section307.cases.services.petitions import partner_organizations as partner_organizations
from section307.cases.services.petitions import petition_answer as petition_answer
from section307.cases.services.petitions import petition_answer_days as petition_answer_days
from section307.cases.services.petitions import petition_decide as petition_decide
from section307.cases.services.petitions import petition_file as petition_file
from section307.cases.services.petitions import petition_indicators as petition_indicators
from section307.cases.services.petitions import petition_request_info as petition_request_info
from section307.cases.services.petitions import petition_review as petition_review
from section307.cases.services.petitions import petition_withdraw as petition_withdraw
from section307.cases.services.proposals import PROPOSAL_FIELDS as PROPOSAL_FIELDS
from section307.cases.services.proposals import _record_overlap as _record_overlap
from section307.cases.services.proposals import proposal_decide as proposal_decide
from section307.cases.services.proposals import proposal_save as proposal_save
from section307.cases.services.proposals import proposal_submit as proposal_submit
from section307.cases.services.proposals import proposal_withdraw as proposal_withdraw
from section307.cases.services.sharing import case_share as case_share
from section307.cases.services.sharing import case_share_revoke as case_share_revoke
from section307.cases.services.stakeholders import engagement_record as engagement_record
from section307.cases.services.supplychain import case_party_add as case_party_add
from section307.cases.services.supplychain import case_party_remove as case_party_remove
from section307.cases.services.tasks import _approval_assignee as _approval_assignee
from section307.cases.services.tasks import _assignable as _assignable
from section307.cases.services.tasks import _task_move as _task_move
from section307.cases.services.tasks import case_comment_add as case_comment_add
from section307.cases.services.tasks import task_assign as task_assign
from section307.cases.services.tasks import task_comment as task_comment
from section307.cases.services.tasks import task_complete as task_complete
from section307.cases.services.tasks import task_create as task_create
from section307.cases.services.tasks import task_reopen as task_reopen
from section307.cases.services.tasks import tasks_settle as tasks_settle
