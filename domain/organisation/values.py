"""The organisation of one emulation year as value objects: units, clusters and blocks, the
council, the people and their roles; each kept in events as its plain data."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, TypeVar

from domain.kernel.actor import Role
from domain.rulebook.version import Scope


class UnitKind(StrEnum):
    CENTRAL = "central"  # VUSTA itself
    PROVINCIAL_UNION = "provincial_union"  # Liên hiệp Hội tỉnh/thành phố
    ASSOCIATION = "association"  # Hội thành viên


def _text(data: Mapping[str, Any], name: str) -> str | None:
    value = data.get(name)
    return str(value) if value not in (None, "") else None


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    kind: UnitKind
    women_share: str | None = None  # e.g. "0.72": for the women-first tie rule

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind.value,
            "women_share": self.women_share,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Unit:
        return cls(
            str(data["id"]), str(data["name"]), UnitKind(data["kind"]), _text(data, "women_share")
        )


@dataclass(frozen=True)
class Group:
    """A cluster (Cụm thi đua) or a block (Khối thi đua) of one year."""

    id: str
    name: str
    scope: Scope
    members: tuple[str, ...] = ()  # unit ids
    head: str | None = None  # a member unit (Cụm trưởng)
    deputy: str | None = None  # a member unit (Cụm phó)
    supervisor: str | None = None  # the Presidium member in charge (username)
    note: str = ""  # e.g. that a head is invented for the demo

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "scope": self.scope.value,
            "members": list(self.members),
            "head": self.head,
            "deputy": self.deputy,
            "supervisor": self.supervisor,
            "note": self.note,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Group:
        return cls(
            id=str(data["id"]),
            name=str(data["name"]),
            scope=Scope(data["scope"]),
            members=tuple(str(m) for m in data.get("members", ())),
            head=_text(data, "head"),
            deputy=_text(data, "deputy"),
            supervisor=_text(data, "supervisor"),
            note=str(data.get("note") or ""),
        )


@dataclass(frozen=True)
class Council:
    """The Emulation and Commendation Council of the year (usernames)."""

    chair: str | None = None
    vice_chairs: tuple[str, ...] = ()
    standing_member: str | None = None  # Thường trực: runs the secretariat
    members: tuple[str, ...] = ()

    def everyone(self) -> tuple[str, ...]:
        named = (self.chair, *self.vice_chairs, self.standing_member, *self.members)
        return tuple(dict.fromkeys(n for n in named if n))

    def to_json(self) -> dict[str, Any]:
        return {
            "chair": self.chair,
            "vice_chairs": list(self.vice_chairs),
            "standing_member": self.standing_member,
            "members": list(self.members),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Council:
        return cls(
            chair=_text(data, "chair"),
            vice_chairs=tuple(str(v) for v in data.get("vice_chairs", ())),
            standing_member=_text(data, "standing_member"),
            members=tuple(str(m) for m in data.get("members", ())),
        )


@dataclass(frozen=True)
class Person:
    username: str
    full_name: str
    unit_id: str | None
    roles: tuple[Role, ...] = ()
    gender: str | None = None
    invented: bool = False  # a name made up for the demo

    def to_json(self) -> dict[str, Any]:
        return {
            "username": self.username,
            "full_name": self.full_name,
            "unit_id": self.unit_id,
            "roles": [role.value for role in self.roles],
            "gender": self.gender,
            "invented": self.invented,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Person:
        return cls(
            username=str(data["username"]),
            full_name=str(data["full_name"]),
            unit_id=_text(data, "unit_id"),
            roles=tuple(Role(r) for r in data.get("roles", ())),
            gender=_text(data, "gender"),
            invented=bool(data.get("invented", False)),
        )


T = TypeVar("T")


def _by_key(items: Iterable[T], key: str, new: T) -> tuple[T, ...]:
    """The items with ``new`` replacing the one of the same key (or appended)."""
    kept = [item for item in items if getattr(item, key) != getattr(new, key)]
    return (*kept, new)


@dataclass(frozen=True)
class OrgContent:
    """Everything one year holds: what a workbook imports and exports."""

    units: tuple[Unit, ...] = ()
    groups: tuple[Group, ...] = ()
    council: Council = field(default_factory=Council)
    people: tuple[Person, ...] = ()
    president: str | None = None  # username of VUSTA's President
    presidium: tuple[str, ...] = ()  # usernames of the Presidium (Đoàn Chủ tịch)
    notes: str = ""

    # ---- lookups -------------------------------------------------------------------------

    def unit(self, unit_id: str) -> Unit | None:
        return next((u for u in self.units if u.id == unit_id), None)

    def group(self, group_id: str) -> Group | None:
        return next((g for g in self.groups if g.id == group_id), None)

    def person(self, username: str) -> Person | None:
        return next((p for p in self.people if p.username == username), None)

    def group_of(self, unit_id: str, scope: Scope | None = None) -> Group | None:
        """The unit's cluster (or block) in this year; a cluster first when both."""
        found = [g for g in self.groups if unit_id in g.members]
        found.sort(key=lambda g: g.scope != Scope.CLUSTER)
        return next((g for g in found if scope is None or g.scope == scope), None)

    # ---- changed copies ------------------------------------------------------------------

    def with_unit(self, unit: Unit) -> OrgContent:
        return replace(self, units=_by_key(self.units, "id", unit))

    def without_unit(self, unit_id: str) -> OrgContent:
        return replace(self, units=tuple(u for u in self.units if u.id != unit_id))

    def with_group(self, group: Group) -> OrgContent:
        return replace(self, groups=_by_key(self.groups, "id", group))

    def without_group(self, group_id: str) -> OrgContent:
        return replace(self, groups=tuple(g for g in self.groups if g.id != group_id))

    def with_person(self, person: Person) -> OrgContent:
        return replace(self, people=_by_key(self.people, "username", person))

    def without_person(self, username: str) -> OrgContent:
        return replace(self, people=tuple(p for p in self.people if p.username != username))

    def canonical(self) -> OrgContent:
        """The same content in a fixed order, so two equal organisations compare equal."""
        return replace(
            self,
            units=tuple(sorted(self.units, key=lambda u: u.id)),
            groups=tuple(
                replace(g, members=tuple(sorted(g.members)))
                for g in sorted(self.groups, key=lambda g: g.id)
            ),
            people=tuple(sorted(self.people, key=lambda p: p.username)),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "units": [u.to_json() for u in self.units],
            "groups": [g.to_json() for g in self.groups],
            "council": self.council.to_json(),
            "people": [p.to_json() for p in self.people],
            "president": self.president,
            "presidium": list(self.presidium),
            "notes": self.notes,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> OrgContent:
        return cls(
            units=tuple(Unit.from_json(u) for u in data.get("units", ())),
            groups=tuple(Group.from_json(g) for g in data.get("groups", ())),
            council=Council.from_json(data.get("council") or {}),
            people=tuple(Person.from_json(p) for p in data.get("people", ())),
            president=_text(data, "president"),
            presidium=tuple(str(p) for p in data.get("presidium", ())),
            notes=str(data.get("notes") or ""),
        )
