"""One member's score on one criterion: self-score with evidence, the head's adjustment, the
member's one contest of it and the deputy's settlement, with every value kept."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from domain.kernel.errors import DomainError, InvalidInput


class Settlement(StrEnum):
    KEEP = "keep"  # the head's adjusted value stands
    RESTORE = "restore"  # the member's own score is restored


@dataclass(frozen=True)
class Evidence:
    """A document backing a self-score, by its id in the document store and its hash."""

    document_id: str
    sha256: str

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> Evidence:
        document_id, sha256 = str(data.get("document_id", "")), str(data.get("sha256", ""))
        if not document_id or len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise InvalidInput("a document is given by its id and its sha256 (64 hex digits)")
        return cls(document_id, sha256)

    def to_json(self) -> dict[str, str]:
        return {"document_id": self.document_id, "sha256": self.sha256}


@dataclass(frozen=True)
class Score:
    unit: str
    criterion: str
    points: int  # the member's own score
    evidence: tuple[Evidence, ...] = ()
    adjusted: int | None = None  # the head's value, kept beside the member's
    adjust_reason: str = ""
    contest_reason: str | None = None  # set once: a member contests an adjustment only once
    settled: Settlement | None = None
    settle_reason: str = ""

    @property
    def final(self) -> int:
        """The value that counts: the adjustment unless the deputy restored the member's."""
        if self.adjusted is None or self.settled == Settlement.RESTORE:
            return self.points
        return self.adjusted

    @property
    def open_contest(self) -> bool:
        return self.contest_reason is not None and self.settled is None

    def to_json(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "criterion": self.criterion,
            "points": self.points,
            "evidence": [e.to_json() for e in self.evidence],
            "adjusted": self.adjusted,
            "adjust_reason": self.adjust_reason,
            "contest_reason": self.contest_reason,
            "settled": self.settled.value if self.settled else None,
            "settle_reason": self.settle_reason,
            "final": self.final,
        }


def check_points(points: int, criterion: str, maximum: Mapping[str, int]) -> None:
    if criterion not in maximum:
        raise InvalidInput("no criterion {code!r} this year", code=criterion)
    if not 0 <= points <= maximum[criterion]:
        raise InvalidInput(
            "points for {code} are 0 to {max}, not {points}",
            code=criterion,
            max=maximum[criterion],
            points=points,
        )


def self_scored(
    score: Score | None, unit: str, criterion: str, points: int, evidence: tuple[Evidence, ...]
) -> Score:
    """A new self-score; rescoring is allowed until the head has adjusted it."""
    if score is not None and score.adjusted is not None:
        raise DomainError("the head has adjusted this score; contest the adjustment instead")
    return Score(unit, criterion, points, evidence)


def check_adjust(score: Score | None, reason: str) -> Score:
    """The head adjusts only a self-score that exists, once, and only with a reason."""
    if score is None:
        raise DomainError("there is no self-score to adjust")
    if not reason.strip():
        raise InvalidInput("an adjustment needs a reason")
    if score.adjusted is not None:
        raise DomainError("this score was adjusted already")
    return score


def adjusted(score: Score, points: int, reason: str) -> Score:
    return replace(score, adjusted=points, adjust_reason=reason.strip())


def check_contest(score: Score | None, unit: str, reason: str) -> Score:
    """Only the scored member contests, only an adjustment, only once, with a reason."""
    if score is None or score.adjusted is None:
        raise DomainError("only an adjusted score can be contested")
    if score.unit != unit:
        raise DomainError("only the scored member may contest its adjustment")
    if score.contest_reason is not None:
        raise DomainError("an adjustment may be contested once; this one was already")
    if not reason.strip():
        raise InvalidInput("a contest needs a reason")
    return score


def check_settle(score: Score | None, outcome: str, reason: str) -> Settlement:
    if score is None or not score.open_contest:
        raise DomainError("there is no open contest of this score")
    if not reason.strip():
        raise InvalidInput("settling a contest needs a reason")
    try:
        return Settlement(outcome)
    except ValueError:
        raise InvalidInput("a contest is settled by keep or restore") from None


def totals(scores: Mapping[str, Score], members: tuple[str, ...]) -> dict[str, int]:
    """Each member's total of final values (a member that scored nothing totals 0)."""
    result = dict.fromkeys(members, 0)
    for score in scores.values():
        result[score.unit] = result.get(score.unit, 0) + score.final
    return result


def contested(score: Score, reason: str) -> Score:
    return replace(score, contest_reason=reason)


def settled(score: Score, outcome: Settlement, reason: str) -> Score:
    return replace(score, settled=outcome, settle_reason=reason)
