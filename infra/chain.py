"""Tamper evidence for the event store: a hash chain per stream, a running log hash, and seals.

A trigger on the events table gives every stored event, in the same transaction and in three
columns of its own row:
- ``prev_hash``: the hash of its predecessor in its aggregate's stream (zeros for version 1);
- ``event_hash`` = sha256(prev_hash ‖ originator_id ‖ version ‖ topic ‖ state);
- ``log_hash`` = sha256(previous log_hash ‖ notification_id ‖ event_hash), over the whole log in
  notification order, so removing, inserting or reordering any row breaks every later value.
``verify`` recomputes every hash from the events' content and only compares the stored ones,
so editing the hash columns is caught like editing the content. Seals record the log hash at a
notification id (taken and signed by infra/seals.py); they prove later that the log up to that
point has not been rewritten, even by someone who recomputed the chain.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from uuid import UUID

import psycopg
from psycopg import sql
from psycopg.rows import DictRow, tuple_row

from infra.postgres import Pool

ZERO = bytes(32)
HASH_COLUMNS = ("prev_hash", "event_hash", "log_hash")
SEALS_TABLE = "awards_seals"
# The service's events table (services.runtime.EVENTS_TABLE), for callers that do not name one.
EVENTS_TABLE = "awards_events"
# Where the hashes lived before they moved into the event rows; migrated and dropped by install.
LEGACY_CHAIN_TABLE = "awards_event_chain"
_INSTALL_LOCK = 7210302


def _install_sql(events: str) -> sql.Composed:
    return sql.SQL("""
CREATE TABLE IF NOT EXISTS {seals} (
    up_to bigint PRIMARY KEY,
    log_hash bytea NOT NULL,
    events bigint NOT NULL,
    sealed_at timestamptz NOT NULL DEFAULT now()
);
-- The signed seal file (infra/seals.py); empty for seals taken before seals were signed.
ALTER TABLE {seals} ADD COLUMN IF NOT EXISTS signed jsonb;
CREATE OR REPLACE FUNCTION awards_chain_event() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
    prev bytea;
    last_log bytea;
BEGIN
    -- Column defaults are applied before BEFORE ROW triggers run: NEW.notification_id is
    -- already drawn from its sequence here. Whatever hashes the INSERT supplied are replaced.
    SELECT event_hash INTO prev FROM {events}
     WHERE originator_id = NEW.originator_id AND originator_version = NEW.originator_version - 1;
    NEW.prev_hash := coalesce(prev, decode(repeat('00', 32), 'hex'));
    NEW.event_hash := sha256(NEW.prev_hash || uuid_send(NEW.originator_id)
                             || int8send(NEW.originator_version)
                             || convert_to(coalesce(NEW.topic, ''), 'UTF8')
                             || coalesce(NEW.state, ''));
    -- The library holds an exclusive lock on the events table while it inserts (so that
    -- notification ids are issued in commit order), so the newest chained row is the previous
    -- event in notification order and no other transaction can chain onto it at the same time.
    -- Rows of the same INSERT processed before this one are visible here. (The library's
    -- POSTGRES_ENABLE_DB_FUNCTIONS mode inserts without that lock: it must stay off.)
    SELECT log_hash INTO last_log FROM {events}
     WHERE log_hash IS NOT NULL ORDER BY notification_id DESC LIMIT 1;
    NEW.log_hash := sha256(coalesce(last_log, decode(repeat('00', 32), 'hex'))
                           || int8send(NEW.notification_id) || NEW.event_hash);
    RETURN NEW;
END
$fn$;
DROP TRIGGER IF EXISTS awards_chain_event ON {events};
CREATE TRIGGER awards_chain_event BEFORE INSERT ON {events}
    FOR EACH ROW EXECUTE FUNCTION awards_chain_event();
""").format(seals=sql.Identifier(SEALS_TABLE), events=sql.Identifier(events))


# A store that held events before the chain existed is chained as it stands, in one pass.
_RECOMPUTE = """
DO $fill$
DECLARE
    r record;
    prev bytea;
    digest bytea;
    last_log bytea := decode(repeat('00', 32), 'hex');
BEGIN
    FOR r IN SELECT notification_id, originator_id, originator_version, topic, state
               FROM {events} ORDER BY notification_id LOOP
        SELECT event_hash INTO prev FROM {events}
         WHERE originator_id = r.originator_id AND originator_version = r.originator_version - 1;
        prev := coalesce(prev, decode(repeat('00', 32), 'hex'));
        digest := sha256(prev || uuid_send(r.originator_id) || int8send(r.originator_version)
                         || convert_to(coalesce(r.topic, ''), 'UTF8') || coalesce(r.state, ''));
        last_log := sha256(last_log || int8send(r.notification_id) || digest);
        UPDATE {events} SET prev_hash = prev, event_hash = digest, log_hash = last_log
         WHERE notification_id = r.notification_id;
    END LOOP;
END
$fill$;
"""

# A store chained in the side table keeps exactly the hashes recorded there: each event gets
# the entry written for it (by stream and version), so an event edited, inserted or moved before
# the migration is still caught after it. Rows that already carry hashes are left alone.
_MIGRATE = """
UPDATE {events} AS e
   SET prev_hash = c.prev_hash, event_hash = c.event_hash, log_hash = c.log_hash
  FROM {legacy} AS c
 WHERE c.originator_id = e.originator_id AND c.originator_version = e.originator_version
   AND e.prev_hash IS NULL AND e.event_hash IS NULL AND e.log_hash IS NULL;
DROP TABLE {legacy};
"""


class ChainNotInstalled(RuntimeError):
    def __init__(self, events_table: str) -> None:
        super().__init__(
            f"the events in {events_table} carry no hashes yet: start the service once,"
            " it installs the chain (and migrates one kept in a side table)"
        )


def install(pool: Pool, events_table: str) -> None:
    """Add the hash columns and the trigger to the events table (idempotent; run before serving
    writes; safe from several processes at once).

    Migrates a store chained in the old side table (its hashes are copied into the rows, then
    the table is dropped), or chains a store that predates the chain, in the same transaction
    as the trigger is installed, with writers locked out."""
    events = sql.Identifier(events_table)
    with pool.connection() as conn, conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_INSTALL_LOCK,))
        state = conn.execute(
            "SELECT to_regclass(%(events)s) IS NOT NULL AS found,"
            " to_regclass(%(legacy)s) IS NOT NULL AS legacy,"
            " ARRAY(SELECT attname::text FROM pg_attribute WHERE attrelid = to_regclass(%(events)s)"
            "       AND attname = ANY(%(columns)s) AND NOT attisdropped) AS present",
            {
                "events": events.as_string(conn),
                "legacy": sql.Identifier(LEGACY_CHAIN_TABLE).as_string(conn),
                "columns": list(HASH_COLUMNS),
            },
        ).fetchone()
        assert state is not None
        if not state["found"]:
            raise RuntimeError(f"no table {events_table}: create the event store first")
        present = set(state["present"])
        if present != set(HASH_COLUMNS):
            # Only when a column is missing: ALTER TABLE waits for every reader to finish.
            conn.execute(
                sql.SQL("ALTER TABLE {} ").format(events)
                + sql.SQL(", ").join(
                    sql.SQL("ADD COLUMN IF NOT EXISTS {} bytea").format(sql.Identifier(c))
                    for c in HASH_COLUMNS
                )
            )
        elif state["legacy"]:
            conn.execute(sql.SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(events))
        conn.execute(_install_sql(events_table))
        if state["legacy"]:
            conn.execute(
                sql.SQL(_MIGRATE).format(events=events, legacy=sql.Identifier(LEGACY_CHAIN_TABLE))
            )
        elif not present:
            conn.execute(sql.SQL(_RECOMPUTE).format(events=events))


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
    """What a verification checked: ``head`` is the recomputed log hash at ``head_id`` (only
    for the whole log); ``last_event_hash`` is the newest checked event's own hash (for one
    stream, its head); ``matched_seals`` maps each seal that matched to the number of events up
    to it."""

    events: int = 0
    seals_checked: int = 0
    head: bytes = ZERO
    head_id: int = 0
    first_id: int = 0
    last_event_hash: bytes = ZERO
    last_version: int = 0
    matched_seals: dict[int, int] = field(default_factory=dict)
    failure: Failure | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None

    @property
    def skipped_ids(self) -> int:
        """Notification ids never used between the first and the newest checked event (a write
        that failed or rolled back draws an id too); the log chain runs across each gap."""
        return 0 if not self.events else self.head_id - self.first_id + 1 - self.events


class Row(NamedTuple):
    id: int
    originator_id: UUID
    originator_version: int
    topic: str | None
    state: bytes | None
    prev_hash: bytes | None
    event_hash: bytes | None
    log_hash: bytes | None


_COLUMNS = sql.SQL(
    "notification_id, originator_id, originator_version, topic, state,"
    " prev_hash, event_hash, log_hash"
)
_WHOLE_LOG = sql.SQL("SELECT {columns} FROM {events} ORDER BY notification_id")
# One stream, each event with the stored log hash of the chained event just before it in the log.
_ONE_STREAM = sql.SQL("""
SELECT {columns},
       (SELECT p.log_hash FROM {events} p
         WHERE p.notification_id < e.notification_id AND p.log_hash IS NOT NULL
         ORDER BY p.notification_id DESC LIMIT 1) AS before
  FROM {events} e WHERE originator_id = %s ORDER BY notification_id
""")


def _rows(
    pool: Pool, events_table: str, originator: UUID | None
) -> Generator[tuple[Any, ...], None, None]:
    """The stored events in notification order, as plain tuples in Row's order (plus, for one
    stream, the log hash before each): building a dict per row cost more than hashing it, and
    binary results spare decoding every bytea from hex."""
    events = sql.Identifier(events_table)
    params: tuple[Any, ...] = ()
    if originator is None:
        query = _WHOLE_LOG.format(columns=_COLUMNS, events=events)
    else:
        query, params = _ONE_STREAM.format(columns=_COLUMNS, events=events), (originator,)
    with (
        pool.connection() as conn,
        conn.transaction(),
        conn.cursor(name="verify", row_factory=tuple_row, binary=True) as cursor,
    ):
        cursor.itersize = 20_000
        try:
            cursor.execute(query, params)
        except psycopg.errors.UndefinedColumn:
            raise ChainNotInstalled(events_table) from None
        yield from cursor


@dataclass(frozen=True)
class _Suspect:
    """The first event whose stored hashes differ from the recomputed ones, and what it was
    checked against: the log hash before it and its stream's head (version, hash, id)."""

    row: Row
    before: bytes
    head: tuple[int, bytes, int] | None


class _Verifier:
    def __init__(self, whole_log: bool) -> None:
        self.whole_log = whole_log
        self.heads: dict[UUID, tuple[int, bytes, int]] = {}
        self.report = Report()
        self.suspect: _Suspect | None = None

    def check(self, values: tuple[Any, ...]) -> bool:
        """Recompute one event's hashes; True if the stored ones match and it follows on."""
        nid, originator, version, topic, state, stored_prev, stored_event, stored_log = values[:8]
        head = self.heads.get(originator)
        last_version, prev = (head[0], head[1]) if head is not None else (0, ZERO)
        digest = hashlib.sha256(
            prev
            + originator.bytes
            + version.to_bytes(8, "big", signed=True)
            + (topic or "").encode()
            + (state or b"")
        ).digest()
        before = self.report.head if self.whole_log else (values[8] or ZERO)
        chained = hashlib.sha256(before + nid.to_bytes(8, "big", signed=True) + digest).digest()
        if (
            version != last_version + 1
            or stored_prev != prev
            or stored_event != digest
            or stored_log != chained
        ):
            self.suspect = _Suspect(Row._make(values[:8]), before, head)
            return False
        self.heads[originator] = (version, digest, nid)
        report = self.report
        if self.whole_log:
            report.head = chained
        report.first_id = report.first_id or nid
        report.head_id, report.last_event_hash, report.last_version = nid, digest, version
        report.events += 1
        return True


_ROW = sql.SQL(
    "SELECT notification_id AS id, originator_id, originator_version, topic, state,"
    " prev_hash, event_hash, log_hash FROM {events} WHERE "
)
# Where the suspect's stored log hash was computed: at another position (`here`: it was moved
# from there), or right after an event that is no longer just before it (`after`).
_MOVED = sql.SQL("""
SELECT notification_id, here FROM (
    SELECT notification_id,
           sha256(coalesce(lag(log_hash) OVER (ORDER BY notification_id), %(zero)s)
                  || int8send(notification_id) || %(digest)s) = %(stored)s AS here,
           sha256(log_hash || int8send(%(nid)s::bigint) || %(digest)s) = %(stored)s AS after
      FROM {events}
) AS t
WHERE (here OR after) AND notification_id <> %(nid)s
ORDER BY notification_id LIMIT 1
""")


class _Classifier:
    """Names what happened to a suspect event. Runs once, after the scan, so it may query."""

    def __init__(
        self,
        conn: psycopg.Connection[DictRow],
        events_table: str,
        verifier: _Verifier,
        suspect: _Suspect,
    ) -> None:
        self.conn = conn
        self.events = sql.Identifier(events_table)
        self.whole_log = verifier.whole_log
        self.heads = verifier.heads
        self.suspect = suspect
        self.row = row = suspect.row
        self.last_version, self.prev, self.last_id = suspect.head or (0, ZERO, 0)
        self.digest = event_hash(
            self.prev, row.originator_id, row.originator_version, row.topic or "", row.state or b""
        )
        self.chained = log_hash(suspect.before, row.id, self.digest)
        self.following = self._fetch(
            "notification_id > %s ORDER BY notification_id LIMIT 1", row.id
        )

    def _fetch(self, where: str, *params: Any) -> Row | None:
        found = self.conn.execute(_ROW.format(events=self.events) + sql.SQL(where), params)
        values = found.fetchone()
        return None if values is None else Row(**values)

    def _failure(self, kind: str, detail: str, at: Row | None = None) -> Failure:
        at = at or self.row
        return Failure(at.id, kind, str(at.originator_id), at.originator_version, detail)

    def _next_chains_on(self, log_before: bytes, with_suspect: bool) -> bool:
        """Whether the next event's stored log hash was chained on ``log_before``; its own
        hash is recomputed as if the suspect were (or were not) in its stream."""
        following = self.following
        if following is None or following.log_hash is None:
            return False
        if with_suspect and following.originator_id == self.row.originator_id:
            prev = self.digest
        elif self.whole_log:
            prev = self.heads.get(following.originator_id, (0, ZERO, 0))[1]
        else:
            prev = following.prev_hash or ZERO
        digest = event_hash(
            prev,
            following.originator_id,
            following.originator_version,
            following.topic or "",
            following.state or b"",
        )
        return log_hash(log_before, following.id, digest) == following.log_hash

    def failure(self) -> Failure:
        row = self.row
        if row.prev_hash is None and row.event_hash is None and row.log_hash is None:
            if row.originator_version == self.last_version + 1 and self._next_chains_on(
                self.chained, with_suspect=True
            ):
                return self._failure("edited", "its stored hashes were erased")
            return self._failure(
                "inserted", "stored without hashes: written around the event store"
            )
        return self._stream_break() or self._content_break() or self._log_break()

    def _stream_break(self) -> Failure | None:
        row, last = self.row, self.last_version
        if row.originator_version <= last:
            return self._failure("reordered", f"it comes after version {last} of its stream")
        if row.originator_version > last + 1:
            missing = self._fetch(
                "originator_id = %s AND originator_version = %s", row.originator_id, last + 1
            )
            if missing is not None:
                return self._failure(
                    "reordered",
                    f"version {last + 1} of its stream is stored after it, as event {missing.id}",
                )
            return self._failure(
                "deleted", f"version {last + 1} of its stream, which comes before it, is missing"
            )
        if row.prev_hash == self.prev:
            return None
        consistent = (
            row.prev_hash is not None
            and row.event_hash is not None
            and row.event_hash
            == event_hash(
                row.prev_hash,
                row.originator_id,
                row.originator_version,
                row.topic or "",
                row.state or b"",
            )
        )
        predecessor = self._fetch("notification_id = %s", self.last_id) if self.last_id else None
        if consistent and predecessor is not None:
            # It is intact and was chained on another hash: its predecessor was rewritten.
            return self._failure(
                "edited",
                "rewritten together with its hashes: the next event of its stream,"
                f" {row.id}, was chained on a different one",
                at=predecessor,
            )
        return self._failure("edited", "its stored hash of the event before it was altered")

    def _content_break(self) -> Failure | None:
        if self.row.event_hash == self.digest:
            return None
        if self.row.log_hash == self.chained:
            return self._failure("edited", "its stored event hash was altered")
        return self._failure("edited", "its content no longer matches its hash")

    def _log_break(self) -> Failure:
        row = self.row
        if self._next_chains_on(self.suspect.before, with_suspect=False):
            return self._failure(
                "inserted",
                "the log chain skips over it: it was not in the log when the next event was"
                " written",
            )
        if self._next_chains_on(self.chained, with_suspect=True):
            return self._failure("edited", "its stored log hash was altered")
        successor = self._fetch(
            "originator_id = %s AND originator_version = %s",
            row.originator_id,
            row.originator_version + 1,
        )
        if (
            successor is not None
            and successor.prev_hash is not None
            and successor.prev_hash != self.digest
            and log_hash(self.suspect.before, row.id, successor.prev_hash) == row.log_hash
        ):
            return self._failure(
                "edited", "its content was changed and its event hash recomputed to match"
            )
        moved = self._moved()
        if moved is not None:
            return moved
        previous = self._fetch("notification_id < %s ORDER BY notification_id DESC LIMIT 1", row.id)
        if row.id != (previous.id if previous is not None else 0) + 1:
            return self._failure(
                "deleted", "the log chain breaks before it: an event before it was removed"
            )
        # Nothing fits between it and the event before it, so one of the two was rewritten
        # together with its hashes. If the next event chained on its stored log hash and its
        # stream vouches for it (or disowns the event before), that event was the one.
        if (
            previous is not None
            and row.log_hash is not None
            and self._next_chains_on(row.log_hash, with_suspect=True)
            and (
                self._successor_chains_on(row, self.digest, equal=True)
                or self._successor_chains_on(previous, previous.event_hash, equal=False)
            )
        ):
            return self._failure(
                "edited",
                f"rewritten together with its hashes: the next event, {row.id}, was chained"
                " on a different log hash",
                at=previous,
            )
        return self._failure(
            "edited",
            "its log hash does not follow from the event before it: it, or that event,"
            " was rewritten together with its hashes",
        )

    def _successor_chains_on(self, row: Row, digest: bytes | None, equal: bool) -> bool:
        """Whether the next event of ``row``'s stream was chained on ``digest`` (or, with
        ``equal`` false, on something else)."""
        successor = self._fetch(
            "originator_id = %s AND originator_version = %s",
            row.originator_id,
            row.originator_version + 1,
        )
        if successor is None or successor.prev_hash is None or digest is None:
            return False
        return (successor.prev_hash == digest) == equal

    def _moved(self) -> Failure | None:
        row = self.row
        if row.log_hash is None:
            return None
        found = self.conn.execute(
            _MOVED.format(events=self.events),
            {"zero": ZERO, "digest": self.digest, "stored": row.log_hash, "nid": row.id},
        ).fetchone()
        if found is None:
            return None
        where = int(found["notification_id"])
        if found["here"]:
            return self._failure("reordered", f"it was written as event {where} and moved here")
        if where > row.id:
            return self._failure(
                "reordered", f"the event written just before it has been moved to {where}"
            )
        slipped = self._fetch("notification_id > %s ORDER BY notification_id LIMIT 1", where)
        assert slipped is not None
        return self._failure(
            "inserted",
            f"it sits between events {where} and {row.id}, which were written one after the other",
            at=slipped,
        )


def verify(
    pool: Pool,
    events_table: str,
    originator: UUID | None = None,
    progress: Callable[[int], None] | None = None,
    expected_seals: Mapping[int, bytes] | None = None,
) -> Report:
    """Check every stored event (or one proposal's stream) against the chain and the seals.

    Every hash is recomputed from the events' content; the stored ones are only compared. The
    whole log is checked in notification order. One stream is checked on its own chain and each
    event against the stored log hash just before it: that catches its events being edited,
    moved or removed from between others, but only the whole log (or a seal) shows that its
    newest events were removed. ``expected_seals`` (notification id → log hash, e.g. from
    signed seal files) are checked beside the seals stored in the database."""
    verifier = _Verifier(whole_log=originator is None)
    report = verifier.report
    seals = _seals(pool, events_table) if originator is None else {}
    if originator is None and expected_seals:
        seals.update(expected_seals)
    rows = _rows(pool, events_table, originator)
    try:
        for values in rows:
            if not verifier.check(values):
                break
            sealed = seals.pop(report.head_id, None)
            if sealed is not None:
                report.seals_checked += 1
                if sealed != report.head:
                    report.failure = Failure(
                        report.head_id,
                        "reordered",
                        None,
                        None,
                        "the log up to this sealed point differs from what was sealed",
                    )
                    break
                report.matched_seals[report.head_id] = report.events
            if progress is not None and report.events % 10_000 == 0:
                progress(report.events)
    finally:
        rows.close()
    if verifier.suspect is not None:
        with pool.connection() as conn:
            report.failure = _Classifier(conn, events_table, verifier, verifier.suspect).failure()
    if report.ok and seals:
        missing = min(seals)
        report.failure = Failure(
            missing, "deleted", None, None, "a sealed event is no longer in the log"
        )
    return report


def _seals(pool: Pool, events_table: str) -> dict[int, bytes]:
    with pool.connection() as conn:
        try:
            rows = conn.execute(
                sql.SQL("SELECT up_to, log_hash FROM {}").format(sql.Identifier(SEALS_TABLE))
            ).fetchall()
        except psycopg.errors.UndefinedTable:
            raise ChainNotInstalled(events_table) from None
    return {int(r["up_to"]): bytes(r["log_hash"]) for r in rows}
