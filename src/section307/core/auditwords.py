"""Audit entries as sentences.

Each action has a sentence template here (or registered by its app with ``register_sentences``);
placeholders name keys of the entry's ``data`` and are filled with words (choice labels for states,
names for codes, yes/no). Whatever the sentence does not use is listed under it as "Label: value".
An action with no sentence still reads as words: its family and step, and the move from one state
to another when the entry records one.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from section307.core.words import detail_label, humanize_code, value_words

SENTENCES: dict[str, str | Promise] = {
    # allegations
    "allegation.submit": _("Allegation received ({files} files)."),
    "allegation.ask": _("Question sent to the reporter."),
    "allegation.assign": _("Allegation assigned to {to}."),
    "allegation.drafts_purged": _("Unsent draft files removed ({files})."),
    "allegation.extract_parties": _("Parties named in the allegation found in the registry."),
    "allegation.extraction": _("Details extracted from the allegation text."),
    "allegation.file_sanitized": _("A file was checked and cleaned: {status}."),
    "allegation.honeypot": _("A form filled in by a robot was refused."),
    "allegation.identity_read": _("The reporter's identity was read."),
    "allegation.keys_rotated": _("Encryption keys rotated."),
    "allegation.link_party": _("“{named}” linked to a registry party."),
    "allegation.original_read": _("The original (uncleaned) file was opened."),
    "allegation.remerge": _("Merged again into {original}."),
    "allegation.reporter_message": _("The reporter wrote ({files} files)."),
    # cases
    "case.create": _("Case opened (origin: {origin})."),
    "case.update": _("Case details changed: {changes}."),
    "case.view": _("Case page viewed ({view})."),
    "case.memo": _("Validity memo saved ({length} characters)."),
    "case.comment": _("Comment added."),
    "case.close": _("Case closed: {outcome}."),
    "case.reopen": _("Case reopened: {note}"),
    "case.engagement": _("Stakeholder engagement recorded ({kind})."),
    "case.ilo_assessment": _("ILO assessment recorded."),
    "case.issue": _("Order {order} issued from the proposal."),
    "case.link_allegation": _("Allegation {allegation} attached."),
    "case.merge": _("Duplicate case {duplicate} folded into this one."),
    "case.merged": _("Folded into case {into} as a duplicate."),
    "case.party_add": _("{name} added to the supply-chain map (tier {tier})."),
    "case.party_update": _("{name} changed on the supply-chain map (tier {tier})."),
    "case.party_remove": _("A party was removed from the supply-chain map."),
    "case.submit_proposal": _("Proposal submitted for approval."),
    "case.withdraw_proposal": _("Proposal withdrawn."),
    "case.return_proposal": _("Proposal returned to its author."),
    "case.share": _("Case shared with {organization} ({access})."),
    "case.unshare": _("Sharing with {organization} ended."),
    "case.task_create": _("Task created: {title}."),
    "case.task_assign": _("Task assigned to {assignee}."),
    "case.task_comment": _("Task comment added."),
    "case.task_reminder": _("Reminder sent for overdue tasks."),
    "proposal.save": _("Proposal draft saved."),
    "proposal.overlap_warning": _("Warned that enforced orders already cover this scope: {orders}."),
    "evidence.add": _("Evidence file added ({type})."),
    "evidence.annotate": _("Note added to the evidence."),
    "evidence.tag": _("Tagged with an ILO indicator: {indicator} ({strength})."),
    "evidence.tag_withdraw": _("ILO indicator tag withdrawn."),
    "evidence.verify": _("Evidence file checked against its fingerprint (matches: {match})."),
    # orders, parties, reference data
    "order.create": _("Order created (source: {source})."),
    "order.update": _("Order changed: {changes}."),
    "order.petition_file": _("Petition filed ({kind})."),
    "order.petition_answer": _("The petitioner answered."),
    "order.petition_decide": _("Petition decided: {decision}."),
    "order.petition_request_info": _("More information requested from the petitioner by {due}."),
    "order.petition_review": _("Petition review started."),
    "order.petition_withdraw": _("Petition withdrawn."),
    "party.create": _("Party created."),
    "party.link": _("Party linked to a related party ({kind})."),
    "refdata.load": _("Reference data loaded."),
    # ports
    "entry.receive": _("Entry received and screened: {decision}."),
    "entries.rescreen": _("Entries since {since} screened again ({lines} lines)."),
    "entry_access.grant": _("{importer} let {broker} act for it (entries: {entries})."),
    "entry_access.revoke": _("{importer} stopped {broker} acting for it."),
    "detention.create": _("Goods detained under {order}."),
    "detention.submit": _("Proof of admissibility submitted."),
    "detention.elect_export": _("The importer chose to export the goods."),
    "determination.propose": _("Determination proposed: {outcome}."),
    "determination.concur": _("Determination concurred."),
    "determination.return": _("Determination returned: {note}"),
    "determination.report": _("Determination reported on {on}."),
    "clock.suspend": _("Deadline suspended from {start}: {reason}"),
    "clock.resume": _("Deadline resumed; it now ends {end}."),
    "clock.extend": _("Deadline extended by {days} days: {reason}"),
    "image.add": _("Photo added."),
    "image.redact": _("Redacted copy of a photo made."),
    "protest.file": _("Protest filed (accelerated disposition asked: {accelerated})."),
    "protest.deem_denied": _("Protest denied by operation of law on {deemed_on} ({rule})."),
    # importer portal
    "trade_request.create": _("Request opened ({kind})."),
    "trade_request.update": _("Request statement saved."),
    "trade_request.submit": _("Request submitted (version {version})."),
    "trade_request.withdraw": _("Request withdrawn."),
    "trade_request.ask": _("Question sent to the importer."),
    "trade_request.answer": _("The importer answered."),
    "trade_document.add": _("Document added ({category})."),
    # accounts and files
    "api_token.create": _("API token created for {user}."),
    "api_token.revoke": _("API token of {user} revoked."),
    "user.roles_set": _("Roles changed."),
    "user.mfa_enrolled": _("Two-step sign-in set up."),
    "user.mfa_enrolment_started": _("Two-step sign-in set-up started."),
    "user.mfa_recovery_code_used": _("A recovery code was used ({left} left)."),
    "user.mfa_recovery_codes_renewed": _("Recovery codes renewed."),
    "user.oidc_created": _("Account created through single sign-on."),
    "user.oidc_linked": _("Account linked to single sign-on."),
    "files.sweep": _("Unused stored files removed ({deleted})."),
    "files.keys_rotated": _("Stored files re-encrypted with the new key ({files})."),
}

# Data keys never shown under a sentence: internal row numbers and fingerprints add nothing to read.
HIDDEN_KEYS = {
    "proposal",
    "task",
    "tasks",
    "comment",
    "message",
    "attachment",
    "annotation",
    "tag",
    "petition",
    "engagement",
    "party",
    "parties",
    "supplies_to",
    "author",
    "names",
}


def register_sentences(sentences: Mapping[str, str | Promise]) -> None:
    """An app adds the sentences of its own actions (from its AppConfig.ready)."""
    SENTENCES.update(sentences)


@dataclass(frozen=True)
class AuditLine:
    sentence: str
    details: list[tuple[str, str]]


def _state_words(model: type[models.Model] | None, value: Any) -> str:
    """A stored state as the label of the target model's choice that holds it."""
    if model is not None and isinstance(value, str):
        for f in model._meta.get_fields():
            choices = getattr(f, "choices", None)
            if choices:
                labels = {str(k): v for k, v in choices if not isinstance(v, list | tuple)}
                if value in labels:
                    return str(labels[value])
    return value_words(value)


def _transition_label(family: str, step: str) -> str:
    """The lifecycle's own words for a move recorded as ``family.step`` ("case.escalate",
    "case.task_done" for the case_task table)."""
    from django.utils.module_loading import autodiscover_modules

    from section307.core.lifecycle import all_machines

    autodiscover_modules("lifecycle")  # the tables register on import; imported once, then cached
    machines = {m.name: m for m in all_machines()}
    candidates = [(family, step)]
    head, _sep, rest = step.partition("_")
    if rest:
        candidates.append((f"{family}_{head}", rest))
    for name, move in candidates:
        machine = machines.get(name)
        if machine is None:
            continue
        for t in machine.transitions:
            if t.name == move and t.label:
                return str(t.label)
    return ""


class _Fill(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "—"


def audit_line(action: str, data: Any, *, model: type[models.Model] | None = None) -> AuditLine:
    data = data if isinstance(data, Mapping) else ({"value": data} if data not in (None, "", {}) else {})
    template = SENTENCES.get(action)
    used: set[str] = set()
    if template is not None:
        text = str(template)
        used = {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}
        fill = _Fill({k: _state_words(model, data[k]) for k in used if k in data})
        sentence = text.format_map(fill)
    else:
        family, _sep, step = action.partition(".")
        label = _transition_label(family, step)
        if label:
            sentence = f"{label.rstrip('.')}."
        else:
            sentence = f"{humanize_code(family)}: {humanize_code(step).lower() if step else ''}".rstrip(": ") + "."
        if "from" in data and "to" in data:
            sentence += " " + gettext("Moved from %(from)s to %(to)s.") % {
                "from": _state_words(model, data["from"]),
                "to": _state_words(model, data["to"]),
            }
            used = {"from", "to"}
        elif "from" in data:
            sentence += " " + gettext("Was: %(from)s.") % {"from": _state_words(model, data["from"])}
            used = {"from"}
    details = [
        (detail_label(str(k)), _state_words(model, v))
        for k, v in data.items()
        if k not in used and k not in HIDDEN_KEYS and v not in (None, "", [], {})
    ]
    return AuditLine(sentence, details)


def audit_event_line(event: Any) -> AuditLine:
    """``audit_line`` for an AuditEvent row (its target's model gives the state labels)."""
    from django.contrib.contenttypes.models import ContentType

    type_id = getattr(event, "target_type_id", None)
    model = ContentType.objects.get_for_id(type_id).model_class() if type_id else None  # cached per type
    return audit_line(event.action, event.data, model=model)
