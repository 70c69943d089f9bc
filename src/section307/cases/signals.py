"""Signals other contexts listen to, so case management needs no knowledge of them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the decision's transaction with ``request`` (an OrderChangeRequest) and ``actor``;
# a receiver that fails rolls the decision back, so the importer's view can never disagree with it.
order_change_request_decided = Signal()

# Sent inside the transaction with ``petition`` and ``actor`` when headquarters asks a petitioner
# for more information; the portal turns it into a question on the importer's request.
petition_info_requested = Signal()

# Sent inside the transaction with ``petition`` and ``actor`` when the petitioner answers, wherever
# they answered; the portal request waiting on the question takes the answer too.
petition_answered = Signal()
