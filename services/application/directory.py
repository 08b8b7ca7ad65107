"""The directory: clusters, member units and users with their roles, as the organisation year
in force answers them (today's by default, in Vietnam time, or the one in force in ``year``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from domain.kernel.actor import Actor, Role
from domain.kernel.calendar import today
from domain.organisation.values import Person
from services.application.organisation import Organisation

# The year in force: the latest recorded year up to the one asked.
_IN_FORCE = "(SELECT max(year) FROM awards_org_years WHERE year <= %(year)s)"
# A unit's cluster, or its block when it is in no cluster.
_GROUP_OF = (
    "(SELECT m.group_id FROM awards_org_members m WHERE m.year = p.year"
    " AND m.unit_id = p.unit_id ORDER BY m.scope <> 'cluster', m.group_id LIMIT 1)"
)
_USERS = (
    f"SELECT p.username, p.full_name, p.roles, p.unit_id, {_GROUP_OF} AS cluster_id"
    f" FROM awards_org_people p WHERE p.year = {_IN_FORCE}"
)
_UNITS = (
    "SELECT u.id, u.name, u.kind, (SELECT m.group_id FROM awards_org_members m"
    " WHERE m.year = u.year AND m.unit_id = u.id ORDER BY m.scope <> 'cluster', m.group_id"
    f" LIMIT 1) AS cluster_id FROM awards_org_units u WHERE u.year = {_IN_FORCE}"
)


@dataclass(frozen=True)
class Cluster:
    id: str
    name: str
    year: int


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    kind: str  # "central", "provincial_union", "association"
    cluster_id: str | None


@dataclass(frozen=True)
class User:
    username: str
    full_name: str
    roles: list[str] = field(default_factory=list)
    unit_id: str | None = None
    cluster_id: str | None = None

    def has(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)


class Directory:
    """Lookups on the organisation's read model: one indexed query each, so the check of
    every request's caller stays fast."""

    def __init__(self, organisation: Organisation) -> None:
        self.organisation = organisation
        self._pool = organisation.pool

    def ensure_schema(self) -> None:
        self.organisation.ensure_schema()

    def _rows(self, sql: str, year: int | None, **params: Any) -> list[dict[str, Any]]:
        with self._pool.connection() as conn:
            rows = conn.execute(sql, {"year": year or today().year, **params}).fetchall()
        return [dict(row) for row in rows]

    def user(self, username: str, year: int | None = None) -> User | None:
        rows = self._rows(f"{_USERS} AND p.username = %(username)s", year, username=username)
        return User(**rows[0]) if rows else None

    def users(self, year: int | None = None) -> list[User]:
        return [User(**row) for row in self._rows(f"{_USERS} ORDER BY p.username", year)]

    def has_users(self, year: int | None = None) -> bool:
        return bool(self._rows(f"{_USERS} LIMIT 1", year))

    def users_with_role(self, role: str, year: int | None = None) -> list[User]:
        sql = f"{_USERS} AND %(role)s = ANY(p.roles) ORDER BY p.username"
        return [User(**row) for row in self._rows(sql, year, role=role)]

    def unit(self, unit_id: str, year: int | None = None) -> Unit | None:
        rows = self._rows(f"{_UNITS} AND u.id = %(id)s", year, id=unit_id)
        return Unit(**rows[0]) if rows else None

    def cluster_units(self, cluster_id: str, year: int | None = None) -> list[Unit]:
        sql = (
            f"SELECT u.id, u.name, u.kind, m.group_id AS cluster_id FROM awards_org_units u"
            f" JOIN awards_org_members m ON m.year = u.year AND m.unit_id = u.id"
            f" WHERE u.year = {_IN_FORCE} AND m.group_id = %(group)s ORDER BY u.id"
        )
        return [Unit(**row) for row in self._rows(sql, year, group=cluster_id)]

    def clusters(self, year: int | None = None) -> list[Cluster]:
        sql = f"SELECT id, name, year FROM awards_org_groups WHERE year = {_IN_FORCE} ORDER BY id"
        return [Cluster(**row) for row in self._rows(sql, year)]

    def add_user(self, user: User, actor: Actor, reason: str, key: str) -> None:
        """A new person in the organisation year in force today (``user.cluster_id`` follows
        from the unit's membership and is not stored)."""
        person = Person(
            username=user.username,
            full_name=user.full_name,
            unit_id=user.unit_id,
            roles=tuple(Role(r) for r in user.roles),
        )
        self.organisation.add_person(today().year, person, actor, reason, key)
