"""Organisation: the organisation years as use cases over the event store, and their read
model in PostgreSQL (one set of rows per year) that the directory's lookups answer from.

Each write saves the year's events, then rewrites that year's rows in one transaction. A
process that stops between the two leaves the rows one version behind; `catch_up()` (run at
start-up) rewrites every year whose rows are older than its events."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError

from domain.kernel.actor import Actor
from domain.kernel.errors import DomainError, InvalidInput
from domain.organisation.aggregate import (
    FIRST_YEAR,
    LAST_YEAR,
    OrganisationYear,
    check_year,
    year_id,
)
from domain.organisation.values import Council, Group, OrgContent, Person, Unit
from infra.postgres import Pool
from services.application.org_rows import (
    ensure_schema,
    projected_versions,
    recorded_years,
    stored_versions,
    write_year,
)

_CONFLICT_RETRIES = 5


@dataclass(frozen=True)
class OrgYear:
    """One year's organisation as recorded (a read view)."""

    year: int
    content: OrgContent
    version: int
    copied_from: int | None = None

    @property
    def units(self) -> tuple[Unit, ...]:
        return self.content.units

    @property
    def groups(self) -> tuple[Group, ...]:
        return self.content.groups

    @property
    def council(self) -> Council:
        return self.content.council

    @property
    def people(self) -> tuple[Person, ...]:
        return self.content.people

    def unit(self, unit_id: str) -> Unit | None:
        return self.content.unit(unit_id)

    def group(self, group_id: str) -> Group | None:
        return self.content.group(group_id)

    def group_of(self, unit_id: str) -> Group | None:
        return self.content.group_of(unit_id)

    def person(self, username: str) -> Person | None:
        return self.content.person(username)


Change = Callable[[OrganisationYear], bool]


class Organisation:
    def __init__(self, app: Application[Any], pool: Pool) -> None:
        self._app = app
        self.pool = pool

    def ensure_schema(self) -> None:
        ensure_schema(self.pool)

    # ---- reading -------------------------------------------------------------------------

    def years(self) -> list[int]:
        """The recorded years, oldest first."""
        return recorded_years(self.pool)

    def year(self, y: int) -> OrgYear | None:
        """Exactly that year, or None when it was never recorded."""
        found = self._aggregate(y)
        return _view(found) if found else None

    def in_force(self, y: int) -> OrgYear | None:
        """The latest recorded year up to ``y``: the organisation stays as it was until a
        later year is recorded."""
        found = self.year_in_force(y)
        return None if found is None else self.year(found)

    def year_in_force(self, y: int) -> int | None:
        """Which recorded year is in force for ``y`` (what a proposal of ``y`` shows)."""
        earlier = [year for year in self.years() if year <= y]
        return earlier[-1] if earlier else None

    def _aggregate(self, y: int) -> OrganisationYear | None:
        try:
            found: object = self._app.repository.get(year_id(y))
        except AggregateNotFoundError:
            return None
        return found if isinstance(found, OrganisationYear) else None

    # ---- writing -------------------------------------------------------------------------

    def open_year(
        self,
        year: int,
        content: OrgContent,
        actor: Actor,
        reason: str,
        key: str,
        copied_from: int | None = None,
    ) -> bool:
        """Record a new year; answers False when it exists already (unchanged)."""
        if self._aggregate(year) is not None:
            return False
        opened = OrganisationYear.open(year, content, actor, reason, key, copied_from)
        try:
            self._app.save(opened)
        except IntegrityError:
            return False  # opened by someone else at the same moment
        self._project(opened)
        return True

    def import_year(
        self, year: int, content: OrgContent, sha256: str, actor: Actor, reason: str, key: str
    ) -> bool:
        """A workbook's content as the whole year; answers whether anything was recorded."""
        check_year(year)
        if self._aggregate(year) is None and self.open_year(year, content, actor, reason, key):
            return True
        return self.change(year, lambda y: y.import_content(content, sha256, actor, reason, key))

    def change(self, year: int, act: Change, copy_missing: bool = False) -> bool:
        """Apply one edit to the year (retried on a concurrent write); with ``copy_missing``
        a year not recorded yet is first opened as a copy of the latest earlier year."""
        for _ in range(_CONFLICT_RETRIES):
            aggregate = self._aggregate(year)
            if aggregate is None and copy_missing:
                aggregate = self._copy(year)
            if aggregate is None:
                raise DomainError("the organisation of {year} is not recorded", year=year)
            if not act(aggregate):
                return False
            try:
                self._app.save(aggregate)
            except IntegrityError:
                continue
            self._project(aggregate)
            return True
        raise DomainError("the organisation of {year} kept changing; try again", year=year)

    def _copy(self, year: int) -> OrganisationYear | None:
        """A new year as a copy of the latest earlier one, not saved yet."""
        check_year(year)
        earlier = self.in_force(year - 1)
        if earlier is None:
            return None
        copied = OrganisationYear.open(
            year,
            earlier.content,
            Actor("system", "system"),
            f"copied from {earlier.year}",
            f"copy:{earlier.year}:{earlier.version}",
            earlier.year,
        )
        return copied

    def record_election(
        self,
        year: int,
        group_id: str,
        head: str,
        deputy: str,
        actor: Actor,
        reason: str,
        key: str,
    ) -> None:
        """The head and deputy of ``group_id`` for ``year``, elected at the conference of the
        year before; a year not recorded yet starts as a copy of the latest earlier one."""
        self.elect(year, group_id, head, deputy, actor, reason, key)

    def elect(
        self,
        year: int,
        group_id: str,
        head: str,
        deputy: str,
        actor: Actor,
        reason: str,
        key: str,
    ) -> bool:
        """`record_election`, answering whether anything was recorded."""
        act: Change = lambda y: y.elect(group_id, head, deputy, actor, reason, key)  # noqa: E731
        return self.change(year, act, copy_missing=True)

    def add_person(self, y: int, person: Person, actor: Actor, reason: str, key: str) -> None:
        """A person added to the year in force in ``y`` (a first year when none is recorded)."""
        in_force = [year for year in self.years() if year <= y]
        if not in_force:
            self.open_year(y, OrgContent(people=(person,)), actor, reason, key)
            return
        self.change(in_force[-1], lambda found: found.set_person(person, actor, reason, key))

    def add_member(
        self, year: int, group_id: str, unit_id: str, actor: Actor, reason: str, key: str
    ) -> bool:
        def act(found: OrganisationYear) -> bool:
            group = _group(found, group_id)
            members = tuple(dict.fromkeys((*group.members, unit_id)))
            return found.set_group(replace(group, members=members), actor, reason, key)

        return self.change(year, act)

    def remove_member(
        self, year: int, group_id: str, unit_id: str, actor: Actor, reason: str, key: str
    ) -> bool:
        """A unit out of a group; it stops being its head or deputy too."""

        def act(found: OrganisationYear) -> bool:
            group = _group(found, group_id)
            left = replace(
                group,
                members=tuple(m for m in group.members if m != unit_id),
                head=None if group.head == unit_id else group.head,
                deputy=None if group.deputy == unit_id else group.deputy,
            )
            return found.set_group(left, actor, reason, key)

        return self.change(year, act)

    def set_person(self, year: int, person: Person, actor: Actor, reason: str, key: str) -> bool:
        return self.change(year, lambda found: found.set_person(person, actor, reason, key))

    # ---- the read model ------------------------------------------------------------------

    def _project(self, aggregate: OrganisationYear) -> None:
        write_year(self.pool, aggregate.year, aggregate.version, aggregate.content)

    def catch_up(self) -> int:
        """Rewrite the rows of every year whose events are newer than its rows (a process
        stopped between saving and projecting); answers how many years were rewritten."""
        ids = {year_id(y): y for y in range(FIRST_YEAR, LAST_YEAR + 1)}
        stored = stored_versions(self.pool, f"{self._app.name}_events", list(ids))
        projected = projected_versions(self.pool)
        stale = [ids[i] for i, version in stored.items() if projected.get(ids[i]) != version]
        for y in stale:
            aggregate = self._aggregate(y)
            if aggregate is not None:
                self._project(aggregate)
        return len(stale)


def _group(year: OrganisationYear, group_id: str) -> Group:
    group = year.content.group(group_id)
    if group is None:
        raise InvalidInput("no cluster or block {group} in this year", group=group_id)
    return group


def _view(aggregate: OrganisationYear) -> OrgYear:
    return OrgYear(aggregate.year, aggregate.content, aggregate.version, aggregate.copied_from)
