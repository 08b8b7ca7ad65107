"""The award register's use cases: what a nominee holds, and importing earlier years' awards
from Excel (all or nothing; the same file again changes nothing)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from eventsourcing.application import AggregateNotFoundError

from domain.eligibility.register import AwardEntry, NomineeRegister, register_id
from domain.kernel.actor import Actor
from infra.postgres import Pool
from services.application.proposals import AwardsApplication
from services.application.register_workbook import read_register_workbook
from services.projections.award_register import (
    RegisterFollower,
    entries,
    open_claims,
    write_entries,
)


@dataclass(frozen=True)
class Imported:
    entries: int  # rows in the workbook
    recorded: int  # entries new to the register
    nominees: int  # nominees whose register changed


class AwardRegister:
    """The register's tables (kept by the follower) and its imports (events per nominee)."""

    def __init__(self, pool: Pool, app: AwardsApplication) -> None:
        self._pool = pool
        self._app = app
        self.follower = RegisterFollower(pool, app)

    def ensure_schema(self) -> None:
        self.follower.ensure_schema()

    def entries_for(self, nominee: str, year: int | None = None) -> list[AwardEntry]:
        """Awards and titles the nominee holds (decided and imported), oldest first."""
        where, params = "nominee = %s", list[object]([nominee])
        if year is not None:
            where, params = "nominee = %s AND year = %s", [nominee, year]
        with self._pool.connection() as conn:
            return entries(conn, where, params)

    def entries_of_unit(self, unit: str, year: int | None = None) -> list[AwardEntry]:
        """Every entry of a unit and its people (a proposer reads its own unit's)."""
        where, params = "unit = %s", list[object]([unit])
        if year is not None:
            where, params = "unit = %s AND year = %s", [unit, year]
        with self._pool.connection() as conn:
            return entries(conn, where, params)

    def claims_for(self, nominee: str, but: str = "") -> list[AwardEntry]:
        """What the nominee holds and the proposals for it under way (but ``but``)."""
        with self._pool.connection() as conn:
            held = entries(conn, "nominee = %s", [nominee])
            pending = open_claims(conn, "nominee = %s AND proposal_id::text <> %s", [nominee, but])
        return [*held, *pending]

    def flags_taken(self, form: str, group: str, year: int) -> list[str]:
        """The group's Flags of ``form`` for ``year`` awarded or imported (one a nominee)."""
        with self._pool.connection() as conn:
            found = entries(conn, "code = %s AND grp = %s AND year = %s", [form, group, year])
        return sorted({entry.describe() for entry in found})

    def import_workbook(self, path: Path, actor: Actor, reason: str) -> Imported:
        """Import every entry of the workbook, or none (WorkbookRejected names each bad cell)."""
        workbook = read_register_workbook(path)
        by_nominee: dict[str, list[AwardEntry]] = {}
        for entry in workbook.entries:
            by_nominee.setdefault(entry.nominee, []).append(entry)
        changed: list[NomineeRegister] = []
        recorded = 0
        for nominee, found in by_nominee.items():
            register = self._register(nominee, actor, workbook.sha256)
            fresh = len(register.new_entries(found))
            if register.import_entries(found, workbook.sha256, reason, actor, workbook.sha256):
                changed.append(register)
                recorded += fresh
        if changed:
            self._app.save(*changed)  # one transaction: every nominee's entries or none
        # The table is written after the events (a retry of the same file completes it).
        with self._pool.connection() as conn, conn.transaction():
            write_entries(conn, workbook.entries)
        return Imported(len(workbook.entries), recorded, len(changed))

    def _register(self, nominee: str, actor: Actor, key: str) -> NomineeRegister:
        try:
            found: NomineeRegister = self._app.repository.get(register_id(nominee))
        except AggregateNotFoundError:  # nothing imported for this nominee yet
            return NomineeRegister.open(nominee, actor, f"open:{key}")
        return found
