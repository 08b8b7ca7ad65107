"""The audit chain catches every edit, deletion, insertion and reordering made with SQL,
including edits to the hash columns the events carry; and old stores migrate into it."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import psycopg
import pytest

from domain.kernel.actor import Actor
from domain.proposal.forms import find_form
from infra import chain, seals
from infra.postgres import Pool, connection_pool
from infra.signing import SealFileError, read_seal, sign_seal
from services.application.proposals import AwardsApplication
from services.runtime import EVENTS_TABLE, build_application

pytestmark = pytest.mark.integration
PROPOSER = Actor("ninh-binh.proposer", "proposer")
NOMINATED = "domain.proposal:Proposal.Nominated"


class Store:
    def __init__(self, url: str, install: bool = True) -> None:
        self.url = url
        self.app: AwardsApplication = build_application(url)
        self.pool: Pool = connection_pool(url, max_size=2)
        if install:
            chain.install(self.pool, EVENTS_TABLE)

    def proposal(self, documents: int = 3) -> UUID:
        pid = uuid4()
        self.app.nominate(
            proposal_id=pid,
            form=find_form("vusta_certificate"),
            year=2026,
            proposing_unit="lhh-ninh-binh",
            cluster="cum-4",
            nominee={"kind": "individual", "name": "Nguyễn Văn An"},
            title="Bằng khen",
            summary="",
            actor=PROPOSER,
            key=f"c{pid}",
            rulebook_version="decree-152-2025",
        )
        for n in range(documents):
            self.app.attach_document(
                pid,
                {
                    "name": f"{n}.pdf",
                    "media_type": "application/pdf",
                    "sha256": f"{n:064x}",
                    "size": 3,
                    "kind": "other",
                },
                PROPOSER,
                f"d{pid}{n}",
            )
        return pid

    def sql(self, statement: str, *params: object) -> None:
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(statement, params)  # type: ignore[arg-type]

    def one(self, statement: str, *params: object) -> Any:
        with psycopg.connect(self.url) as conn:
            row = conn.execute(statement, params).fetchone()  # type: ignore[arg-type]
        return None if row is None else row[0]

    def ids(self, pid: UUID) -> list[int]:
        with psycopg.connect(self.url) as conn:
            rows = conn.execute(
                f"SELECT notification_id FROM {EVENTS_TABLE} WHERE originator_id"
                " = %s ORDER BY originator_version",
                (pid,),
            ).fetchall()
        return [r[0] for r in rows]

    def row(self, nid: int) -> dict[str, Any]:
        with psycopg.connect(self.url) as conn:
            cursor = conn.execute(
                f"SELECT * FROM {EVENTS_TABLE} WHERE notification_id = %s", (nid,)
            )
            values = cursor.fetchone()
            assert values is not None and cursor.description is not None
            return {
                column.name: value for column, value in zip(cursor.description, values, strict=True)
            }

    def log_before(self, nid: int) -> bytes:
        found = self.one(
            f"SELECT log_hash FROM {EVENTS_TABLE} WHERE notification_id < %s"
            " ORDER BY notification_id DESC LIMIT 1",
            nid,
        )
        return chain.ZERO if found is None else bytes(found)

    def rehash(self, nid: int, *columns: str) -> None:
        """What a tamperer who knows the scheme does: recompute one event's hashes from its
        stored content, its stored prev_hash and the stored log hash before it."""
        row = self.row(nid)
        digest = chain.event_hash(
            bytes(row["prev_hash"]),
            row["originator_id"],
            row["originator_version"],
            row["topic"],
            bytes(row["state"]),
        )
        values = {
            "event_hash": digest,
            "log_hash": chain.log_hash(self.log_before(nid), nid, digest),
        }
        for column in columns:
            self.sql(
                f"UPDATE {EVENTS_TABLE} SET {column} = %s WHERE notification_id = %s",
                values[column],
                nid,
            )

    def verify(self, **kwargs: object) -> chain.Report:
        return chain.verify(self.pool, EVENTS_TABLE, **kwargs)  # type: ignore[arg-type]

    def failure(self, **kwargs: object) -> chain.Failure:
        failure = self.verify(**kwargs).failure
        assert failure is not None, "the tampering went unnoticed"
        return failure

    def restart(self) -> None:
        """What every process running during a migration must do: statements it prepared as
        `SELECT *` before the hash columns existed no longer fit the table."""
        self.app.close()
        self.app = build_application(self.url)

    def close(self) -> None:
        self.app.close()
        self.pool.close()


@pytest.fixture
def store(fresh_database: str) -> Iterator[Store]:
    built = Store(fresh_database)
    yield built
    built.close()


def test_an_untouched_log_verifies(store: Store) -> None:
    pids = [store.proposal() for _ in range(3)]
    report = store.verify()
    assert report.ok, report.failure
    assert report.events == 12
    for pid in pids:
        alone = store.verify(originator=pid)
        assert alone.ok and alone.events == 4, alone.failure


def test_the_hashes_live_in_the_event_rows(store: Store) -> None:
    pid = store.proposal()
    assert store.one("SELECT to_regclass(%s)", chain.LEGACY_CHAIN_TABLE) is None
    first, second = (store.row(nid) for nid in store.ids(pid)[:2])
    # The trigger saw the notification id the column default drew for the row.
    digest = chain.event_hash(chain.ZERO, pid, 1, first["topic"], bytes(first["state"]))
    assert bytes(first["prev_hash"]) == chain.ZERO and bytes(first["event_hash"]) == digest
    assert bytes(first["log_hash"]) == chain.log_hash(chain.ZERO, first["notification_id"], digest)
    assert bytes(second["prev_hash"]) == digest
    assert chain.EVENTS_TABLE == EVENTS_TABLE  # what seal() uses when not told


def test_an_insert_cannot_choose_its_own_hashes(store: Store) -> None:
    store.proposal()
    forged = uuid4()
    store.sql(
        f"INSERT INTO {EVENTS_TABLE} (originator_id, originator_version, topic, state,"
        " prev_hash, event_hash, log_hash) VALUES (%s, 1, %s, '{}'::bytea, %s, %s, %s)",
        forged,
        NOMINATED,
        b"p" * 32,
        b"e" * 32,
        b"l" * 32,
    )
    assert store.verify().ok  # the trigger replaced them: written through the store


def test_an_edited_event_is_caught_and_named(store: Store) -> None:
    pid = store.proposal()
    store.proposal()
    target = store.ids(pid)[2]
    store.sql(
        f"UPDATE {EVENTS_TABLE} SET state = replace(state::text, '2', '7')::bytea"
        " WHERE notification_id = %s",
        target,
    )
    failure = store.failure()
    assert (failure.kind, failure.notification_id, failure.originator_id) == (
        "edited",
        target,
        str(pid),
    )
    assert "content" in failure.detail


def _edit_state(store: Store, nid: int) -> None:
    store.sql(
        f"UPDATE {EVENTS_TABLE} SET state = state || ' '::bytea WHERE notification_id = %s", nid
    )


def _set(column: str, value: bytes | None) -> Callable[[Store, int], None]:
    def tamper(store: Store, nid: int) -> None:
        store.sql(f"UPDATE {EVENTS_TABLE} SET {column} = %s WHERE notification_id = %s", value, nid)

    return tamper


def _erase(store: Store, nid: int) -> None:
    store.sql(
        f"UPDATE {EVENTS_TABLE} SET prev_hash = NULL, event_hash = NULL, log_hash = NULL"
        " WHERE notification_id = %s",
        nid,
    )


def _edit_and_rehash(*columns: str) -> Callable[[Store, int], None]:
    def tamper(store: Store, nid: int) -> None:
        _edit_state(store, nid)
        store.rehash(nid, *columns)

    return tamper


HASH_TAMPERING = {
    "event hash only": _set("event_hash", bytes(32)),
    "prev hash only": _set("prev_hash", b"\x01" * 32),
    "log hash only": _set("log_hash", b"\x02" * 32),
    "hashes erased": _erase,
    "content and event hash": _edit_and_rehash("event_hash"),
    "content and every hash": _edit_and_rehash("event_hash", "log_hash"),
}


@pytest.mark.parametrize("position", ["mid-stream", "end of stream"])
@pytest.mark.parametrize("tampering", HASH_TAMPERING, ids=list(HASH_TAMPERING))
def test_edited_hash_columns_are_caught_and_named(
    store: Store, tampering: str, position: str
) -> None:
    pid = store.proposal()
    store.proposal()  # so the stream's last event is not the last of the log
    target = store.ids(pid)[2 if position == "mid-stream" else -1]
    HASH_TAMPERING[tampering](store, target)
    failure = store.failure()
    assert (failure.kind, failure.notification_id, failure.originator_id) == (
        "edited",
        target,
        str(pid),
    ), failure


def test_a_deleted_event_is_caught(store: Store) -> None:
    pid = store.proposal()
    store.proposal()
    ids = store.ids(pid)
    store.sql(f"DELETE FROM {EVENTS_TABLE} WHERE notification_id = %s", ids[1])
    failure = store.failure()
    # Its hashes went with it: the event after it names the gap.
    assert (failure.kind, failure.notification_id) == ("deleted", ids[2])
    assert "version 2" in failure.detail
    failure = store.failure(originator=pid)
    assert (failure.kind, failure.notification_id) == ("deleted", ids[2])


def test_the_last_event_of_a_stream_deleted_is_caught(store: Store) -> None:
    pid = store.proposal()
    other = store.proposal()
    store.sql(f"DELETE FROM {EVENTS_TABLE} WHERE notification_id = %s", store.ids(pid)[-1])
    failure = store.failure()
    assert failure.kind == "deleted"
    assert failure.notification_id == store.ids(other)[0]  # the first event after the gap


def test_an_event_written_around_the_store_is_caught(store: Store) -> None:
    store.proposal()
    store.sql(f"ALTER TABLE {EVENTS_TABLE} DISABLE TRIGGER awards_chain_event")
    forged = uuid4()
    store.sql(
        f"INSERT INTO {EVENTS_TABLE} (originator_id, originator_version, topic, state)"
        " VALUES (%s, 1, %s, '{}'::bytea)",
        forged,
        NOMINATED,
    )
    store.sql(f"ALTER TABLE {EVENTS_TABLE} ENABLE TRIGGER awards_chain_event")
    store.proposal()
    failure = store.failure()
    assert (failure.kind, failure.originator_id) == ("inserted", str(forged))
    failure = store.failure(originator=forged)
    assert (failure.kind, failure.originator_id) == ("inserted", str(forged))


def _gap_before(store: Store) -> tuple[UUID, int]:
    """A proposal written after the notification sequence skipped ten ids, and a free id."""
    store.sql(
        f"SELECT setval(pg_get_serial_sequence('{EVENTS_TABLE}', 'notification_id'),"
        f" (SELECT max(notification_id) FROM {EVENTS_TABLE}) + 10)"
    )
    after = store.proposal()
    return after, store.ids(after)[0] - 5


def test_an_event_slipped_into_a_gap_is_caught(store: Store) -> None:
    store.proposal()
    _, gap = _gap_before(store)
    forged = uuid4()
    store.sql(
        f"INSERT INTO {EVENTS_TABLE} (notification_id, originator_id, originator_version,"
        " topic, state) VALUES (%s, %s, 1, %s, '{}'::bytea)",
        gap,
        forged,
        NOMINATED,
    )
    failure = store.failure()
    assert (failure.kind, failure.notification_id) == ("inserted", gap)


def test_an_event_slipped_into_a_gap_with_forged_hashes_is_caught(store: Store) -> None:
    store.proposal()
    after, gap = _gap_before(store)
    forged, state = uuid4(), b"{}"
    digest = chain.event_hash(chain.ZERO, forged, 1, NOMINATED, state)
    store.sql(f"ALTER TABLE {EVENTS_TABLE} DISABLE TRIGGER awards_chain_event")
    store.sql(
        f"INSERT INTO {EVENTS_TABLE} (notification_id, originator_id, originator_version,"
        " topic, state, prev_hash, event_hash, log_hash) VALUES (%s, %s, 1, %s, %s, %s, %s, %s)",
        gap,
        forged,
        NOMINATED,
        state,
        chain.ZERO,
        digest,
        chain.log_hash(store.log_before(gap), gap, digest),
    )
    store.sql(f"ALTER TABLE {EVENTS_TABLE} ENABLE TRIGGER awards_chain_event")
    # It chains on the event before it; the event after it was chained on that same event.
    failure = store.failure()
    assert (failure.kind, failure.notification_id) == ("inserted", gap)
    assert str(store.ids(after)[0]) in failure.detail


def _move(store: Store, swaps: list[tuple[int, int]]) -> None:
    for source, destination in swaps:
        store.sql(
            f"UPDATE {EVENTS_TABLE} SET notification_id = %s WHERE notification_id = %s",
            destination,
            source,
        )


def test_reordered_events_are_caught(store: Store) -> None:
    first, second = store.proposal(), store.proposal()
    a, b = store.ids(first)[1], store.ids(second)[1]
    _move(store, [(a, -1), (b, a), (-1, b)])
    failure = store.failure()
    assert (failure.kind, failure.notification_id) == ("reordered", a)


def test_events_reordered_without_breaking_their_streams_are_caught(store: Store) -> None:
    first, second = store.proposal(), store.proposal()
    a, b = store.ids(first)[0], store.ids(second)[0]
    _move(store, [(a, -1), (b, a), (-1, b)])
    assert store.verify(originator=first).failure is not None  # first's v1 now comes later
    failure = store.failure()
    assert (failure.kind, failure.notification_id, failure.originator_id) == (
        "reordered",
        a,
        str(second),
    )
    assert f"event {b}" in failure.detail
    failure = store.failure(originator=second)
    assert (failure.kind, failure.notification_id) == ("reordered", a)


def test_an_event_moved_to_the_end_is_caught(store: Store) -> None:
    first, second = store.proposal(), store.proposal()
    moved, following = store.ids(first)[-1], store.ids(second)[0]
    _move(store, [(moved, following + 100)])
    failure = store.failure()
    assert (failure.kind, failure.notification_id) == ("reordered", following)
    assert str(following + 100) in failure.detail


def test_one_proposal_can_be_verified_alone(store: Store) -> None:
    pid, other = store.proposal(), store.proposal()
    target = store.ids(other)[1]
    store.sql(
        f"UPDATE {EVENTS_TABLE} SET state = state || 'x'::bytea WHERE notification_id = %s", target
    )
    assert store.verify(originator=pid).ok
    failure = store.failure(originator=other)
    assert (failure.kind, failure.notification_id) == ("edited", target)


def test_one_proposal_alone_catches_its_edited_log_hash(store: Store) -> None:
    pid = store.proposal()
    store.proposal()
    target = store.ids(pid)[-1]
    _set("log_hash", bytes(32))(store, target)
    failure = store.failure(originator=pid)
    assert (failure.kind, failure.notification_id) == ("edited", target)


def recompute_chain(store: Store) -> None:
    """What an attacker with full database access would do to hide an edit."""
    with psycopg.connect(store.url, autocommit=True) as conn:
        rows = conn.execute(
            f"SELECT notification_id, originator_id, originator_version, topic,"
            f" state FROM {EVENTS_TABLE} ORDER BY notification_id"
        ).fetchall()
        heads: dict[UUID, bytes] = {}
        log = chain.ZERO
        for nid, originator, version, topic, state in rows:
            prev = heads.get(originator, chain.ZERO)
            digest = chain.event_hash(prev, originator, version, topic, bytes(state))
            log = chain.log_hash(log, nid, digest)
            heads[originator] = digest
            conn.execute(
                f"UPDATE {EVENTS_TABLE} SET prev_hash = %s, event_hash = %s, log_hash = %s"
                " WHERE notification_id = %s",
                (prev, digest, log, nid),
            )


def test_an_exported_seal_exposes_a_rewritten_chain(store: Store, tmp_path: Path) -> None:
    pid = store.proposal()
    taken = seals.take(store.pool, secrets.token_bytes(32), tmp_path)
    assert taken is not None
    sealed = read_seal(taken.document)
    assert sealed["events"] == 4
    store.proposal()
    _edit_state(store, store.ids(pid)[1])
    store.sql(f"DELETE FROM {chain.SEALS_TABLE}")
    recompute_chain(store)
    assert store.verify().ok  # the stored chain alone was rewritten consistently
    expected = (int(sealed["up_to"]), bytes.fromhex(sealed["log_hash"]))
    failure = store.verify(expected_seals=dict([expected])).failure
    assert failure is not None and "sealed" in failure.detail


def test_a_stored_seal_catches_a_rewritten_chain(store: Store, tmp_path: Path) -> None:
    pid = store.proposal()
    seals.take(store.pool, secrets.token_bytes(32), tmp_path)
    store.sql(f"DELETE FROM {EVENTS_TABLE} WHERE notification_id = %s", store.ids(pid)[0])
    recompute_chain(store)
    failure = store.failure()
    assert failure.kind in ("deleted", "reordered")


def test_a_seal_file_with_a_changed_hash_is_refused() -> None:
    document = sign_seal(
        {"up_to": 5, "log_hash": "00" * 32, "events": 5, "sealed_at": "x"}, secrets.token_bytes(32)
    )
    read_seal(document)
    with pytest.raises(SealFileError):
        read_seal({**document, "log_hash": "11" * 32})
    with pytest.raises(SealFileError, match="another key"):
        read_seal(document, trusted_public_key=bytes(32))


# How the chain was installed before the hashes moved into the event rows: a side table keyed
# by notification id, filled by the trigger.
LEGACY_INSTALL = f"""
CREATE TABLE {chain.LEGACY_CHAIN_TABLE} (
    notification_id bigint PRIMARY KEY,
    originator_id uuid NOT NULL,
    originator_version bigint NOT NULL,
    prev_hash bytea NOT NULL,
    event_hash bytea NOT NULL,
    log_hash bytea NOT NULL
);
CREATE UNIQUE INDEX {chain.LEGACY_CHAIN_TABLE}_stream
    ON {chain.LEGACY_CHAIN_TABLE} (originator_id, originator_version);
CREATE FUNCTION awards_chain_event() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
    prev bytea;
    last_log bytea;
    digest bytea;
BEGIN
    SELECT event_hash INTO prev FROM {chain.LEGACY_CHAIN_TABLE}
     WHERE originator_id = NEW.originator_id AND originator_version = NEW.originator_version - 1;
    prev := coalesce(prev, decode(repeat('00', 32), 'hex'));
    digest := sha256(prev || uuid_send(NEW.originator_id) || int8send(NEW.originator_version)
                     || convert_to(coalesce(NEW.topic, ''), 'UTF8') || coalesce(NEW.state, ''));
    SELECT log_hash INTO last_log FROM {chain.LEGACY_CHAIN_TABLE}
     ORDER BY notification_id DESC LIMIT 1;
    last_log := coalesce(last_log, decode(repeat('00', 32), 'hex'));
    INSERT INTO {chain.LEGACY_CHAIN_TABLE} VALUES (NEW.notification_id, NEW.originator_id,
        NEW.originator_version, prev, digest, sha256(last_log || int8send(NEW.notification_id)
        || digest));
    RETURN NEW;
END
$fn$;
CREATE TRIGGER awards_chain_event BEFORE INSERT ON {EVENTS_TABLE}
    FOR EACH ROW EXECUTE FUNCTION awards_chain_event();
"""


@pytest.fixture
def legacy(fresh_database: str) -> Iterator[Store]:
    """A store chained the old way, with three proposals in it."""
    built = Store(fresh_database, install=False)
    built.sql(LEGACY_INSTALL)
    for _ in range(3):
        built.proposal()
    yield built
    built.close()


def install_at_once(url: str, processes: int = 4) -> None:
    """Install from several connections at the same moment, as starting replicas would."""
    start = threading.Barrier(processes)

    def one() -> None:
        pool = connection_pool(url, max_size=1)
        try:
            start.wait()
            chain.install(pool, EVENTS_TABLE)
        finally:
            pool.close()

    with ThreadPoolExecutor(processes) as executor:
        for future in [executor.submit(one) for _ in range(processes)]:
            future.result()


def test_a_store_chained_in_the_side_table_is_migrated(legacy: Store) -> None:
    before = legacy.one(
        f"SELECT array_agg(log_hash ORDER BY notification_id) FROM {chain.LEGACY_CHAIN_TABLE}"
    )
    install_at_once(legacy.url)
    legacy.restart()
    assert legacy.one("SELECT to_regclass(%s)", chain.LEGACY_CHAIN_TABLE) is None
    after = legacy.one(f"SELECT array_agg(log_hash ORDER BY notification_id) FROM {EVENTS_TABLE}")
    assert after == before  # copied, not recomputed
    report = legacy.verify()
    assert report.ok and report.events == 12, report.failure
    legacy.proposal()  # new events chain on in the rows
    assert legacy.verify().ok
    chain.install(legacy.pool, EVENTS_TABLE)  # and again: nothing changes
    assert legacy.verify().events == 16


def test_tampering_done_before_the_migration_is_still_caught(legacy: Store) -> None:
    pid = legacy.one(
        f"SELECT originator_id FROM {EVENTS_TABLE} ORDER BY notification_id DESC LIMIT 1"
    )
    target = legacy.ids(pid)[1]
    _edit_state(legacy, target)
    legacy.sql(f"ALTER TABLE {EVENTS_TABLE} DISABLE TRIGGER awards_chain_event")
    forged = uuid4()
    legacy.sql(
        f"INSERT INTO {EVENTS_TABLE} (originator_id, originator_version, topic, state)"
        " VALUES (%s, 1, %s, '{}'::bytea)",
        forged,
        NOMINATED,
    )
    legacy.sql(f"ALTER TABLE {EVENTS_TABLE} ENABLE TRIGGER awards_chain_event")
    install_at_once(legacy.url)
    failure = legacy.failure()
    assert (failure.kind, failure.notification_id) == ("edited", target)
    legacy.sql(f"DELETE FROM {EVENTS_TABLE} WHERE originator_id = %s", pid)
    failure = legacy.failure()
    assert (failure.kind, failure.originator_id) == ("inserted", str(forged))


def test_a_store_from_before_the_chain_is_chained_once(fresh_database: str) -> None:
    built = Store(fresh_database, install=False)
    try:
        built.proposal()
        built.proposal()
        install_at_once(built.url)
        built.restart()
        report = built.verify()
        assert report.ok and report.events == 8, report.failure
        _erase(built, built.ids(built.proposal())[0])
        chain.install(built.pool, EVENTS_TABLE)  # erased hashes are a finding, not re-chained
        assert built.failure().kind == "edited"
    finally:
        built.close()


def test_a_store_without_the_chain_says_so(fresh_database: str, tmp_path: Path) -> None:
    built = Store(fresh_database, install=False)
    try:
        built.proposal()
        with pytest.raises(chain.ChainNotInstalled, match="start the service once"):
            built.verify()
        with pytest.raises(chain.ChainNotInstalled):
            built.verify(originator=uuid4())
        with pytest.raises(chain.ChainNotInstalled):
            seals.take(built.pool, secrets.token_bytes(32), tmp_path)
    finally:
        built.close()
