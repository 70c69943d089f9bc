"""The analyst's triage queue: new allegations due for triage, and reporters' unread replies."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from section307.accounts import roles
from section307.allegations import services
from section307.core.queue import queue_for

from .conftest import valid_input


def test_new_allegation_and_reporter_reply_reach_the_analyst(countries: None, make_user: Any) -> None:
    analyst = make_user(roles.ANALYST)
    allegation, _code = services.allegation_submit(actor=services.PUBLIC, data=valid_input())
    items = [i for i in queue_for(analyst) if i.ref == f"allegations.allegation:{allegation.pk}"]
    assert [i.kind for i in items] == ["allegation.triage"]
    assert items[0].due == timezone.localdate(allegation.submitted_at) + dt.timedelta(days=5)
    services.allegation_start_triage(actor=analyst, allegation=allegation)
    services.allegation_ask(actor=analyst, allegation=allegation, question="Which dormitory?")
    services.allegation_reporter_message(actor=services.PUBLIC, allegation=allegation, body="Block C")
    assert "allegation.reply" in [i.kind for i in queue_for(analyst)]
    officer = make_user(roles.PORT_OFFICER)
    assert not [i for i in queue_for(officer) if i.kind.startswith("allegation.")]
