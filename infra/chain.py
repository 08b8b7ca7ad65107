"""Tamper evidence for the event store: a hash chain per stream, a running log hash, and seals.

A trigger on the events table gives every stored event, in the same transaction:
- ``prev_hash``: the hash of its predecessor in its aggregate's stream (zeros for version 1);
- ``event_hash`` = sha256(prev_hash ‖ originator_id ‖ version ‖ topic ‖ state);
- ``log_hash`` = sha256(previous log_hash ‖ notification_id ‖ event_hash), over the whole log in
  notification order, so removing, inserting or reordering any row breaks every later value.
Seals record the log hash at a notification id; exported and signed, they prove later that the
log up to that point has not been rewritten, even by someone who recomputed the chain.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from uuid import UUID

from psycopg import sql
from psycopg.rows import tuple_row

from infra.postgres import Pool

ZERO = bytes(32)
CHAIN_TABLE = "awards_event_chain"
SEALS_TABLE = "awards_seals"


def _install_sql(events: str) -> sql.Composed:
    return sql.SQL("""
CREATE TABLE IF NOT EXISTS {chain} (
    notification_id bigint PRIMARY KEY,
    originator_id uuid NOT NULL,
    originator_version bigint NOT NULL,
    prev_hash bytea NOT NULL,
    event_hash bytea NOT NULL,
    log_hash bytea NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS {chain_stream} ON {chain} (originator_id, originator_version);
CREATE TABLE IF NOT EXISTS {seals} (
    up_to bigint PRIMARY KEY,
    log_hash bytea NOT NULL,
    events bigint NOT NULL,
    sealed_at timestamptz NOT NULL DEFAULT now()
);
CREATE OR REPLACE FUNCTION awards_chain_event() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
    prev bytea;
    last_log bytea;
    digest bytea;
BEGIN
    SELECT event_hash INTO prev FROM {chain}
     WHERE originator_id = NEW.originator_id AND originator_version = NEW.originator_version - 1;
    prev := coalesce(prev, decode(repeat('00', 32), 'hex'));
    digest := sha256(prev || uuid_send(NEW.originator_id) || int8send(NEW.originator_version)
                     || convert_to(coalesce(NEW.topic, ''), 'UTF8') || coalesce(NEW.state, ''));
    -- The library holds an exclusive lock on the events table while it inserts, so the
    -- last chain row is the previous event in notification order.
    SELECT log_hash INTO last_log FROM {chain} ORDER BY notification_id DESC LIMIT 1;
    last_log := coalesce(last_log, decode(repeat('00', 32), 'hex'));
    INSERT INTO {chain} VALUES (NEW.notification_id, NEW.originator_id, NEW.originator_version,
        prev, digest, sha256(last_log || int8send(NEW.notification_id) || digest));
    RETURN NEW;
END
$fn$;
DROP TRIGGER IF EXISTS awards_chain_event ON {events};
CREATE TRIGGER awards_chain_event BEFORE INSERT ON {events}
    FOR EACH ROW EXECUTE FUNCTION awards_chain_event();
""").format(
        chain=sql.Identifier(CHAIN_TABLE),
        chain_stream=sql.Identifier(f"{CHAIN_TABLE}_stream"),
        seals=sql.Identifier(SEALS_TABLE),
        events=sql.Identifier(events),
    )


_BACKFILL = """
DO $fill$
DECLARE
    r record;
    prev bytea;
    digest bytea;
    last_log bytea := decode(repeat('00', 32), 'hex');
BEGIN
    FOR r IN SELECT * FROM {events} ORDER BY notification_id LOOP
        SELECT event_hash INTO prev FROM {chain}
         WHERE originator_id = r.originator_id AND originator_version = r.originator_version - 1;
        prev := coalesce(prev, decode(repeat('00', 32), 'hex'));
        digest := sha256(prev || uuid_send(r.originator_id) || int8send(r.originator_version)
                         || convert_to(coalesce(r.topic, ''), 'UTF8') || coalesce(r.state, ''));
        last_log := sha256(last_log || int8send(r.notification_id) || digest);
        INSERT INTO {chain} VALUES (r.notification_id, r.originator_id, r.originator_version,
                                    prev, digest, last_log);
    END LOOP;
END
$fill$;
"""


def install(pool: Pool, events_table: str) -> None:
    """Create the chain tables and the trigger (idempotent; run before serving writes).

    A store that already holds events when the chain is first installed is chained as it
    stands, in one locked pass; after that, an event without a chain entry is a finding."""
    events = sql.Identifier(events_table)
    with pool.connection() as conn, conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(7210302)")
        conn.execute(_install_sql(events_table))
        conn.execute(sql.SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(events))
        chained = conn.execute(
            sql.SQL("SELECT EXISTS (SELECT 1 FROM {}) AS any").format(sql.Identifier(CHAIN_TABLE))
        ).fetchone()
        if chained is not None and not chained["any"]:
            conn.execute(
                sql.SQL(_BACKFILL).format(events=events, chain=sql.Identifier(CHAIN_TABLE))
            )


def event_hash(prev: bytes, originator_id: UUID, version: int, topic: str, state: bytes) -> bytes:
    return hashlib.sha256(
        prev
        + originator_id.bytes
        + version.to_bytes(8, "big", signed=True)
        + topic.encode()
        + state
    ).digest()


def log_hash(previous: bytes, notification_id: int, digest: bytes) -> bytes:
    return hashlib.sha256(
        previous + notification_id.to_bytes(8, "big", signed=True) + digest
    ).digest()


@dataclass(frozen=True)
class Failure:
    notification_id: int
    kind: str  # "edited", "deleted", "inserted" or "reordered"
    originator_id: str | None
    version: int | None
    detail: str

    def __str__(self) -> str:
        where = f"event {self.notification_id}"
        if self.originator_id:
            where += f" ({self.originator_id} v{self.version})"
        return f"{where} {self.kind}: {self.detail}"


@dataclass
class Report:
    events: int = 0
    seals_checked: int = 0
    head: bytes = ZERO
    head_id: int = 0
    failure: Failure | None = None
    seal_log: dict[int, bytes] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.failure is None


_ROWS = sql.SQL("""
SELECT coalesce(e.notification_id, c.notification_id) AS id,
       e.notification_id AS event_id, e.originator_id, e.originator_version, e.topic, e.state,
       c.notification_id AS chain_id, c.originator_id AS chain_originator,
       c.originator_version AS chain_version, c.prev_hash, c.event_hash, c.log_hash
  FROM {events} e FULL JOIN {chain} c ON c.notification_id = e.notification_id
 WHERE {where}
 ORDER BY 1
""")


class Row(NamedTuple):
    id: int
    event_id: int | None
    originator_id: UUID
    originator_version: int
    topic: str | None
    state: bytes | None
    chain_id: int | None
    chain_originator: UUID | None
    chain_version: int | None
    prev_hash: bytes | None
    event_hash: bytes | None
    log_hash: bytes | None


def _rows(pool: Pool, events_table: str, originator: UUID | None) -> Iterator[Row]:
    where = sql.SQL("true")
    params: tuple[Any, ...] = ()
    if originator is not None:
        where = sql.SQL("(e.originator_id = %s OR c.originator_id = %s)")
        params = (originator, originator)
    query = _ROWS.format(
        events=sql.Identifier(events_table), chain=sql.Identifier(CHAIN_TABLE), where=where
    )
    # Plain tuples: building a dict per row cost more than hashing it.
    with (
        pool.connection() as conn,
        conn.transaction(),
        conn.cursor(name="verify", row_factory=tuple_row) as cursor,
    ):
        cursor.itersize = 20_000
        cursor.execute(query, params)
        for values in cursor:
            yield Row._make(values)


class _Verifier:
    def __init__(self, whole_log: bool) -> None:
        self.whole_log = whole_log
        self.heads: dict[UUID, tuple[int, bytes]] = {}
        self.report = Report()

    def check(self, row: Row, following: Row | None) -> Failure | None:
        nid = int(row.id)
        if row.event_id is None:
            return Failure(
                nid,
                "deleted",
                str(row.chain_originator),
                row.chain_version,
                "the chain records an event here that is no longer stored",
            )
        originator: UUID = row.originator_id
        version = int(row.originator_version)
        if row.chain_id is None:
            return Failure(
                nid,
                "inserted",
                str(originator),
                version,
                "stored without a chain entry: written around the event store",
            )
        if (row.chain_originator, row.chain_version) != (originator, version):
            return Failure(
                nid,
                "reordered",
                str(originator),
                version,
                f"the chain records {row.chain_originator} v{row.chain_version} at this position",
            )
        last_version, prev = self.heads.get(originator, (0, ZERO))
        if version != last_version + 1:
            kind = "deleted" if version > last_version + 1 else "reordered"
            return Failure(
                nid, kind, str(originator), version, f"follows version {last_version} of its stream"
            )
        state = row.state or b""
        digest = event_hash(prev, originator, version, row.topic or "", state)
        if row.prev_hash != prev or digest != row.event_hash:
            return Failure(
                nid, "edited", str(originator), version, "its content no longer matches its hash"
            )
        if self.whole_log:
            expected = log_hash(self.report.head, nid, digest)
            if expected != row.log_hash:
                return self._log_break(nid, originator, version, following)
            self.report.head = expected
        self.heads[originator] = (version, digest)
        self.report.head_id = nid
        self.report.events += 1
        return None

    def _log_break(
        self, nid: int, originator: UUID, version: int, following: Row | None
    ) -> Failure:
        # If the next row chains onto what came before this one, this one was slipped in.
        if (
            following is not None
            and following.log_hash is not None
            and following.event_hash is not None
            and log_hash(self.report.head, int(following.id), bytes(following.event_hash))
            == bytes(following.log_hash)
        ):
            return Failure(
                nid,
                "inserted",
                str(originator),
                version,
                "the log chain skips over it: it was not in the log when sealed",
            )
        return Failure(
            nid,
            "deleted",
            str(originator),
            version,
            "the log chain breaks before it: an earlier event was removed or moved",
        )


def verify(
    pool: Pool,
    events_table: str,
    originator: UUID | None = None,
    progress: Callable[[int], None] | None = None,
    expected_seal: tuple[int, bytes] | None = None,
) -> Report:
    """Check every stored event (or one proposal's stream) against the chain and the seals."""
    verifier = _Verifier(whole_log=originator is None)
    seals = _seals(pool) if originator is None else {}
    if expected_seal is not None:
        seals[expected_seal[0]] = expected_seal[1]
    rows = _rows(pool, events_table, originator)
    current = next(rows, None)
    while current is not None:
        following = next(rows, None)
        failure = verifier.check(current, following)
        if failure is not None:
            verifier.report.failure = failure
            break
        sealed = seals.pop(verifier.report.head_id, None)
        if sealed is not None:
            verifier.report.seals_checked += 1
            if sealed != verifier.report.head:
                verifier.report.failure = Failure(
                    verifier.report.head_id,
                    "reordered",
                    None,
                    None,
                    "the log up to this sealed point differs from what was sealed",
                )
                break
        if progress is not None and verifier.report.events % 10_000 == 0:
            progress(verifier.report.events)
        current = following
    if verifier.report.ok and seals:
        missing = min(seals)
        verifier.report.failure = Failure(
            missing, "deleted", None, None, "a sealed event is no longer in the log"
        )
    return verifier.report


def _seals(pool: Pool) -> dict[int, bytes]:
    with pool.connection() as conn:
        rows = conn.execute(
            sql.SQL("SELECT up_to, log_hash FROM {}").format(sql.Identifier(SEALS_TABLE))
        ).fetchall()
    return {int(r["up_to"]): bytes(r["log_hash"]) for r in rows}


def seal(pool: Pool) -> dict[str, Any] | None:
    """Record the log hash at the newest event; answers the seal (None for an empty log)."""
    with pool.connection() as conn, conn.transaction():
        head = conn.execute(
            sql.SQL(
                "SELECT notification_id, log_hash, (SELECT count(*) FROM {0}) AS events"
                " FROM {0} ORDER BY notification_id DESC LIMIT 1"
            ).format(sql.Identifier(CHAIN_TABLE))
        ).fetchone()
        if head is None:
            return None
        row = conn.execute(
            sql.SQL(
                "INSERT INTO {} (up_to, log_hash, events) VALUES (%s, %s, %s)"
                " ON CONFLICT (up_to) DO UPDATE SET up_to = excluded.up_to"
                " RETURNING up_to, log_hash, events, sealed_at"
            ).format(sql.Identifier(SEALS_TABLE)),
            (head["notification_id"], head["log_hash"], head["events"]),
        ).fetchone()
    assert row is not None
    return {
        "up_to": int(row["up_to"]),
        "log_hash": bytes(row["log_hash"]).hex(),
        "events": int(row["events"]),
        "sealed_at": row["sealed_at"].isoformat(),
    }
