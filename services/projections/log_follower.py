"""Follows the event log into the proposal list: in batches, gap-tolerant, never stopped by one
event; and rebuilds the list from zero beside the live one, swapping it in at the end."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any
from uuid import UUID

import psycopg
from eventsourcing.persistence import Notification
from psycopg.rows import DictRow

from infra.postgres import Pool
from services.application.proposals import AwardsApplication
from services.projections.proposal_list import (
    NAME,
    TABLE,
    load_rows,
    rename_table,
    table_schema,
    write_rows,
)
from services.projections.proposal_rows import ProposalRow, apply, storable

log = logging.getLogger(__name__)

_LOCK = 7_210_301  # advisory lock: one writer of the list at a time, across processes
_REBUILD_LOCK = 7_210_302  # one rebuild at a time
_BATCH = 1_000
_REBUILD_BATCH = 5_000
_REBUILD = f"{NAME}:rebuild"
_SHADOW = f"{TABLE}_rebuild"
# Only a proposal's events change the list; the topic says so before anything is decoded.
_PROPOSAL_TOPIC = ":Proposal."

Connection = psycopg.Connection[DictRow]
Progress = Callable[[int, int], None]


class LogFollower:
    """Applies notifications past the stored position to the rows they change. The position
    is stored in the transaction that writes the rows; ids are read as `> position`, so the
    gaps that failed writes leave in notification ids are simply passed over."""

    def __init__(self, pool: Pool, app: AwardsApplication) -> None:
        self._pool = pool
        self._app = app

    # ---- following -----------------------------------------------------------------------

    def catch_up(self, limit: int = _BATCH) -> int:
        """Apply every notification past the position; answers how many were read."""
        read = 0
        while True:
            with self._pool.connection() as conn, conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
                count = self._batch(conn, TABLE, NAME, limit)
            read += count
            if count < limit:
                return read

    def follow(self, stop: threading.Event, idle_s: float = 1.0) -> None:
        """Catch up whenever the event store notifies a write (or every idle_s), until stop."""
        channel = f"{self._app.name}_events"  # eventsourcing's NOTIFY channel: the table name
        while not stop.is_set():
            try:
                with self._pool.connection() as listener:
                    listener.execute(f'LISTEN "{channel}"')
                    try:
                        while not stop.is_set():
                            self.catch_up()
                            for _ in listener.notifies(timeout=idle_s, stop_after=1):
                                pass
                    finally:
                        listener.execute("UNLISTEN *")  # the connection goes back to the pool
            except psycopg.OperationalError as error:  # the database is away: say so, retry
                log.error("the proposal list cannot reach the database (%s); retrying", error)
                stop.wait(2.0)
            except Exception:
                log.exception("the proposal list cannot follow the event log; retrying")
                stop.wait(2.0)

    # ---- one batch -----------------------------------------------------------------------

    def _batch(self, conn: Connection, table: str, name: str, limit: int) -> int:
        row = conn.execute(
            "SELECT position FROM awards_projection_position WHERE name = %s", (name,)
        ).fetchone()
        position = int(row["position"]) if row else 0
        notes = self._app.recorder.select_notifications(
            start=position, limit=limit, inclusive_of_start=False
        )
        if not notes:
            return 0
        ours = [note for note in notes if _PROPOSAL_TOPIC in note.topic]
        try:
            with conn.transaction():  # a savepoint: a failed batch is retried event by event
                self._apply(conn, table, name, ours)
        except Exception:  # most often text PostgreSQL cannot hold; found out event by event
            for note in ours:
                self._apply_one(conn, table, name, note)
        conn.execute(
            "INSERT INTO awards_projection_position (name, position) VALUES (%s, %s)"
            " ON CONFLICT (name) DO UPDATE SET position = excluded.position",
            (name, notes[-1].id),
        )
        return len(notes)

    def _apply(
        self, conn: Connection, table: str, name: str, notes: Sequence[Notification]
    ) -> None:
        events: list[Any] = []
        for note in notes:
            try:
                events.append(self._app.mapper.to_domain_event(note))
            except Exception as error:  # an event no code can read: recorded, not fatal
                _record_failure(conn, name, note, error)
        created = {e.originator_id for e in events if type(e).__name__ == "Nominated"}
        rows = load_rows(conn, table, {e.originator_id for e in events} - created)
        changed: dict[UUID, ProposalRow] = {}
        for event in events:
            try:
                after = apply(rows.get(event.originator_id), event)
            except Exception as error:
                _record_failure(conn, name, _note_of(notes, event), error)
                continue
            if after is not None:
                rows[event.originator_id] = changed[event.originator_id] = after
        write_rows(conn, table, changed.values())

    def _apply_one(self, conn: Connection, table: str, name: str, note: Notification) -> None:
        try:
            with conn.transaction():
                self._apply(conn, table, name, [note])
        except Exception as error:
            _record_failure(conn, name, note, error)

    # ---- rebuilding ----------------------------------------------------------------------

    def rebuild(self, progress: Progress | None = None) -> int:
        """Fill a new list from the first event while the live one keeps serving, then swap
        it in under the followers' lock; answers how many notifications were read."""
        with self._pool.connection() as guard:
            got = guard.execute("SELECT pg_try_advisory_lock(%s) AS got", (_REBUILD_LOCK,))
            if not (row := got.fetchone()) or not row["got"]:
                raise RuntimeError("another rebuild of the proposal list is running")
            try:
                return self._rebuild(progress)
            finally:
                guard.execute("SELECT pg_advisory_unlock(%s)", (_REBUILD_LOCK,))

    def _rebuild(self, progress: Progress | None) -> int:
        with self._pool.connection() as conn, conn.transaction():
            conn.execute(f'DROP TABLE IF EXISTS "{_SHADOW}"')
            conn.execute(table_schema(_SHADOW))
            conn.execute("DELETE FROM awards_projection_position WHERE name = %s", (_REBUILD,))
            conn.execute("DELETE FROM awards_projection_failures WHERE name = %s", (_REBUILD,))
        head = self._app.recorder.max_notification_id() or 0
        read = 0
        while True:
            with self._pool.connection() as conn, conn.transaction():
                count = self._batch(conn, _SHADOW, _REBUILD, _REBUILD_BATCH)
            read += count
            if progress is not None:
                progress(read, head)
            if count < _REBUILD_BATCH:
                break
        with self._pool.connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
            while count := self._batch(conn, _SHADOW, _REBUILD, _REBUILD_BATCH):
                read += count
            conn.execute(f'DROP TABLE "{TABLE}"')
            rename_table(conn, _SHADOW, TABLE)
            conn.execute("DELETE FROM awards_projection_failures WHERE name = %s", (NAME,))
            conn.execute(
                "UPDATE awards_projection_failures SET name = %s WHERE name = %s", (NAME, _REBUILD)
            )
            conn.execute("DELETE FROM awards_projection_position WHERE name = %s", (NAME,))
            conn.execute(
                "UPDATE awards_projection_position SET name = %s WHERE name = %s", (NAME, _REBUILD)
            )
        return read


def _note_of(notes: Sequence[Notification], event: Any) -> Notification:
    for note in notes:
        if note.originator_id == event.originator_id and (
            note.originator_version == event.originator_version
        ):
            return note
    return notes[0]


def _record_failure(conn: Connection, name: str, note: Notification, error: BaseException) -> None:
    log.error(
        "projection %s could not apply notification %s (%s of %s): %s",
        name,
        note.id,
        note.topic,
        note.originator_id,
        error,
    )
    conn.execute(
        "INSERT INTO awards_projection_failures"
        " (name, notification_id, originator_id, topic, error) VALUES (%s, %s, %s, %s, %s)"
        " ON CONFLICT (name, notification_id) DO UPDATE SET error = excluded.error,"
        " failed_at = now()",
        (
            name,
            note.id,
            str(note.originator_id),
            storable(note.topic),
            storable(f"{type(error).__name__}: {error}"[:2000]),
        ),
    )
