"""The sealed box of one list vote as a value: lines, electorate, who voted, box, shares, count.

An aggregate holding a list vote (a cluster's year-end conference, a council session) keeps one
`ListBox` and asks it every rule: who may cast, which lines each voter's ballot holds, whether
a closed box is whole, whether a trustee's share proves itself, and the count per line. Who
voted is kept; how is never: the box holds ballots under receipt hashes, sorted by receipt.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

from domain.kernel.errors import BallotError, InvalidInput
from domain.voting.ballot import Tally, check_ballot
from domain.voting.election_key import ElectionKey, PartialDecryption
from domain.voting.elgamal import Ciphertext
from domain.voting.list_ballot import (
    ListBallot,
    ballots_per_line,
    check_line_id,
    check_line_share,
    check_lines,
    check_list,
    check_list_box,
    count_lines,
    expected_lines,
    line_totals,
    list_context,
    list_tracker_of,
)
from domain.voting.vote import Sealing


@dataclass(frozen=True)
class ListEntry:
    """One sealed list ballot in a closed box, under its voter's receipt hash, never a name."""

    receipt: str
    ballot: dict[str, Any]

    @property
    def tracker(self) -> str:
        return list_tracker_of(self.ballot)

    def sealed(self) -> ListBallot:
        return ListBallot.from_json(self.ballot)

    def to_json(self) -> dict[str, Any]:
        return {"receipt": self.receipt, "ballot": self.ballot}


@dataclass(frozen=True)
class ListBox:
    """A list vote from opening to count. `own_lines` names, per voter, the lines of its own
    candidates (a unit's own nomination, a council member's conflict): it has none of them."""

    vote_id: str
    lines: tuple[str, ...]
    electorate: tuple[str, ...]
    own_lines: tuple[tuple[str, tuple[str, ...]], ...]
    election_key: dict[str, Any]
    voted: tuple[str, ...] = ()
    box: tuple[ListEntry, ...] | None = None  # once the vote closes to ballots
    sealing: Sealing | None = None
    shares: tuple[dict[str, Any], ...] = ()
    result: tuple[tuple[str, Tally], ...] | None = None

    @classmethod
    def opened(
        cls,
        vote_id: str,
        lines: Sequence[str],
        electorate: Sequence[str],
        own_lines: Mapping[str, Collection[str]],
        election_key: Mapping[str, Any],
    ) -> ListBox:
        """A new box; refused when the lines, the electorate or the own lines do not fit."""
        lines = check_lines(lines)
        if not electorate or len(set(electorate)) != len(electorate):
            raise InvalidInput("a list vote needs an electorate of distinct voters")
        for voter, own in own_lines.items():
            if voter not in electorate:
                raise InvalidInput("{voter} has own lines but is not a voter", voter=voter)
            for line in own:
                check_line_id(line)
            if not expected_lines(lines, own):
                raise InvalidInput("{voter} has no line to vote on: leave it out", voter=voter)
        ElectionKey.from_json(election_key)
        kept = tuple((voter, tuple(sorted(set(own_lines[voter])))) for voter in sorted(own_lines))
        return cls(vote_id, lines, tuple(electorate), kept, dict(election_key))

    # ---- reading --------------------------------------------------------------------------

    def key(self) -> ElectionKey:
        return ElectionKey.from_json(self.election_key)

    @property
    def context(self) -> str:
        return list_context(self.vote_id, self.key())

    def own(self, voter: str) -> tuple[str, ...]:
        return dict(self.own_lines).get(voter, ())

    def expected(self, voter: str) -> tuple[str, ...]:
        """The lines `voter`'s ballot holds."""
        return expected_lines(self.lines, self.own(voter))

    def line_electorate(self, line: str) -> tuple[str, ...]:
        """The voters who have this line: every voter but the candidate's own."""
        return tuple(voter for voter in self.electorate if line not in self.own(voter))

    @property
    def is_sealed(self) -> bool:
        return self.sealing is not None

    @property
    def is_counted(self) -> bool:
        return self.result is not None

    @property
    def is_open(self) -> bool:
        return not self.is_sealed and not self.is_counted

    @property
    def trustees(self) -> list[int]:
        return [int(share["trustee"]) for share in self.shares]

    @property
    def shares_missing(self) -> int:
        if not self.box:
            return 0  # an empty box counts zero without opening anything
        return max(0, int(self.election_key["threshold"]) - len(self.shares))

    def receipts(self) -> list[str]:
        return [entry.receipt for entry in self.box or ()]

    def sealed_box(self) -> list[ListBallot]:
        return [entry.sealed() for entry in self.box or ()]

    def encrypted(self) -> dict[str, list[Ciphertext]]:
        """Each line's encrypted totals, the product of the sealed box."""
        return line_totals(self.sealed_box(), self.lines)

    def tallies(self) -> dict[str, Tally] | None:
        return None if self.result is None else dict(self.result)

    # ---- the rules ------------------------------------------------------------------------

    def check_cast(self, voter: str) -> None:
        """`voter` may cast now: the box is open, it is a voter and has not voted."""
        if not self.is_open:
            raise BallotError("the list vote is closed: its ballot box is sealed")
        check_ballot(voter, self.electorate, self.voted)

    def check_ballot(self, voter: str, ballot: object) -> ListBallot:
        """A sealed list from `voter`: exactly its lines, every line proved."""
        self.check_cast(voter)
        return check_list(ballot, self.lines, self.own(voter), self.key(), self.context)

    def check_box(self, box: Sequence[Mapping[str, Any]]) -> list[ListBallot]:
        if not self.is_open:
            raise BallotError("the list vote is closed: its ballot box is sealed")
        own = [self.own(voter) for voter in self.voted]
        return check_list_box(box, self.lines, own, self.key(), self.context)

    def check_share(self, share: Mapping[str, Any]) -> PartialDecryption:
        """A trustee's decryption share of the sealed box's line totals, proved."""
        if not self.is_sealed or self.is_counted:
            raise BallotError("a decryption share is taken only while a sealed box is counted")
        part = PartialDecryption.from_json(share)
        if part.trustee in self.trustees:
            raise InvalidInput("trustee {trustee} has already given a share", trustee=part.trustee)
        check_line_share(self.key(), self.encrypted(), part, self.context)
        return part

    def count(self) -> dict[str, Tally]:
        """Open each line's totals with the trustees' shares; no ballot is opened alone."""
        ballots = self.sealed_box()
        parts = [PartialDecryption.from_json(share) for share in self.shares]
        return count_lines(
            self.key(),
            line_totals(ballots, self.lines),
            parts,
            ballots_per_line(ballots, self.lines),
            self.context,
        )

    # ---- the changes events make ---------------------------------------------------------

    def with_ballot(self, voter: str) -> ListBox:
        return replace(self, voted=(*self.voted, voter))

    def with_box(self, box: Sequence[Mapping[str, Any]], sealing: Sealing) -> ListBox:
        # Sorted by receipt, so the box's order says nothing about the order of voting.
        entries = sorted(_entries(box), key=lambda entry: entry.receipt)
        return replace(self, box=tuple(entries), sealing=sealing)

    def with_share(self, share: Mapping[str, Any]) -> ListBox:
        return replace(self, shares=(*self.shares, dict(share)))

    def with_result(self, tallies: Mapping[str, Tally]) -> ListBox:
        return replace(self, result=tuple(sorted(tallies.items())))

    # ---- plain data ----------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {
            "vote_id": self.vote_id,
            "lines": list(self.lines),
            "electorate": list(self.electorate),
            "own_lines": {voter: list(lines) for voter, lines in self.own_lines},
            "election_key": self.election_key,
            "voted": list(self.voted),
            "box": None if self.box is None else [entry.to_json() for entry in self.box],
            "sealed": None if self.sealing is None else self.sealing.to_json(),
            "shares": list(self.shares),
            "result": None
            if self.result is None
            else {line: asdict(tally) for line, tally in self.result},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ListBox:
        box, sealed, result = data.get("box"), data.get("sealed"), data.get("result")
        return cls(
            vote_id=str(data["vote_id"]),
            lines=tuple(data["lines"]),
            electorate=tuple(data["electorate"]),
            own_lines=tuple((v, tuple(lines)) for v, lines in data["own_lines"].items()),
            election_key=dict(data["election_key"]),
            voted=tuple(data.get("voted") or ()),
            box=None if box is None else tuple(_entries(box)),
            sealing=None if sealed is None else Sealing(sealed["reason"], sealed["closed_at"]),
            shares=tuple(data.get("shares") or ()),
            result=None
            if result is None
            else tuple((line, Tally(**tally)) for line, tally in result.items()),
        )


def _entries(box: Sequence[Mapping[str, Any]]) -> list[ListEntry]:
    return [ListEntry(str(entry["receipt"]), dict(entry["ballot"])) for entry in box]
