"""Start-up: the printed sign-in address, development e-mail on the console, no queries while apps load."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.test import override_settings

import section307
from section307.core.mail import ConciseConsoleBackend
from section307.core.management.commands.demo import sign_in_url


def test_sign_in_address_uses_the_port_runserver_gets() -> None:
    assert sign_in_url("127.0.0.1:8080") == "http://127.0.0.1:8080/accounts/login/"
    assert sign_in_url("0.0.0.0:9000") == "http://127.0.0.1:9000/accounts/login/"
    assert sign_in_url("8001") == "http://127.0.0.1:8001/accounts/login/"
    assert sign_in_url("[::1]:8002") == "http://[::1]:8002/accounts/login/"


def test_make_run_passes_its_address_to_the_demo() -> None:
    makefile = (Path(section307.__file__).parents[2] / "Makefile").read_text()
    assert "section307 demo --address $(HOST):$(PORT)" in makefile


def test_console_mail_is_one_line_and_the_message_is_kept(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    body = "\n".join(f"Line {i} of a long detention notice" for i in range(200))
    message = EmailMessage("Detention notice ABC-1234567-8", body, "from@example.gov", ["importer@example.com"])
    with override_settings(SECTION307_MAIL_DIR=tmp_path), caplog.at_level(logging.INFO, logger="section307.mail"):
        sent = ConciseConsoleBackend().send_messages([message])
    assert sent == 1
    lines = [r.getMessage() for r in caplog.records if r.name == "section307.mail"]
    assert len(lines) == 1 and "\n" not in lines[0]
    assert "importer@example.com" in lines[0] and "Detention notice ABC-1234567-8" in lines[0]
    stored = list(tmp_path.glob("*.eml"))
    assert len(stored) == 1 and str(stored[0]) in lines[0]
    assert "Line 199 of a long detention notice" in stored[0].read_text()


def test_development_default_is_the_concise_backend_and_tests_keep_the_outbox() -> None:
    from section307.config import settings as dev

    if "SECTION307_EMAIL_BACKEND" not in os.environ:
        assert dev.EMAIL_BACKEND == "section307.core.mail.ConciseConsoleBackend"
    mail.send_mail("s", "b", "f@example.gov", ["t@example.gov"])
    assert mail.outbox[-1].subject == "s"


def test_no_query_runs_while_apps_load_for_runserver(tmp_path: Path) -> None:
    """The serving process of ``runserver`` used to start the task worker from AppConfig.ready(),
    which queried the database during app initialization (a RuntimeWarning)."""
    code = (
        "import os, sys, warnings\n"
        "warnings.simplefilter('error', RuntimeWarning)\n"
        "sys.argv = ['section307', 'runserver']\n"
        "os.environ['RUN_MAIN'] = 'true'\n"
        "import django\n"
        "django.setup()\n"
        "from section307.core import worker\n"
        "assert not worker._started.is_set(), 'worker started during app loading'\n"
        "print('ok')\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "section307.config.settings",
        "SECTION307_VAR_DIR": str(tmp_path),
        "PYTHONPATH": str(Path(section307.__file__).parents[1]),
    }
    env.pop("DATABASE_URL", None)
    # Our own interpreter running our own code.
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "ok"


def test_runserver_command_starts_the_worker_when_serving(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.contrib.staticfiles.management.commands.runserver import Command as Base
    from django.core.management import get_commands

    from section307.core import worker
    from section307.core.management.commands.runserver import Command

    assert get_commands()["runserver"] == "section307.core"
    calls: list[str] = []
    monkeypatch.setattr(worker, "start_inprocess_worker", lambda: calls.append("worker"))
    monkeypatch.setattr(Base, "inner_run", lambda self, *a, **k: calls.append("serve"))
    with override_settings(SECTION307_INPROCESS_WORKER=True):
        Command().inner_run()
    assert calls == ["worker", "serve"]
    calls.clear()
    with override_settings(SECTION307_INPROCESS_WORKER=False):
        Command().inner_run()
    assert calls == ["serve"]
