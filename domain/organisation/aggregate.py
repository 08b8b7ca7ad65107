"""OrganisationYear: the organisation of one emulation year, opened, imported and edited as
events, each naming who, in which role, why, and its idempotency key."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Any, TypeVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.kernel.actor import Actor
from domain.kernel.errors import InvalidInput
from domain.kernel.message import Message
from domain.organisation.rules import check
from domain.organisation.values import Council, Group, OrgContent, Person, Unit

T = TypeVar("T")
FIRST_YEAR, LAST_YEAR = 1990, 2100  # VUSTA was founded in 1983; a typo should not open 20026


def year_id(year: int) -> UUID:
    """One aggregate per year, found without an index."""
    return uuid5(NAMESPACE_URL, f"urn:awards:organisation-year:{year}")


def _known(found: T | None, kind: str, name: str) -> T:
    if found is None:
        raise InvalidInput(
            "no {kind} {name} in this year", kind=Message.term("entity", kind), name=name
        )
    return found


def check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput(
            "an emulation year lies between {first} and {last}; {year} does not",
            first=FIRST_YEAR,
            last=LAST_YEAR,
            year=year,
        )


class OrganisationYear(Aggregate):
    """A year copied from an earlier one keeps no link to it: regrouping this year leaves the
    earlier year's events, and so its organisation, as they were."""

    class Opened(Aggregate.Created):
        year: int
        content: dict[str, Any]
        copied_from: int | None
        actor_id: str
        actor_role: str
        reason: str
        key: str

    class Imported(Aggregate.Event):
        content: dict[str, Any]
        sha256: str  # of the workbook file the content was read from
        actor_id: str
        actor_role: str
        reason: str
        key: str

    class UnitSet(Aggregate.Event):
        unit: dict[str, Any]
        actor_id: str
        actor_role: str
        reason: str
        key: str

    class UnitRemoved(Aggregate.Event):
        unit_id: str
        actor_id: str
        actor_role: str
        reason: str
        key: str

    class GroupSet(Aggregate.Event):
        group: dict[str, Any]
        actor_id: str
        actor_role: str
        reason: str
        key: str

    class GroupRemoved(Aggregate.Event):
        group_id: str
        actor_id: str
        actor_role: str
        reason: str
        key: str

    class PersonSet(Aggregate.Event):
        person: dict[str, Any]
        actor_id: str
        actor_role: str
        reason: str
        key: str

    class PersonRemoved(Aggregate.Event):
        username: str
        actor_id: str
        actor_role: str
        reason: str
        key: str

    class CouncilSet(Aggregate.Event):
        council: dict[str, Any]
        actor_id: str
        actor_role: str
        reason: str
        key: str

    class LeadershipElected(Aggregate.Event):
        group_id: str
        head: str
        deputy: str
        actor_id: str
        actor_role: str
        reason: str
        key: str

    @event(Opened)
    def __init__(
        self,
        *,
        id: UUID,
        year: int,
        content: dict[str, Any],
        copied_from: int | None,
        actor_id: str,
        actor_role: str,
        reason: str,
        key: str,
    ) -> None:
        self.year = year
        self.content = OrgContent.from_json(content)
        self.copied_from = copied_from
        self.keys: list[str] = [key]

    @classmethod
    def open(
        cls,
        year: int,
        content: OrgContent,
        actor: Actor,
        reason: str,
        key: str,
        copied_from: int | None = None,
    ) -> OrganisationYear:
        check_year(year)
        check(content)
        return cls(
            id=year_id(year),
            year=year,
            content=content.to_json(),
            copied_from=copied_from,
            actor_id=actor.id,
            actor_role=actor.role,
            reason=reason,
            key=key,
        )

    # ---- commands: check, then record; each answers whether it recorded an event ---------
    # A key seen before records nothing (a retried request), and so does a change that
    # leaves the content as it is.

    def import_content(
        self, content: OrgContent, sha256: str, actor: Actor, reason: str, key: str
    ) -> bool:
        """The whole year replaced by a workbook's content."""
        return self._edit(
            content, key, actor, reason, partial(self._imported, content.to_json(), sha256)
        )

    def set_unit(self, unit: Unit, actor: Actor, reason: str, key: str) -> bool:
        changed = self.content.with_unit(unit)
        return self._edit(changed, key, actor, reason, partial(self._unit_set, unit.to_json()))

    def remove_unit(self, unit_id: str, actor: Actor, reason: str, key: str) -> bool:
        if self._seen(key):
            return False
        _known(self.content.unit(unit_id), "unit", unit_id)
        users = [p.username for p in self.content.people if p.unit_id == unit_id]
        groups = [g.id for g in self.content.groups if unit_id in g.members]
        if users or groups:
            raise InvalidInput(
                "unit {unit} still has people or groups ({names}): move them first",
                unit=unit_id,
                names=", ".join(users + groups),
            )
        changed = self.content.without_unit(unit_id)
        return self._edit(changed, key, actor, reason, partial(self._unit_removed, unit_id))

    def set_group(self, group: Group, actor: Actor, reason: str, key: str) -> bool:
        changed = self.content.with_group(group)
        return self._edit(changed, key, actor, reason, partial(self._group_set, group.to_json()))

    def remove_group(self, group_id: str, actor: Actor, reason: str, key: str) -> bool:
        if self._seen(key):
            return False
        _known(self.content.group(group_id), "group", group_id)
        changed = self.content.without_group(group_id)
        return self._edit(changed, key, actor, reason, partial(self._group_removed, group_id))

    def set_person(self, person: Person, actor: Actor, reason: str, key: str) -> bool:
        changed = self.content.with_person(person)
        return self._edit(changed, key, actor, reason, partial(self._person_set, person.to_json()))

    def remove_person(self, username: str, actor: Actor, reason: str, key: str) -> bool:
        if self._seen(key):
            return False
        _known(self.content.person(username), "person", username)
        changed = self.content.without_person(username)
        return self._edit(changed, key, actor, reason, partial(self._person_removed, username))

    def set_council(self, council: Council, actor: Actor, reason: str, key: str) -> bool:
        changed = replace(self.content, council=council)
        return self._edit(
            changed, key, actor, reason, partial(self._council_set, council.to_json())
        )

    def elect(
        self, group_id: str, head: str, deputy: str, actor: Actor, reason: str, key: str
    ) -> bool:
        """The head and deputy elected for this year (at the previous year's conference)."""
        if self._seen(key):
            return False
        group = _known(self.content.group(group_id), "group", group_id)
        changed = self.content.with_group(replace(group, head=head, deputy=deputy))
        return self._edit(
            changed, key, actor, reason, partial(self._elected, group_id, head, deputy)
        )

    def _edit(
        self,
        changed: OrgContent,
        key: str,
        actor: Actor,
        reason: str,
        record: Callable[[str, str, str, str], None],
    ) -> bool:
        if self._seen(key) or changed.canonical() == self.content.canonical():
            return False
        check(changed)
        record(actor.id, actor.role, reason, key)
        return True

    def _seen(self, key: str) -> bool:
        return key in self.keys

    # ---- events: only the change of state, so a replay never re-checks -------------------

    def _apply(self, content: OrgContent, key: str) -> None:
        self.content = content
        self.keys.append(key)

    @event(Imported)
    def _imported(
        self,
        content: dict[str, Any],
        sha256: str,
        actor_id: str,
        actor_role: str,
        reason: str,
        key: str,
    ) -> None:
        self._apply(OrgContent.from_json(content), key)

    @event(UnitSet)
    def _unit_set(
        self, unit: dict[str, Any], actor_id: str, actor_role: str, reason: str, key: str
    ) -> None:
        self._apply(self.content.with_unit(Unit.from_json(unit)), key)

    @event(UnitRemoved)
    def _unit_removed(
        self, unit_id: str, actor_id: str, actor_role: str, reason: str, key: str
    ) -> None:
        self._apply(self.content.without_unit(unit_id), key)

    @event(GroupSet)
    def _group_set(
        self, group: dict[str, Any], actor_id: str, actor_role: str, reason: str, key: str
    ) -> None:
        self._apply(self.content.with_group(Group.from_json(group)), key)

    @event(GroupRemoved)
    def _group_removed(
        self, group_id: str, actor_id: str, actor_role: str, reason: str, key: str
    ) -> None:
        self._apply(self.content.without_group(group_id), key)

    @event(PersonSet)
    def _person_set(
        self, person: dict[str, Any], actor_id: str, actor_role: str, reason: str, key: str
    ) -> None:
        self._apply(self.content.with_person(Person.from_json(person)), key)

    @event(PersonRemoved)
    def _person_removed(
        self, username: str, actor_id: str, actor_role: str, reason: str, key: str
    ) -> None:
        self._apply(self.content.without_person(username), key)

    @event(CouncilSet)
    def _council_set(
        self, council: dict[str, Any], actor_id: str, actor_role: str, reason: str, key: str
    ) -> None:
        self._apply(replace(self.content, council=Council.from_json(council)), key)

    @event(LeadershipElected)
    def _elected(
        self,
        group_id: str,
        head: str,
        deputy: str,
        actor_id: str,
        actor_role: str,
        reason: str,
        key: str,
    ) -> None:
        group = self.content.group(group_id)
        if group is not None:
            self._apply(self.content.with_group(replace(group, head=head, deputy=deputy)), key)
