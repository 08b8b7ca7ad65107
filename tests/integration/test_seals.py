"""Automatic signed seals: what verify catches against the newest seal, what it reports as not
yet covered, and that seals are written only when the log grew and refused when forged."""

from __future__ import annotations

import asyncio
import base64
import json
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from uuid import uuid4

import pytest
from test_tamper import NOMINATED, Store, recompute_chain

from infra import chain, seals
from infra.seals import SealRefused
from infra.settings import Settings
from infra.signing import public_key_of
from services.audit import integrity
from services.audit.sealer import run_sealer, seal_if_grown
from services.runtime import EVENTS_TABLE

pytestmark = pytest.mark.integration


@pytest.fixture
def store(fresh_database: str) -> Iterator[Store]:
    built = Store(fresh_database)
    yield built
    built.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    key = base64.b64encode(secrets.token_bytes(32)).decode()
    return Settings(data_dir=tmp_path, audit_signing_key=key, seal_interval_seconds=0.05)


def check(store: Store, settings: Settings) -> integrity.IntegrityCheck:
    return integrity.check(store.pool, settings, events_table=EVENTS_TABLE)


def newest_id(store: Store) -> int:
    return int(store.one(f"SELECT max(notification_id) FROM {EVENTS_TABLE}"))


def forge_decision(store: Store) -> None:
    """What someone who can write rows does: append an event through the chaining trigger."""
    store.sql(
        f"INSERT INTO {EVENTS_TABLE} (originator_id, originator_version, topic, state)"
        " VALUES (%s, 1, %s, '{}'::bytea)",
        uuid4(),
        NOMINATED,
    )


def edit_and_rechain(store: Store, nid: int) -> None:
    store.sql(
        f"UPDATE {EVENTS_TABLE} SET state = state || 'x'::bytea WHERE notification_id = %s", nid
    )
    recompute_chain(store)


def test_the_sealer_seals_only_when_the_log_grew(store: Store, settings: Settings) -> None:
    assert seal_if_grown(store.pool, settings) is None  # an empty log
    store.proposal()
    first = seal_if_grown(store.pool, settings)
    assert first is not None and first.up_to == newest_id(store) and first.events == 4
    assert seal_if_grown(store.pool, settings) is None
    store.proposal(documents=1)
    second = seal_if_grown(store.pool, settings)
    assert second is not None and second.up_to == newest_id(store) and second.events == 6
    trusted = public_key_of(settings.resolved_signing_key())
    files = sorted(settings.resolved_seal_dir().glob("seal-*.json"))
    assert [seals.read_file(f, trusted).up_to for f in files] == [first.up_to, second.up_to]
    assert store.one(f"SELECT count(*) FROM {chain.SEALS_TABLE} WHERE signed IS NOT NULL") == 2


async def test_the_worker_loop_seals_as_the_log_grows(store: Store, settings: Settings) -> None:
    store.proposal()
    loop = asyncio.create_task(run_sealer(store.pool, settings))
    folder = settings.resolved_seal_dir()
    try:
        await _until(lambda: len(list(folder.glob("seal-*.json"))) == 1)
        store.proposal()
        await _until(lambda: len(list(folder.glob("seal-*.json"))) == 2)
    finally:
        loop.cancel()
    newest = max(folder.glob("seal-*.json"))
    assert json.loads(newest.read_text())["up_to"] == newest_id(store)


async def _until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "the condition never held"
        await asyncio.sleep(0.02)


def test_an_intact_sealed_log_says_what_the_seal_covers(store: Store, settings: Settings) -> None:
    store.proposal()
    sealed = seal_if_grown(store.pool, settings)
    assert sealed is not None
    store.proposal(documents=1)
    checked = check(store, settings)
    assert checked.ok and checked.seal is not None and checked.seal.up_to == sealed.up_to
    assert (checked.sealed_events, checked.unsealed_events) == (4, 2)
    text = checked.text("en")
    assert f"Events up to notification id {sealed.up_to} are exactly as sealed at" in text
    assert "2 events after the newest seal are chained but not covered by a seal" in text
    assert "sự kiện sau dấu niêm phong mới nhất" in checked.text("vi")


def test_without_a_seal_verify_says_nothing_is_covered(store: Store, settings: Settings) -> None:
    store.proposal()
    checked = check(store, settings)
    assert checked.ok and checked.seal is None and checked.unsealed_events == 4
    assert "No seal yet" in checked.text("en")


def test_the_newest_event_deleted_is_caught_by_the_seal(store: Store, settings: Settings) -> None:
    store.proposal()
    seal_if_grown(store.pool, settings)
    store.sql(f"DELETE FROM {EVENTS_TABLE} WHERE notification_id = %s", newest_id(store))
    store.sql(f"DELETE FROM {chain.SEALS_TABLE}")  # a database writer removes the table's seals
    assert store.verify().ok  # the chain alone cannot tell
    checked = check(store, settings)  # the seal file still can
    assert checked.report.failure is not None and checked.report.failure.kind == "deleted"
    assert checked.text("en").startswith("TAMPERED")


def test_an_event_slipped_in_through_the_trigger_is_caught_by_the_seal(
    store: Store, settings: Settings
) -> None:
    store.proposal()
    store.sql(  # a gap in the ids, as failed writes leave
        f"SELECT setval(pg_get_serial_sequence('{EVENTS_TABLE}', 'notification_id'),"
        f" (SELECT max(notification_id) FROM {EVENTS_TABLE}) + 10)"
    )
    store.proposal()
    seal_if_grown(store.pool, settings)
    gap = newest_id(store) - 6
    store.sql(
        f"INSERT INTO {EVENTS_TABLE} (notification_id, originator_id, originator_version, topic,"
        " state) VALUES (%s, %s, 1, %s, '{}'::bytea)",
        gap,
        uuid4(),
        NOMINATED,
    )
    recompute_chain(store)
    store.sql(f"DELETE FROM {chain.SEALS_TABLE}")
    assert store.verify().ok  # consistent again, to the chain alone
    failure = check(store, settings).report.failure
    assert failure is not None and "sealed" in failure.detail


def test_a_middle_event_edited_and_rechained_is_caught_by_the_seal(
    store: Store, settings: Settings
) -> None:
    pid = store.proposal()
    store.proposal()
    seal_if_grown(store.pool, settings)
    edit_and_rechain(store, store.ids(pid)[1])
    store.sql(f"DELETE FROM {chain.SEALS_TABLE}")
    assert store.verify().ok
    failure = check(store, settings).report.failure
    assert failure is not None and "differs from what was sealed" in failure.detail


def test_changes_after_the_newest_seal_are_reported_as_not_covered(
    store: Store, settings: Settings
) -> None:
    store.proposal()
    sealed = seal_if_grown(store.pool, settings)
    assert sealed is not None
    late = store.proposal()
    forge_decision(store)  # appended through the trigger
    edit_and_rechain(store, store.ids(late)[1])  # edited, every later hash recomputed
    store.sql(f"DELETE FROM {EVENTS_TABLE} WHERE notification_id = %s", newest_id(store))
    checked = check(store, settings)
    assert checked.ok and checked.seal is not None and checked.seal.up_to == sealed.up_to
    assert checked.unsealed_events == 4
    assert "4 events after the newest seal are chained but not covered by a seal" in (
        checked.text("en")
    )
    assert "verified" not in checked.lines()[-1].en


def test_a_seal_file_with_a_bad_signature_is_refused(store: Store, settings: Settings) -> None:
    store.proposal()
    sealed = seal_if_grown(store.pool, settings)
    assert sealed is not None
    path = Path(sealed.source)
    document = json.loads(path.read_text())
    path.write_text(json.dumps({**document, "log_hash": "00" * 32}))
    with pytest.raises(SealRefused, match="signature does not verify"):
        check(store, settings)


def test_a_forged_seal_in_the_table_is_refused(store: Store, settings: Settings) -> None:
    store.proposal()
    seal_if_grown(store.pool, settings)
    store.sql(f"UPDATE {chain.SEALS_TABLE} SET signed = jsonb_set(signed, '{{events}}', '99')")
    with pytest.raises(SealRefused, match="signature does not verify"):
        check(store, settings)


def test_a_seal_signed_by_another_key_is_refused(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    store.proposal()
    other = Settings(
        data_dir=tmp_path / "other",
        audit_signing_key=base64.b64encode(secrets.token_bytes(32)).decode(),
    )
    sealed = seals.take(store.pool, other.resolved_signing_key(), other.resolved_seal_dir())
    assert sealed is not None
    with pytest.raises(SealRefused, match="another key"):
        integrity.check(store.pool, settings, seal_file=Path(sealed.source))
