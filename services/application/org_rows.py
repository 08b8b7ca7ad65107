"""The organisation years' read model: plain rows per year, rewritten whole when a year changes."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from domain.organisation.values import OrgContent
from infra.postgres import Pool

SCHEMA = """
CREATE TABLE IF NOT EXISTS awards_org_years (
    year integer PRIMARY KEY,
    version integer NOT NULL,
    president text,
    notes text NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS awards_org_units (
    year integer NOT NULL,
    id text NOT NULL,
    name text NOT NULL,
    kind text NOT NULL,
    women_share text,
    PRIMARY KEY (year, id)
);
CREATE TABLE IF NOT EXISTS awards_org_groups (
    year integer NOT NULL,
    id text NOT NULL,
    name text NOT NULL,
    scope text NOT NULL,
    head text,
    deputy text,
    supervisor text,
    PRIMARY KEY (year, id)
);
CREATE TABLE IF NOT EXISTS awards_org_members (
    year integer NOT NULL,
    group_id text NOT NULL,
    unit_id text NOT NULL,
    scope text NOT NULL,
    PRIMARY KEY (year, group_id, unit_id)
);
CREATE INDEX IF NOT EXISTS awards_org_members_unit ON awards_org_members (year, unit_id);
CREATE TABLE IF NOT EXISTS awards_org_people (
    year integer NOT NULL,
    username text NOT NULL,
    full_name text NOT NULL,
    unit_id text,
    roles text[] NOT NULL,
    PRIMARY KEY (year, username)
);
"""
_TABLES = ("awards_org_units", "awards_org_groups", "awards_org_members", "awards_org_people")


def ensure_schema(pool: Pool) -> None:
    with pool.connection() as conn:
        conn.execute(SCHEMA)


def write_year(pool: Pool, year: int, version: int, content: OrgContent) -> None:
    """Replace the year's rows by the content, unless rows of a later version are there
    already (two writers projecting the same year in the other order)."""
    with pool.connection() as conn, conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(7210400, %s)", (year,))
        row = conn.execute(
            "SELECT version FROM awards_org_years WHERE year = %s", (year,)
        ).fetchone()
        if row is not None and int(row["version"]) >= version:
            return
        for table in _TABLES:
            conn.execute(f"DELETE FROM {table} WHERE year = %s", (year,))
        conn.execute(
            "INSERT INTO awards_org_years (year, version, president, notes)"
            " VALUES (%s, %s, %s, %s) ON CONFLICT (year) DO UPDATE SET version = excluded.version,"
            " president = excluded.president, notes = excluded.notes",
            (year, version, content.president, content.notes),
        )
        with conn.cursor() as cur:
            with cur.copy(
                "COPY awards_org_units (year, id, name, kind, women_share) FROM STDIN"
            ) as copy:
                for u in content.units:
                    copy.write_row((year, u.id, u.name, u.kind.value, u.women_share))
            with cur.copy(
                "COPY awards_org_groups (year, id, name, scope, head, deputy, supervisor)"
                " FROM STDIN"
            ) as copy:
                for g in content.groups:
                    copy.write_row(
                        (year, g.id, g.name, g.scope.value, g.head, g.deputy, g.supervisor)
                    )
            with cur.copy(
                "COPY awards_org_members (year, group_id, unit_id, scope) FROM STDIN"
            ) as copy:
                for g in content.groups:
                    for unit_id in dict.fromkeys(g.members):
                        copy.write_row((year, g.id, unit_id, g.scope.value))
            with cur.copy(
                "COPY awards_org_people (year, username, full_name, unit_id, roles) FROM STDIN"
            ) as copy:
                for p in content.people:
                    copy.write_row(
                        (year, p.username, p.full_name, p.unit_id, [r.value for r in p.roles])
                    )


def recorded_years(pool: Pool) -> list[int]:
    with pool.connection() as conn:
        rows = conn.execute("SELECT year FROM awards_org_years ORDER BY year").fetchall()
    return [int(r["year"]) for r in rows]


def projected_versions(pool: Pool) -> dict[int, int]:
    with pool.connection() as conn:
        rows = conn.execute("SELECT year, version FROM awards_org_years").fetchall()
    return {int(r["year"]): int(r["version"]) for r in rows}


def stored_versions(pool: Pool, events_table: str, ids: Sequence[UUID]) -> dict[UUID, int]:
    """The latest stored version of each of these aggregates that has events."""
    with pool.connection() as conn:
        rows = conn.execute(
            f"SELECT originator_id, max(originator_version) AS version FROM {events_table}"
            " WHERE originator_id = ANY(%s) GROUP BY originator_id",
            (list(ids),),
        ).fetchall()
    return {UUID(str(r["originator_id"])): int(r["version"]) for r in rows}
