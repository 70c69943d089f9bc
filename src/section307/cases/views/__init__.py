"""The case workspace. Views parse input and call services/selectors; every case page view is audited.

One module per part; this package re-exports their names:
lists, case, evidence, ilo, proposal, petitions, allegations.
"""

from __future__ import annotations

from section307.cases.views._base import _case as _case
from section307.cases.views._base import _errors as _errors
from section307.cases.views._base import _form_errors as _form_errors
from section307.cases.views._base import _nav as _nav
from section307.cases.views._base import _pk as _pk
from section307.cases.views._base import _work as _work
from section307.cases.views.allegations import _allegation as _allegation
from section307.cases.views.allegations import _plain as _plain
from section307.cases.views.allegations import case_attach_allegation as case_attach_allegation
from section307.cases.views.allegations import case_open_from_allegation as case_open_from_allegation
from section307.cases.views.allegations import evidence_import as evidence_import
from section307.cases.views.allegations import evidence_manifest as evidence_manifest
from section307.cases.views.case import _detail_context as _detail_context
from section307.cases.views.case import _detail_with_errors as _detail_with_errors
from section307.cases.views.case import case_audit as case_audit
from section307.cases.views.case import case_close as case_close
from section307.cases.views.case import case_create as case_create
from section307.cases.views.case import case_detail as case_detail
from section307.cases.views.case import case_edit as case_edit
from section307.cases.views.case import case_memo as case_memo
from section307.cases.views.case import case_merge as case_merge
from section307.cases.views.case import case_party_add as case_party_add
from section307.cases.views.case import case_party_remove as case_party_remove
from section307.cases.views.case import case_reopen as case_reopen
from section307.cases.views.case import case_share as case_share
from section307.cases.views.case import case_transition as case_transition
from section307.cases.views.case import case_url as case_url
from section307.cases.views.case import comment_add as comment_add
from section307.cases.views.case import engagement_add as engagement_add
from section307.cases.views.case import task_action as task_action
from section307.cases.views.case import task_add as task_add
from section307.cases.views.evidence import _evidence as _evidence
from section307.cases.views.evidence import evidence_detail as evidence_detail
from section307.cases.views.evidence import evidence_download as evidence_download
from section307.cases.views.evidence import evidence_list as evidence_list
from section307.cases.views.ilo import ilo_matrix as ilo_matrix
from section307.cases.views.lists import case_list as case_list
from section307.cases.views.lists import dashboard as dashboard
from section307.cases.views.lists import task_queue as task_queue
from section307.cases.views.petitions import change_request_create as change_request_create
from section307.cases.views.proposal import proposal_decide as proposal_decide
from section307.cases.views.proposal import proposal_edit as proposal_edit
