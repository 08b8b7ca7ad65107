"""The proposal list and inboxes: the table of proposal rows, what it answers, and its state."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql
from psycopg.rows import DictRow
from psycopg.types.json import Jsonb

from domain.kernel.message import Message
from infra.postgres import Pool
from services.application.directory import User
from services.projections.proposal_rows import ProposalRow

NAME = "proposal_list"
TABLE = "awards_proposal_list"
COLUMNS = (
    "id",
    "title",
    "form",
    "year",
    "cluster",
    "proposing_unit",
    "nominee",
    "cluster_vote",
    "state",
    "version",
    "updated_at",
    "electorate",
    "voted",
    "vote_sealed",
    "counting",
)

SCHEMA = """
-- The list used to catch up inside GET requests; its rows are rebuilt in the new table.
DROP TABLE IF EXISTS awards_proposal_summary, awards_tracking;
CREATE TABLE IF NOT EXISTS awards_projection_position (
    name text PRIMARY KEY,
    position bigint NOT NULL
);
-- Events a projection could not apply: it went on with the next ones; /health shows them.
CREATE TABLE IF NOT EXISTS awards_projection_failures (
    name text NOT NULL,
    notification_id bigint NOT NULL,
    originator_id text NOT NULL,
    topic text NOT NULL,
    error text NOT NULL,
    failed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (name, notification_id)
);
-- Drafts whose Temporal process is known to exist (see services/process_starter.py).
CREATE TABLE IF NOT EXISTS awards_process_starts (
    proposal_id uuid PRIMARY KEY,
    started_at timestamptz NOT NULL DEFAULT now()
);
"""


def table_schema(table: str) -> sql.Composed:
    """The rows' table and its indexes, under any name (a rebuild fills a second one)."""
    return sql.SQL(
        """
CREATE TABLE IF NOT EXISTS {table} (
    id uuid PRIMARY KEY,
    title text NOT NULL,
    form text NOT NULL,
    year integer NOT NULL,
    cluster text NOT NULL,
    proposing_unit text NOT NULL,
    nominee text NOT NULL,
    cluster_vote boolean NOT NULL,
    state text NOT NULL,
    version integer NOT NULL,
    updated_at timestamptz NOT NULL,
    electorate jsonb NOT NULL,
    voted jsonb NOT NULL,
    vote_sealed boolean NOT NULL,
    counting boolean NOT NULL
);
CREATE INDEX IF NOT EXISTS {by_state} ON {table} (state, updated_at);
CREATE INDEX IF NOT EXISTS {by_cluster} ON {table} (cluster, state);
CREATE INDEX IF NOT EXISTS {by_unit} ON {table} (proposing_unit, state);
"""
    ).format(
        table=sql.Identifier(table),
        by_state=sql.Identifier(f"{table}_state"),
        by_cluster=sql.Identifier(f"{table}_cluster"),
        by_unit=sql.Identifier(f"{table}_unit"),
    )


def rename_table(conn: psycopg.Connection[DictRow], old: str, new: str) -> None:
    conn.execute(
        sql.SQL("ALTER TABLE {} RENAME TO {}").format(sql.Identifier(old), sql.Identifier(new))
    )
    for suffix in ("state", "cluster", "unit"):
        conn.execute(
            sql.SQL("ALTER INDEX {} RENAME TO {}").format(
                sql.Identifier(f"{old}_{suffix}"), sql.Identifier(f"{new}_{suffix}")
            )
        )


def load_rows(
    conn: psycopg.Connection[DictRow], table: str, ids: Iterable[UUID]
) -> dict[UUID, ProposalRow]:
    found = conn.execute(
        sql.SQL("SELECT {} FROM {} WHERE id = ANY(%s)").format(
            sql.SQL(", ").join(map(sql.Identifier, COLUMNS[:-1])), sql.Identifier(table)
        ),
        (list(ids),),
    ).fetchall()
    return {row["id"]: ProposalRow(**row) for row in found}


def write_rows(conn: psycopg.Connection[DictRow], table: str, rows: Iterable[ProposalRow]) -> None:
    names = sql.SQL(", ").join(map(sql.Identifier, COLUMNS))
    updates = sql.SQL(", ").join(
        sql.SQL("{0} = excluded.{0}").format(sql.Identifier(c)) for c in COLUMNS[1:]
    )
    statement = sql.SQL(
        "INSERT INTO {table} AS t ({names}) VALUES ({values}) ON CONFLICT (id) DO UPDATE"
        " SET {updates} WHERE t.version <= excluded.version"
    ).format(
        table=sql.Identifier(table),
        names=names,
        values=sql.SQL(", ").join(sql.Placeholder() * len(COLUMNS)),
        updates=updates,
    )
    with conn.cursor() as cursor:
        cursor.executemany(statement, [_values(row) for row in rows])


def _values(row: ProposalRow) -> tuple[Any, ...]:
    return (
        row.id,
        row.title,
        row.form,
        row.year,
        row.cluster,
        row.proposing_unit,
        row.nominee,
        row.cluster_vote,
        row.state,
        row.version,
        row.updated_at,
        Jsonb(row.electorate),
        Jsonb(row.voted),
        row.vote_sealed,
        row.counting,
    )


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    total: int
    page: int
    page_size: int


@dataclass(frozen=True)
class Failure:
    notification_id: int
    originator_id: str
    topic: str
    error: str
    failed_at: datetime


@dataclass(frozen=True)
class ProjectionStatus:
    """How far a projection has read the log, and what it could not apply."""

    name: str
    position: int
    head: int
    failures: list[Failure]

    @property
    def behind(self) -> int:
        """Notification ids not yet read (an upper bound: ids have gaps)."""
        return max(0, self.head - self.position)

    @property
    def detail(self) -> Message | None:
        """What /health tells an operator when events could not be applied, or None."""
        if not self.failures:
            return None
        return Message(
            "{count} event(s) could not be applied to {name}, the first at notification"
            " {first}; see `awards projections status`",
            count=len(self.failures),
            name=self.name,
            first=self.failures[0].notification_id,
        )


class ProposalSummaries:
    """Reads of the proposal list; rows are written only by the follower (log_follower.py)."""

    def __init__(self, pool: Pool) -> None:
        self._pool = pool

    def _connect(self) -> AbstractContextManager[psycopg.Connection[DictRow]]:
        return self._pool.connection()

    def ensure_schema(self) -> None:
        with self._connect() as conn, conn.transaction():
            conn.execute(SCHEMA)
            conn.execute(table_schema(TABLE))

    def status(self, name: str = NAME) -> ProjectionStatus:
        with self._connect() as conn:
            position = conn.execute(
                "SELECT position FROM awards_projection_position WHERE name = %s", (name,)
            ).fetchone()
            head = conn.execute(
                "SELECT coalesce(max(notification_id), 0) AS head FROM awards_events"
            ).fetchone()
            failures = conn.execute(
                "SELECT notification_id, originator_id, topic, error, failed_at"
                " FROM awards_projection_failures WHERE name = %s ORDER BY notification_id"
                " LIMIT 100",
                (name,),
            ).fetchall()
        return ProjectionStatus(
            name=name,
            position=int(position["position"]) if position else 0,
            head=int(head["head"]) if head else 0,
            failures=[Failure(**failure) for failure in failures],
        )

    def search(self, viewer: User, filters: dict[str, Any], page: int, page_size: int) -> Page:
        where, params = _visible_to(viewer)
        for column in ("state", "cluster", "year", "form"):
            if filters.get(column) is not None:
                where.append(f"{column} = %({column})s")
                params[column] = filters[column]
        clause = " AND ".join(where) or "true"
        params.update(limit=page_size, offset=(page - 1) * page_size)
        # One snapshot for the count and the page: the list is written while it is read, and
        # a total taken before a row arrived disagreed with the rows read after it.
        with self._connect() as conn, conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            total = conn.execute(
                f"SELECT count(*) AS n FROM awards_proposal_list WHERE {clause}", params
            ).fetchone()
            rows = conn.execute(
                "SELECT id, title, form, year, cluster, proposing_unit, nominee, state,"
                f" updated_at FROM awards_proposal_list WHERE {clause}"
                " ORDER BY updated_at DESC, id LIMIT %(limit)s OFFSET %(offset)s",
                params,
            ).fetchall()
        return Page(
            items=rows, total=int(total["n"]) if total else 0, page=page, page_size=page_size
        )

    def inbox(self, user: User) -> list[dict[str, Any]]:
        """What the user must act on now, oldest first."""
        clauses: list[str] = []
        params: dict[str, Any] = {
            "unit": user.unit_id,
            "username": user.username,
            "cluster": user.cluster_id,
        }
        if user.has("proposer"):
            clauses.append("(proposing_unit = %(unit)s AND state IN ('draft', 'returned'))")
        if user.has("cluster_member"):
            clauses.append(
                "(state = 'cluster_voting' AND NOT counting AND cluster = %(cluster)s"
                " AND electorate ? %(unit)s AND NOT voted ? %(unit)s)"
            )
        if user.has("council_secretary"):
            clauses.append("(state = 'appraisal')")
        if user.has("council_member"):
            clauses.append(
                "(state = 'council_voting' AND NOT counting AND electorate ? %(username)s"
                " AND NOT voted ? %(username)s)"
            )
        if user.has("council_member", "council_secretary"):
            # Trustees of the election key are council members: a sealed count waits for them.
            clauses.append("(counting)")
        if user.has("president"):
            clauses.append("(state = 'council_approved')")
        if not clauses:
            return []
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT id, title, form, year, cluster, proposing_unit, nominee, state,"
                " counting, updated_at FROM awards_proposal_list WHERE "
                + " OR ".join(clauses)
                + " ORDER BY updated_at, id LIMIT 500",
                params,
            ).fetchall()
        return rows


def _visible_to(viewer: User) -> tuple[list[str], dict[str, Any]]:
    """Proposers see their unit's proposals, cluster members their cluster's; VUSTA sees all."""
    if viewer.has("council_secretary", "council_member", "president", "auditor", "admin"):
        return [], {}
    clauses = []
    params: dict[str, Any] = {}
    if viewer.has("proposer"):
        clauses.append("proposing_unit = %(viewer_unit)s")
        params["viewer_unit"] = viewer.unit_id
    if viewer.has("cluster_member"):
        clauses.append("cluster = %(viewer_cluster)s")
        params["viewer_cluster"] = viewer.cluster_id
    return [f"({' OR '.join(clauses) or 'false'})"], params
