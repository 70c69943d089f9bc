"""The audit trail is a hash chain: edits and deletions made directly in SQL are found."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from section307.core.audit import GENESIS, audit_chain_verify, audit_record
from section307.core.models import AuditChainHead, AuditEvent

TABLE = AuditEvent._meta.db_table
UPDATE_ACTION = f"UPDATE {TABLE} SET action = %s WHERE id = %s"  # noqa: S608 (fixed table name)
UPDATE_DATA = f"UPDATE {TABLE} SET data = %s WHERE id = %s"  # noqa: S608
DELETE_ROW = f"DELETE FROM {TABLE} WHERE id = %s"  # noqa: S608

pytestmark = pytest.mark.django_db


def _record(n: int) -> list[AuditEvent]:
    return [audit_record(actor=None, action="test.step", data={"n": i, "note": "café"}) for i in range(n)]


def test_each_row_chains_onto_the_one_before() -> None:
    events = _record(3)
    rows = list(AuditEvent.objects.order_by("pk"))
    assert rows[0].prev_hash == GENESIS
    assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]
    assert AuditChainHead.objects.get(pk=1).hash == events[-1].hash
    assert audit_chain_verify() == (3, None)


def test_verify_command_passes_on_an_intact_chain(capsys: Any) -> None:
    _record(2)
    call_command("audit", "verify")
    assert "intact: 2 rows" in capsys.readouterr().out


def test_an_edit_made_in_sql_is_found() -> None:
    events = _record(4)
    with connection.cursor() as cursor:
        cursor.execute(UPDATE_ACTION, ["test.forged", events[2].pk])
    checked, broken = audit_chain_verify()
    assert broken is not None and broken.row_id == events[2].pk
    assert "content differs" in broken.reason
    assert checked == 2
    with pytest.raises(CommandError, match=f"row {events[2].pk}"):
        call_command("audit", "verify")


def test_an_edit_of_the_data_in_sql_is_found() -> None:
    events = _record(3)
    with connection.cursor() as cursor:
        cursor.execute(
            UPDATE_DATA,
            ['{"n": 99, "note": "café"}', events[1].pk],
        )
    _, broken = audit_chain_verify()
    assert broken is not None and broken.row_id == events[1].pk


def test_a_deleted_row_is_found_at_the_next_row() -> None:
    events = _record(4)
    with connection.cursor() as cursor:
        cursor.execute(DELETE_ROW, [events[1].pk])
    _, broken = audit_chain_verify()
    assert broken is not None and broken.row_id == events[2].pk
    assert f"row {events[0].pk}" in broken.reason and "deleted" in broken.reason


def test_a_deleted_last_row_is_found_through_the_head() -> None:
    events = _record(3)
    with connection.cursor() as cursor:
        cursor.execute(DELETE_ROW, [events[2].pk])
    _, broken = audit_chain_verify()
    assert broken is not None and "rows at the end were deleted" in broken.reason
    with pytest.raises(CommandError):
        call_command("audit", "verify")


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain() -> None:
    if connection.vendor == "sqlite":
        pytest.skip("the in-memory test database is shared-cache: file databases serialise through IMMEDIATE")
    errors: list[BaseException] = []

    def writer(k: int) -> None:
        try:
            for i in range(10):
                audit_record(actor=None, action="test.concurrent", data={"writer": k, "i": i})
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert audit_chain_verify() == (40, None)
    assert AuditEvent.objects.values("prev_hash").distinct().count() == 40
