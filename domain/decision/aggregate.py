"""The Decision aggregate: one decision (Quyết định) with one number that awards many proposals;
its id follows from its number, shared with the single-proposal decisions' reservations, so no
two decisions of one issuer and year ever hold the same number."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.decision.signing import Signature
from domain.decision.text import AnnexLine, DecisionText, Exclusion
from domain.kernel.actor import Actor
from domain.kernel.errors import InvalidInput
from domain.proposal.decision import DecisionNumber

NUMBERS = uuid5(NAMESPACE_URL, "urn:awards:decision-number")


def number_holder_id(number: DecisionNumber, year: int) -> UUID:
    """The id of whatever holds a number in a year: a decision for many, or the reservation
    of a single-proposal decision (services/application/proposals.py)."""
    return uuid5(NUMBERS, number.key(year))


class Decision(Aggregate):
    """A decision for many: its text, signature, annex, the proposals left out, its record."""

    class Issued(Aggregate.Created):
        number: str
        number_key: str
        issuer: str
        decided_on: str
        summary: str
        bases: list[str]
        proposed_by: str
        articles: list[str]
        recipients: list[str]
        signature: dict[str, Any]
        annex: list[dict[str, Any]]
        excluded: list[dict[str, Any]]
        record: dict[str, Any]  # the generated PDF: name, media_type, sha256, size
        actor_id: str
        actor_role: str
        key: str

    @event(Issued)
    def __init__(
        self,
        *,
        number: str,
        number_key: str,
        issuer: str,
        decided_on: str,
        summary: str,
        bases: list[str],
        proposed_by: str,
        articles: list[str],
        recipients: list[str],
        signature: dict[str, Any],
        annex: list[dict[str, Any]],
        excluded: list[dict[str, Any]],
        record: dict[str, Any],
        actor_id: str,
        key: str,
    ) -> None:
        self.number = number
        self.number_key = number_key
        self.issuer = issuer
        self.decided_on = date.fromisoformat(decided_on)
        self.summary = summary
        self.bases = list(bases)
        self.proposed_by = proposed_by
        self.articles = list(articles)
        self.recipients = list(recipients)
        self.signature = Signature.from_json(signature)
        self.annex = [AnnexLine.from_json(line) for line in annex]
        self.excluded = [Exclusion.from_json(e) for e in excluded]
        self.record = dict(record)
        self.issued_by = actor_id
        self.key = key

    @classmethod
    def issue(cls, text: DecisionText, record: dict[str, Any], actor: Actor, key: str) -> Decision:
        if len(str(record.get("sha256", ""))) != 64:
            raise InvalidInput("a decision is issued with its generated record's sha256")
        return cls._create(
            cls.Issued,
            id=number_holder_id(text.number, text.decided_on.year),
            number=str(text.number),
            number_key=text.number.key(text.decided_on.year),
            issuer=text.number.issuer,
            decided_on=text.decided_on.isoformat(),
            summary=text.summary,
            bases=list(text.bases),
            proposed_by=text.proposed_by,
            articles=list(text.articles),
            recipients=list(text.recipients),
            signature=text.signature.to_json(),
            annex=[line.to_json() for line in text.annex],
            excluded=[e.to_json() for e in text.excluded],
            record=dict(record),
            actor_id=actor.id,
            actor_role=actor.role,
            key=key,
        )

    def outcomes(self) -> list[tuple[str, str, str]]:
        """(proposal id, outcome, reason) for every proposal the decision decides."""
        awarded = [(line.proposal_id, "awarded", "") for line in self.annex]
        return awarded + [(e.proposal_id, "rejected", e.reason) for e in self.excluded]
