"""The directory of clusters, member units and users (with their roles) in PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

import psycopg
from psycopg.rows import DictRow

from infra.postgres import Pool

SCHEMA = """
CREATE TABLE IF NOT EXISTS awards_clusters (
    id text PRIMARY KEY,
    name text NOT NULL,
    year integer NOT NULL
);
CREATE TABLE IF NOT EXISTS awards_units (
    id text PRIMARY KEY,
    name text NOT NULL,
    kind text NOT NULL,
    cluster_id text REFERENCES awards_clusters (id)
);
CREATE TABLE IF NOT EXISTS awards_users (
    username text PRIMARY KEY,
    full_name text NOT NULL,
    roles text[] NOT NULL,
    unit_id text REFERENCES awards_units (id),
    cluster_id text REFERENCES awards_clusters (id),
    active boolean NOT NULL DEFAULT true
);
CREATE INDEX IF NOT EXISTS awards_units_cluster ON awards_units (cluster_id);
"""


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
    """Reads and writes the directory tables through a connection pool."""

    def __init__(self, pool: Pool) -> None:
        self._pool = pool

    def _connect(self) -> AbstractContextManager[psycopg.Connection[DictRow]]:
        return self._pool.connection()

    def ensure_schema(self) -> None:
        with self._connect() as conn:
            conn.execute(SCHEMA)

    def save(
        self, clusters: Iterable[Cluster], units: Iterable[Unit], users: Iterable[User]
    ) -> None:
        with self._connect() as conn, conn.transaction():
            for c in clusters:
                conn.execute(
                    "INSERT INTO awards_clusters (id, name, year) VALUES (%s, %s, %s)"
                    " ON CONFLICT (id) DO UPDATE SET name = excluded.name, year = excluded.year",
                    (c.id, c.name, c.year),
                )
            for u in units:
                conn.execute(
                    "INSERT INTO awards_units (id, name, kind, cluster_id) VALUES (%s, %s, %s, %s)"
                    " ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind,"
                    " cluster_id = excluded.cluster_id",
                    (u.id, u.name, u.kind, u.cluster_id),
                )
            for p in users:
                conn.execute(
                    "INSERT INTO awards_users (username, full_name, roles, unit_id, cluster_id)"
                    " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (username) DO UPDATE SET"
                    " full_name = excluded.full_name, roles = excluded.roles,"
                    " unit_id = excluded.unit_id, cluster_id = excluded.cluster_id",
                    (p.username, p.full_name, p.roles, p.unit_id, p.cluster_id),
                )

    def user(self, username: str) -> User | None:
        with self._connect() as conn:
            row = conn.execute(
                "SELECT username, full_name, roles, unit_id, cluster_id FROM awards_users"
                " WHERE username = %s AND active",
                (username,),
            ).fetchone()
        return User(**row) if row else None

    def users(self) -> list[User]:
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT username, full_name, roles, unit_id, cluster_id FROM awards_users"
                " WHERE active ORDER BY username"
            ).fetchall()
        return [User(**row) for row in rows]

    def has_users(self) -> bool:
        with self._connect() as conn:
            return conn.execute("SELECT EXISTS (SELECT 1 FROM awards_users)").fetchone() == {
                "exists": True
            }

    def users_with_role(self, role: str) -> list[User]:
        return [u for u in self.users() if role in u.roles]

    def unit(self, unit_id: str) -> Unit | None:
        with self._connect() as conn:
            row = conn.execute(
                "SELECT id, name, kind, cluster_id FROM awards_units WHERE id = %s", (unit_id,)
            ).fetchone()
        return Unit(**row) if row else None

    def cluster_units(self, cluster_id: str) -> list[Unit]:
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT id, name, kind, cluster_id FROM awards_units WHERE cluster_id = %s"
                " ORDER BY id",
                (cluster_id,),
            ).fetchall()
        return [Unit(**row) for row in rows]

    def clusters(self) -> list[Cluster]:
        with self._connect() as conn:
            rows = conn.execute("SELECT id, name, year FROM awards_clusters ORDER BY id").fetchall()
        return [Cluster(**row) for row in rows]
