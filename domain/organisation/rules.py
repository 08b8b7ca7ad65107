"""The rules an organisation year obeys, each answered as violations naming what breaks it,
so one edit is refused with the first and a workbook import reports them all by row."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from domain.kernel.errors import InvalidInput
from domain.kernel.message import Message
from domain.organisation.values import Group, OrgContent

MAX_VICE_CHAIRS = 4  # Decree 98/2023 Art 48: a council has up to 4 vice-chairs


class Entity:
    """What a violation is about; a workbook maps each to the sheet that holds it."""

    YEAR = "year"
    UNIT = "unit"
    GROUP = "group"
    MEMBER = "member"  # key: "group_id|unit_id"
    COUNCIL = "council"  # key: username, field: the position
    PERSON = "person"


@dataclass(frozen=True)
class Violation:
    entity: str
    key: str
    field: str
    message: Message


def violations(content: OrgContent) -> list[Violation]:
    """Every rule the content breaks, in a stable order (empty when it is valid)."""
    return [
        *_duplicates(content),
        *_memberships(content),
        *(v for group in content.groups for v in _leadership(content, group)),
        *_council(content),
        *_people(content),
    ]


def check(content: OrgContent) -> None:
    """Refuse content that breaks a rule, with the first rule it breaks."""
    found = violations(content)
    if found:
        raise InvalidInput(found[0].message)


def _duplicates(content: OrgContent) -> Iterator[Violation]:
    for entity, keys in (
        (Entity.UNIT, [u.id for u in content.units]),
        (Entity.GROUP, [g.id for g in content.groups]),
        (Entity.PERSON, [p.username for p in content.people]),
    ):
        for key, count in Counter(keys).items():
            if count > 1:
                message = Message("{key} is listed {count} times", key=key, count=count)
                yield Violation(entity, key, "id", message)


def _memberships(content: OrgContent) -> Iterator[Violation]:
    units = {u.id for u in content.units}
    placed: dict[tuple[str, str], str] = {}  # (scope, unit) -> the group that holds it
    for group in content.groups:
        for unit_id in group.members:
            key = f"{group.id}|{unit_id}"
            if unit_id not in units:
                message = Message("no unit {unit} in this year", unit=unit_id)
                yield Violation(Entity.MEMBER, key, "unit", message)
                continue
            earlier = placed.setdefault((group.scope.value, unit_id), group.id)
            if earlier != group.id:
                message = Message(
                    "unit {unit} is already in {group}: a unit is in one {scope} a year",
                    unit=unit_id,
                    group=earlier,
                    scope=Message.term("scope", group.scope.value),
                )
                yield Violation(Entity.MEMBER, key, "unit", message)


def _leadership(content: OrgContent, group: Group) -> Iterator[Violation]:
    for position, unit_id in (("head", group.head), ("deputy", group.deputy)):
        if unit_id is not None and unit_id not in group.members:
            message = Message(
                "the {position} of {group} must be one of its members; {unit} is not",
                position=Message.term("position", position),
                group=group.id,
                unit=unit_id,
            )
            yield Violation(Entity.GROUP, group.id, position, message)
    if group.head is not None and group.head == group.deputy:
        message = Message("the head and the deputy of {group} must differ", group=group.id)
        yield Violation(Entity.GROUP, group.id, "deputy", message)
    if group.supervisor is not None and group.supervisor not in content.presidium:
        message = Message(
            "{username} supervises {group} but is not a Presidium member",
            username=group.supervisor,
            group=group.id,
        )
        yield Violation(Entity.GROUP, group.id, "supervisor", message)


def _council(content: OrgContent) -> Iterator[Violation]:
    council = content.council
    for extra in council.vice_chairs[MAX_VICE_CHAIRS:]:
        message = Message("a council has at most {count} vice-chairs", count=MAX_VICE_CHAIRS)
        yield Violation(Entity.COUNCIL, extra, "vice_chair", message)
    people = {p.username for p in content.people}
    named = [
        ("president", content.president),
        *(("presidium", p) for p in content.presidium),
        ("chair", council.chair),
        *(("vice_chair", v) for v in council.vice_chairs),
        ("standing_member", council.standing_member),
        *(("member", m) for m in council.members),
    ]
    for position, username in named:
        if username is not None and username not in people:
            message = Message("no person {username} in this year", username=username)
            yield Violation(Entity.COUNCIL, username, position, message)


def _people(content: OrgContent) -> Iterator[Violation]:
    units = {u.id for u in content.units}
    for person in content.people:
        if person.unit_id is not None and person.unit_id not in units:
            message = Message("no unit {unit} in this year", unit=person.unit_id)
            yield Violation(Entity.PERSON, person.username, "unit_id", message)
