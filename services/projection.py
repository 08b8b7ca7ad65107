"""The proposal list and inboxes: a read model of the event log, tracked by notification id."""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import psycopg
from psycopg.rows import DictRow
from psycopg.types.json import Jsonb

from domain.proposal import Proposal
from infra.postgres import Pool
from services.application import AwardsApplication
from services.directory import User

NAME = "proposal_summary"
_BATCH = 500
_LOCK = 7_210_301  # advisory lock id: one catch-up at a time across processes

SCHEMA = """
CREATE TABLE IF NOT EXISTS awards_tracking (
    name text PRIMARY KEY,
    position bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS awards_proposal_summary (
    id uuid PRIMARY KEY,
    title text NOT NULL,
    form text NOT NULL,
    year integer NOT NULL,
    cluster text NOT NULL,
    proposing_unit text NOT NULL,
    nominee text NOT NULL,
    state text NOT NULL,
    electorate jsonb NOT NULL DEFAULT '[]',
    voted jsonb NOT NULL DEFAULT '[]',
    version integer NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS awards_summary_state ON awards_proposal_summary (state, updated_at);
CREATE INDEX IF NOT EXISTS awards_summary_cluster ON awards_proposal_summary (cluster, state);
CREATE INDEX IF NOT EXISTS awards_summary_unit ON awards_proposal_summary (proposing_unit, state);
-- A vote whose box is sealed and waits for the trustees' decryption shares.
ALTER TABLE awards_proposal_summary
    ADD COLUMN IF NOT EXISTS counting boolean NOT NULL DEFAULT false;
"""

_VOTING = {"cluster_voting": "cluster", "council_voting": "council"}


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    total: int
    page: int
    page_size: int


def _row(proposal: Proposal) -> dict[str, Any]:
    stage = _VOTING.get(proposal.state)
    vote = proposal.votes.get(stage, {}) if stage else {}
    return {
        "id": proposal.id,
        "title": proposal.title,
        "form": proposal.form,
        "year": proposal.year,
        "cluster": proposal.cluster,
        "proposing_unit": proposal.proposing_unit,
        "nominee": proposal.nominee["name"],
        "state": proposal.state,
        "electorate": Jsonb(vote.get("electorate", [])),
        "voted": Jsonb(vote.get("voted", [])),
        "counting": bool(vote.get("sealed")) and vote.get("result") is None,
        "version": proposal.version,
        "updated_at": proposal.modified_on,
    }


class ProposalSummaries:
    """Rebuildable from zero: drop the rows and the tracking position, then catch up."""

    def __init__(self, pool: Pool, app: AwardsApplication) -> None:
        self._pool = pool
        self._app = app

    def _connect(self) -> AbstractContextManager[psycopg.Connection[DictRow]]:
        return self._pool.connection()

    def ensure_schema(self) -> None:
        with self._connect() as conn:
            conn.execute(SCHEMA)

    def catch_up(self) -> int:
        """Apply every notification past the tracked position; answers how many were read."""
        read = 0
        while True:
            with self._connect() as conn, conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
                row = conn.execute(
                    "SELECT position FROM awards_tracking WHERE name = %s", (NAME,)
                ).fetchone()
                position = int(row["position"]) if row else 0
                notes = self._app.recorder.select_notifications(
                    start=position, limit=_BATCH, inclusive_of_start=False
                )
                if not notes:
                    return read
                touched = {n.originator_id for n in notes if ":Proposal." in n.topic}
                for proposal_id in touched:
                    self._upsert(conn, self._app.proposal(UUID(str(proposal_id))))
                conn.execute(
                    "INSERT INTO awards_tracking (name, position) VALUES (%s, %s)"
                    " ON CONFLICT (name) DO UPDATE SET position = excluded.position",
                    (NAME, notes[-1].id),
                )
                read += len(notes)

    def _upsert(self, conn: psycopg.Connection[DictRow], proposal: Proposal) -> None:
        row = _row(proposal)
        columns = ", ".join(row)
        values = ", ".join(f"%({c})s" for c in row)
        updates = ", ".join(f"{c} = excluded.{c}" for c in row if c != "id")
        conn.execute(
            f"INSERT INTO awards_proposal_summary ({columns}) VALUES ({values})"
            f" ON CONFLICT (id) DO UPDATE SET {updates}"
            " WHERE awards_proposal_summary.version <= excluded.version",
            row,
        )

    def search(self, viewer: User, filters: dict[str, Any], page: int, page_size: int) -> Page:
        where, params = _visible_to(viewer)
        for column in ("state", "cluster", "year", "form"):
            if filters.get(column) is not None:
                where.append(f"{column} = %({column})s")
                params[column] = filters[column]
        clause = " AND ".join(where) or "true"
        params.update(limit=page_size, offset=(page - 1) * page_size)
        with self._connect() as conn:
            total = conn.execute(
                f"SELECT count(*) AS n FROM awards_proposal_summary WHERE {clause}", params
            ).fetchone()
            rows = conn.execute(
                "SELECT id, title, form, year, cluster, proposing_unit, nominee, state,"
                f" updated_at FROM awards_proposal_summary WHERE {clause}"
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
                " counting, updated_at FROM awards_proposal_summary WHERE "
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
