"""One vote on a proposal as a value: its electorate, rule, key, box, shares and result."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from typing import Any

from domain.voting.ballot import BallotRule, Outcome, Tally, rule_from
from domain.voting.election_key import ElectionKey
from domain.voting.sealed_ballot import SealedBallot, tracker_of


@dataclass(frozen=True)
class BoxEntry:
    """One sealed ballot in a closed box, under its voter's receipt hash and never a name.
    The ballot stays the JSON it was sealed as: its numbers are parsed (each a group check)
    only where its proofs are checked."""

    receipt: str
    ballot: dict[str, Any]

    @property
    def tracker(self) -> str:
        return tracker_of(self.ballot)

    def sealed(self) -> SealedBallot:
        return SealedBallot.from_json(self.ballot)

    def to_json(self) -> dict[str, Any]:
        return {"receipt": self.receipt, "ballot": self.ballot}


@dataclass(frozen=True)
class Sealing:
    """Why and when a vote closed to ballots."""

    reason: str
    closed_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {"reason": self.reason, "closed_at": self.closed_at}


@dataclass(frozen=True)
class VoteResult:
    """The opened count, the outcome the recorded rule gives it, and the Vietnamese day of it."""

    tally: Tally
    outcome: Outcome
    reason: str
    closed_on: date

    @property
    def approved(self) -> bool:
        return self.outcome == Outcome.APPROVED

    def to_json(self) -> dict[str, Any]:
        return {
            "tally": asdict(self.tally),
            "outcome": self.outcome.value,
            "reason": self.reason,
            "closed_on": self.closed_on.isoformat(),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> VoteResult:
        return cls(
            tally=Tally(**data["tally"]),
            outcome=Outcome(data["outcome"]),
            reason=str(data["reason"]),
            closed_on=date.fromisoformat(data["closed_on"]),
        )


@dataclass(frozen=True)
class Vote:
    """A secret ballot from opening to result. Who voted is kept; how is never known here.
    The election key and the trustees' shares stay as published (JSON) for the same reason
    as the box's ballots."""

    electorate: tuple[str, ...]
    rule: BallotRule
    deadline: datetime
    election_key: dict[str, Any]
    voted: tuple[str, ...] = ()
    box: tuple[BoxEntry, ...] | None = None  # once the vote closes to ballots
    sealing: Sealing | None = None
    shares: tuple[dict[str, Any], ...] = ()  # trustees' decryption shares of the totals
    result: VoteResult | None = None

    @property
    def is_sealed(self) -> bool:
        return self.sealing is not None

    @property
    def is_counted(self) -> bool:
        return self.result is not None

    @property
    def is_open(self) -> bool:
        """Ballots are taken: the box is neither sealed nor counted."""
        return not self.is_sealed and not self.is_counted

    @property
    def counting(self) -> bool:
        """The box is sealed and waits for the trustees' shares before the count opens."""
        return self.is_sealed and not self.is_counted

    @property
    def ballots(self) -> int:
        return len(self.box or ())

    @property
    def trustees(self) -> list[int]:
        """The trustees who gave a share, in order of giving."""
        return [share["trustee"] for share in self.shares]

    @property
    def shares_missing(self) -> int:
        """How many more trustees must give a share before the count can be opened."""
        if not self.box:
            return 0  # an empty box counts zero without opening anything
        return max(0, int(self.election_key["threshold"]) - len(self.shares))

    def key(self) -> ElectionKey:
        return ElectionKey.from_json(self.election_key)

    def sealed_box(self) -> list[SealedBallot]:
        return [entry.sealed() for entry in self.box or ()]

    def receipts(self) -> list[str]:
        return [entry.receipt for entry in self.box or ()]

    # ---- the changes events make ---------------------------------------------------------

    def with_ballot(self, voter: str) -> Vote:
        return replace(self, voted=(*self.voted, voter))

    def with_box(self, box: list[dict[str, Any]], sealing: Sealing) -> Vote:
        return replace(self, box=_entries(box), sealing=sealing)

    def with_share(self, share: dict[str, Any]) -> Vote:
        return replace(self, shares=(*self.shares, share))

    def with_result(self, result: VoteResult) -> Vote:
        return replace(self, result=result)

    # ---- plain data: the shape the aggregate kept before the value objects ---------------

    def to_json(self) -> dict[str, Any]:
        return {
            "electorate": list(self.electorate),
            "voted": list(self.voted),
            "rule": asdict(self.rule),
            "deadline": self.deadline,
            "election_key": self.election_key,
            "box": None if self.box is None else [entry.to_json() for entry in self.box],
            "sealed": None if self.sealing is None else self.sealing.to_json(),
            "shares": list(self.shares),
            "result": None if self.result is None else self.result.to_json(),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Vote:
        box, sealed, result = data.get("box"), data.get("sealed"), data.get("result")
        return cls(
            electorate=tuple(data["electorate"]),
            rule=rule_from(dict(data["rule"])),
            deadline=data["deadline"],
            election_key=data["election_key"],
            voted=tuple(data.get("voted") or ()),
            box=None if box is None else _entries(box),
            sealing=None if sealed is None else Sealing(sealed["reason"], sealed["closed_at"]),
            shares=tuple(data.get("shares") or ()),
            result=None if result is None else VoteResult.from_json(result),
        )


def _entries(box: list[dict[str, Any]]) -> tuple[BoxEntry, ...]:
    return tuple(BoxEntry(str(entry["receipt"]), entry["ballot"]) for entry in box)


@dataclass(frozen=True)
class SessionResult:
    """A proposal's line in a council session's count: the session and the judged result."""

    session_id: str
    result: VoteResult

    def to_json(self) -> dict[str, Any]:
        return {"session_id": self.session_id, "result": self.result.to_json()}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SessionResult:
        return cls(str(data["session_id"]), VoteResult.from_json(data["result"]))
