"""The award register's tables: entries held (decided by VUSTA, or imported), and every
proposal's claim on its nominee's achievement while it is under way. Decided entries and
claims follow the event log (LogFollower's loop, a position of its own); an event that cannot
be stored is recorded in awards_projection_failures (``awards projections status``, /health)
and the follower goes on."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from eventsourcing.persistence import Notification

from domain.eligibility.identity import nominee_key, normalised, unit_of
from domain.eligibility.register import AwardEntry, Source
from domain.proposal.states import DecisionOutcome
from domain.voting.ballot import Outcome
from services.projections.log_follower import Connection, LogFollower, _record_failure
from services.projections.proposal_rows import storable

NAME = "award_register"
_LOCK = 7_210_305  # one writer of the register's tables at a time, across processes
_BATCH = 1_000
# A single-proposal decision, and the proposals on a decision for many (--- decide ---).
_DECIDED = ("Decided", "DecidedByDecision")
_PROPOSAL_TOPIC = ":Proposal."

SCHEMA = """
CREATE TABLE IF NOT EXISTS awards_register (
    nominee text NOT NULL,
    unit text NOT NULL,
    year integer NOT NULL,
    code text NOT NULL,
    achievement text NOT NULL,
    achievement_key text NOT NULL,
    source text NOT NULL,
    reference text NOT NULL,
    grp text NOT NULL,
    PRIMARY KEY (nominee, year, code, achievement_key, reference)
);
CREATE INDEX IF NOT EXISTS awards_register_unit ON awards_register (unit, year);
CREATE INDEX IF NOT EXISTS awards_register_group ON awards_register (grp, year, code);
-- A proposal's claim on its nominee's achievement: open until withdrawn, rejected or decided.
CREATE TABLE IF NOT EXISTS awards_register_claims (
    proposal_id uuid PRIMARY KEY,
    nominee text NOT NULL,
    year integer NOT NULL,
    form text NOT NULL,
    achievement text NOT NULL,
    grp text NOT NULL,
    open boolean NOT NULL
);
CREATE INDEX IF NOT EXISTS awards_register_claims_nominee ON awards_register_claims (nominee);
"""

_ENTRY_COLUMNS = "nominee, year, code, achievement, source, reference, grp"


def write_entries(conn: Connection, entries: Iterable[AwardEntry]) -> None:
    """Store entries; one stored already (same identity) is left as it is."""
    with conn.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO awards_register (nominee, unit, year, code, achievement,"
            " achievement_key, source, reference, grp) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT DO NOTHING",
            [
                (
                    storable(e.nominee),
                    storable(unit_of(e.nominee)),
                    e.year,
                    storable(e.code),
                    storable(e.achievement),
                    storable(normalised(e.achievement)),
                    e.source.value,
                    storable(e.reference),
                    storable(e.group),
                )
                for e in entries
            ],
        )


def entry_of(row: dict[str, Any]) -> AwardEntry:
    return AwardEntry(
        nominee=row["nominee"],
        year=row["year"],
        code=row["code"],
        achievement=row["achievement"],
        source=Source(row["source"]),
        reference=row["reference"],
        group=row["grp"],
    )


def entries(conn: Connection, where: str, params: Sequence[Any]) -> list[AwardEntry]:
    rows = conn.execute(
        f"SELECT {_ENTRY_COLUMNS} FROM awards_register WHERE {where}"
        " ORDER BY year, code, reference",
        params,
    ).fetchall()
    return [entry_of(row) for row in rows]


def open_claims(conn: Connection, where: str, params: Sequence[Any]) -> list[AwardEntry]:
    """Proposals under way, as entries of source ``proposed`` (the reference: their id)."""
    rows = conn.execute(
        "SELECT proposal_id, nominee, year, form, achievement, grp FROM awards_register_claims"
        f" WHERE open AND {where} ORDER BY year, proposal_id",
        params,
    ).fetchall()
    return [
        AwardEntry(
            row["nominee"],
            row["year"],
            row["form"],
            row["achievement"],
            Source.PROPOSED,
            str(row["proposal_id"]),
            row["grp"],
        )
        for row in rows
    ]


class RegisterFollower(LogFollower):
    """Follows the log into the register's tables."""

    def ensure_schema(self) -> None:
        with self._pool.connection() as conn, conn.transaction():
            conn.execute(SCHEMA)

    def catch_up(self, limit: int = _BATCH) -> int:
        read = 0
        while True:
            with self._pool.connection() as conn, conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
                count = self._register_batch(conn, limit)
            read += count
            if count < limit:
                return read

    def _register_batch(self, conn: Connection, limit: int) -> int:
        row = conn.execute(
            "SELECT position FROM awards_projection_position WHERE name = %s", (NAME,)
        ).fetchone()
        position = int(row["position"]) if row else 0
        notes = self._app.recorder.select_notifications(
            start=position, limit=limit, inclusive_of_start=False
        )
        for note in notes:
            if _PROPOSAL_TOPIC not in note.topic:
                continue
            try:
                with conn.transaction():  # a savepoint: one bad event is recorded, not fatal
                    self._apply_event(conn, note)
            except Exception as error:
                _record_failure(conn, NAME, note, error)
        if notes:
            conn.execute(
                "INSERT INTO awards_projection_position (name, position) VALUES (%s, %s)"
                " ON CONFLICT (name) DO UPDATE SET position = excluded.position",
                (NAME, notes[-1].id),
            )
        return len(notes)

    def _apply_event(self, conn: Connection, note: Notification) -> None:
        kind = note.topic.rpartition(".")[2]
        if kind not in ("Nominated", "Withdrawn", "VoteClosed", "Revoked", *_DECIDED):
            return
        event: Any = self._app.mapper.to_domain_event(note)
        pid = event.originator_id
        if kind == "Nominated":
            conn.execute(
                "INSERT INTO awards_register_claims (proposal_id, nominee, year, form,"
                " achievement, grp, open) VALUES (%s, %s, %s, %s, %s, %s, true)"
                " ON CONFLICT (proposal_id) DO NOTHING",
                (
                    pid,
                    storable(nominee_key(event.nominee, event.proposing_unit)),
                    event.year,
                    storable(event.form),
                    storable(event.title),
                    storable(event.cluster),
                ),
            )
            return
        if kind == "VoteClosed" and event.outcome == Outcome.APPROVED:
            return
        claim = conn.execute(
            "UPDATE awards_register_claims SET open = false WHERE proposal_id = %s"
            " RETURNING nominee, year, form, achievement, grp",
            (pid,),
        ).fetchone()
        if kind in _DECIDED and event.outcome == DecisionOutcome.AWARDED and claim:
            entry = AwardEntry(
                claim["nominee"],
                claim["year"],
                claim["form"],
                claim["achievement"],
                Source.DECIDED,
                str(event.number),
                claim["grp"],
            )
            write_entries(conn, [entry])
        if kind == "Revoked" and claim:  # --- publish ---: the award stays, its revocation beside
            revoked = AwardEntry(
                claim["nominee"],
                claim["year"],
                claim["form"],
                claim["achievement"],
                Source.REVOKED,
                f"{event.number} (revokes {event.cites_number})",
                claim["grp"],
            )
            write_entries(conn, [revoked])
