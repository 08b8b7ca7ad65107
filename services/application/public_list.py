"""The public list of nominees in their feedback window: its table, written when a nominee is
published, holding only the fields the public may read (nominee name and kind, form,
achievement and its summary, proposing unit's name, window): never gender, position, people's
accounts or complaints."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.proposal.aggregate import Proposal
from domain.rulebook.defaults import KNOWN_FORMS
from infra.postgres import Pool
from services.projections.proposal_rows import storable

PUBLIC_LIMIT = 1_000  # nominees in their window at once: a few dozen a season

SCHEMA = """
-- The public list of nominees in their window: written when a nominee is published, with
-- only the fields the public may read.
CREATE TABLE IF NOT EXISTS awards_publications (
    proposal_id uuid PRIMARY KEY,
    nominee text NOT NULL,
    nominee_kind text NOT NULL,
    form text NOT NULL,
    title text NOT NULL,
    summary text NOT NULL,
    proposing_unit text NOT NULL,
    published_on date NOT NULL,
    window_end date NOT NULL,
    listed boolean NOT NULL DEFAULT true
);
CREATE INDEX IF NOT EXISTS awards_publications_window
    ON awards_publications (window_end) WHERE listed;
"""
_FORM_NAMES = {form.code: (form.name_vi, form.name_en) for form in KNOWN_FORMS}


@dataclass(frozen=True)
class PublicNominee:
    """What the public reads of a nominee in its window, and nothing more."""

    proposal_id: str
    nominee: str
    nominee_kind: str  # collective or individual
    form: str
    form_name_vi: str
    form_name_en: str
    title: str  # the achievement
    summary: str
    proposing_unit: str  # the unit's name
    published_on: date
    window_end: date


class Publications:
    """The public list's table."""

    def __init__(self, pool: Pool) -> None:
        self._pool = pool

    def ensure_schema(self) -> None:
        with self._pool.connection() as conn:
            conn.execute(SCHEMA)

    def list_published(self, proposal: Proposal, unit_name: str) -> None:
        """Write (or rewrite) a published nominee's public row; a repeat changes nothing."""
        found = proposal.publication
        if found is None:
            return
        with self._pool.connection() as conn:
            conn.execute(
                "INSERT INTO awards_publications (proposal_id, nominee, nominee_kind, form,"
                " title, summary, proposing_unit, published_on, window_end)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (proposal_id) DO NOTHING",
                (
                    proposal.id,
                    storable(proposal.nominee.name),
                    proposal.nominee.kind.value,
                    proposal.form,
                    storable(proposal.title),
                    storable(proposal.summary),
                    storable(unit_name),
                    found.published_on,
                    found.window_end,
                ),
            )

    def unlist(self, proposal_id: str) -> None:
        """A nominee rejected on a complaint leaves the public list."""
        with self._pool.connection() as conn:
            conn.execute(
                "UPDATE awards_publications SET listed = false WHERE proposal_id = %s",
                (proposal_id,),
            )

    def in_window(self, day: date) -> list[PublicNominee]:
        """Nominees whose window is open on ``day``, the latest published first. One withdrawn
        or rejected (as the proposal list knows it) is left out."""
        with self._pool.connection() as conn:
            rows = conn.execute(
                "SELECT p.* FROM awards_publications p"
                " LEFT JOIN awards_proposal_list l ON l.id = p.proposal_id"
                " WHERE p.listed AND p.published_on <= %s AND p.window_end >= %s"
                " AND coalesce(l.state, '') NOT IN ('withdrawn', 'rejected')"
                " ORDER BY p.published_on DESC, p.nominee LIMIT %s",
                (day, day, PUBLIC_LIMIT),
            ).fetchall()
        return [
            PublicNominee(
                proposal_id=str(row["proposal_id"]),
                nominee=row["nominee"],
                nominee_kind=row["nominee_kind"],
                form=row["form"],
                form_name_vi=_FORM_NAMES.get(row["form"], (row["form"],) * 2)[0],
                form_name_en=_FORM_NAMES.get(row["form"], (row["form"],) * 2)[1],
                title=row["title"],
                summary=row["summary"],
                proposing_unit=row["proposing_unit"],
                published_on=row["published_on"],
                window_end=row["window_end"],
            )
            for row in rows
        ]
