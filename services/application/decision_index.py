"""The list of decisions for many, in PostgreSQL: one row per decision, written when it is
issued (again, harmlessly, on a repeat). A unique index on issuer, year and number stands
beside the number-derived aggregate id as a second guard of the series."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.decision.aggregate import Decision
from domain.proposal.decision import parse_decision_number
from infra.postgres import Pool

SCHEMA = """
CREATE TABLE IF NOT EXISTS awards_decisions (
    id uuid PRIMARY KEY,
    issuer text NOT NULL,
    year integer NOT NULL,
    number integer NOT NULL,
    written text NOT NULL,
    decided_on date NOT NULL,
    summary text NOT NULL,
    awardees integer NOT NULL,
    excluded integer NOT NULL,
    signer text NOT NULL,
    signing_form text NOT NULL,
    sha256 text NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS awards_decisions_number
    ON awards_decisions (issuer, year, number);
"""


@dataclass(frozen=True)
class DecisionRow:
    id: str
    issuer: str
    number: int
    written: str
    decided_on: date
    summary: str
    awardees: int
    excluded: int
    signer: str
    signing_form: str
    sha256: str

    @classmethod
    def of(cls, decision: Decision) -> DecisionRow:
        return cls(
            id=str(decision.id),
            issuer=decision.issuer,
            number=parse_decision_number(decision.number).number,
            written=decision.number,
            decided_on=decision.decided_on,
            summary=decision.summary,
            awardees=len(decision.annex),
            excluded=len(decision.excluded),
            signer=decision.signature.signer,
            signing_form=decision.signature.form.value,
            sha256=str(decision.record["sha256"]),
        )


class DecisionIndex:
    def __init__(self, pool: Pool) -> None:
        self._pool = pool

    def ensure_schema(self) -> None:
        with self._pool.connection() as conn:
            conn.execute(SCHEMA)

    def record(self, row: DecisionRow) -> None:
        with self._pool.connection() as conn:
            conn.execute(
                "INSERT INTO awards_decisions (id, issuer, year, number, written, decided_on,"
                " summary, awardees, excluded, signer, signing_form, sha256) VALUES"
                " (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING",
                (
                    row.id,
                    row.issuer,
                    row.decided_on.year,
                    row.number,
                    row.written,
                    row.decided_on,
                    row.summary,
                    row.awardees,
                    row.excluded,
                    row.signer,
                    row.signing_form,
                    row.sha256,
                ),
            )

    def list(self, year: int | None, limit: int, offset: int) -> list[DecisionRow]:
        with self._pool.connection() as conn:
            rows = conn.execute(
                "SELECT * FROM awards_decisions WHERE (%(year)s::int IS NULL OR year = %(year)s)"
                " ORDER BY year DESC, number DESC LIMIT %(limit)s OFFSET %(offset)s",
                {"year": year, "limit": limit, "offset": offset},
            ).fetchall()
        fields = DecisionRow.__dataclass_fields__
        return [DecisionRow(**{**{k: r[k] for k in fields}, "id": str(r["id"])}) for r in rows]
