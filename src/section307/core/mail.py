"""Development e-mail: one line per message on the console, the whole message kept in a file.

Django's console backend prints every message in full, so one detention notice fills the terminal.
This backend writes each message as an ``.eml`` file under ``SECTION307_MAIL_DIR`` (default
``var/mail``) and logs a single line naming the recipients, the subject and the file to open.
Production sets a real SMTP backend (``SECTION307_EMAIL_BACKEND``); tests use Django's in-memory outbox.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage
from django.utils import timezone

logger = logging.getLogger("section307.mail")

_counter_lock = threading.Lock()
_counter = 0


def mail_dir() -> Path:
    return Path(getattr(settings, "SECTION307_MAIL_DIR", Path(settings.VAR_DIR) / "mail"))


def _next_name() -> str:
    global _counter
    with _counter_lock:
        _counter += 1
        n = _counter
    return f"{timezone.now():%Y%m%d-%H%M%S}-{n:04d}.eml"


def summary_line(message: EmailMessage, path: Path) -> str:
    recipients = ", ".join([*message.to, *message.cc, *message.bcc]) or "(no recipient)"
    return f"E-mail to {recipients}: {message.subject!r} (full message: {path})"


class ConciseConsoleBackend(BaseEmailBackend):
    """One log line per message; the full message (headers, body, attachments) stored as a file."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        if not email_messages:
            return 0
        directory = mail_dir()
        directory.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            path = directory / _next_name()
            path.write_bytes(message.message().as_bytes())
            logger.info(summary_line(message, path))
            sent += 1
        return sent
