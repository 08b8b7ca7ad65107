"""Holds on nominees: record one, release one by its id, read a nominee's (the complaint's
effect on proposals under way is services.application.eligibility.record_hold)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from eventsourcing.application import AggregateNotFoundError

from domain.eligibility.holds import Hold, HoldKind, NomineeHolds, holds_id
from domain.kernel.actor import Actor
from domain.kernel.errors import DomainError
from infra.postgres import Pool
from services.application.proposals import AwardsApplication

SCHEMA = """
-- Which nominee a hold belongs to, so that a hold is released by its id alone.
CREATE TABLE IF NOT EXISTS awards_holds_index (
    hold_id text PRIMARY KEY,
    nominee text NOT NULL
);
"""


class NoSuchHold(DomainError):
    code = "not-found"


@dataclass(frozen=True)
class HoldRecord:
    nominee: str
    kind: HoldKind
    reason: str
    reference: str
    start: date
    until: date | None = None


class Holds:
    """The nominees' holds: events of NomineeHolds, and an index from hold id to nominee."""

    def __init__(self, pool: Pool, app: AwardsApplication) -> None:
        self._pool = pool
        self._app = app

    def ensure_schema(self) -> None:
        with self._pool.connection() as conn:
            conn.execute(SCHEMA)

    def of(self, nominee: str) -> list[Hold]:
        found = self._load(nominee)
        return list(found.holds) if found else []

    def record(self, record: HoldRecord, actor: Actor, key: str) -> Hold:
        holds = self._load(record.nominee) or NomineeHolds.open(
            record.nominee, actor, f"open:{key}"
        )
        hold_id = holds.record(
            record.kind, record.reason, record.reference, record.start, record.until, actor, key
        )
        self._app.save(holds)
        # After the event: a retry with the same key writes the index row it may have missed.
        with self._pool.connection() as conn:
            conn.execute(
                "INSERT INTO awards_holds_index (hold_id, nominee) VALUES (%s, %s)"
                " ON CONFLICT DO NOTHING",
                (hold_id, record.nominee),
            )
        return holds.hold(hold_id)

    def nominee_of(self, hold_id: str) -> str:
        with self._pool.connection() as conn:
            row = conn.execute(
                "SELECT nominee FROM awards_holds_index WHERE hold_id = %s", (hold_id,)
            ).fetchone()
        if row is None:
            raise NoSuchHold("no hold {id}", id=hold_id)
        return str(row["nominee"])

    def release(self, hold_id: str, reason: str, ended_on: date, actor: Actor, key: str) -> Hold:
        holds = self._load(self.nominee_of(hold_id))
        if holds is None:
            raise NoSuchHold("no hold {id}", id=hold_id)
        holds.release(hold_id, reason, ended_on, actor, key)
        self._app.save(holds)
        return holds.hold(hold_id)

    def _load(self, nominee: str) -> NomineeHolds | None:
        try:
            found: NomineeHolds = self._app.repository.get(holds_id(nominee))
        except AggregateNotFoundError:
            return None
        return found
