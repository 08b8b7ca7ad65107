"""List ballots: one sealed yes/no/abstain line per candidate, each line with its own proofs.

A conference votes on several candidates at once (the Flag candidate, the Certificate
candidates; in a council session, every proposal of the session). Each line of a list ballot is
a `SealedBallot` whose proofs are bound to `line_context(context, line_id)`, so a line cannot be
moved to another candidate's line or into another vote. A voter has no line for its own
candidate. Lines are multiplied per line across the box and only those totals are opened, by
the trustees' checked decryption shares, exactly as a single ballot's are.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from domain.kernel.errors import BallotError, InvalidInput
from domain.voting.ballot import Choice, Tally
from domain.voting.election_key import (
    ElectionKey,
    KeyShare,
    PartialDecryption,
    check_partial,
    open_totals,
    partially_decrypt,
)
from domain.voting.elgamal import Ciphertext, Rand
from domain.voting.sealed_ballot import (
    OPTIONS,
    SealedBallot,
    check_sealed,
    count_context,
    read_tally,
    seal,
    totals,
)

MAX_LINES = 200  # a council session's whole list; a ballot stays well under Temporal's 2 MB
_LINE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:@-]{0,99}")


def list_context(vote_id: str, key: ElectionKey) -> str:
    """What every proof of one list vote is bound to."""
    return f"awards-list-ballot/{vote_id}/{key.fingerprint}"


def line_context(ballot_context: str, line_id: str) -> str:
    """What the proofs of one line are bound to: the vote and the candidate's line."""
    return f"{ballot_context}/line/{line_id}"


def check_line_id(line_id: object) -> str:
    if not isinstance(line_id, str) or not _LINE_ID.fullmatch(line_id):
        raise InvalidInput(
            "a line id is 1 to 100 letters, digits or . _ : @ - (starting with a letter or"
            " digit), got {line!r}",
            line=str(line_id)[:120],
        )
    return line_id


def check_lines(lines: Sequence[str]) -> tuple[str, ...]:
    """A vote's list of lines: 1 to MAX_LINES distinct line ids."""
    if not 1 <= len(lines) <= MAX_LINES:
        raise InvalidInput(
            "a list ballot has 1 to {most} lines, got {count}", most=MAX_LINES, count=len(lines)
        )
    if len(set(lines)) != len(lines):
        raise InvalidInput("a list ballot names each line once")
    return tuple(check_line_id(line) for line in lines)


def expected_lines(lines: Sequence[str], own_lines: Collection[str]) -> tuple[str, ...]:
    """The lines one voter's ballot holds: every line of the vote but its own candidates'."""
    return tuple(line for line in check_lines(lines) if line not in own_lines)


@dataclass(frozen=True)
class ListBallot:
    """One voter's sealed list: (line id, sealed line) pairs, sorted by line id."""

    lines: tuple[tuple[str, SealedBallot], ...]

    @classmethod
    def of(cls, lines: Mapping[str, SealedBallot]) -> ListBallot:
        check_lines(list(lines))
        return cls(tuple(sorted(lines.items())))

    @property
    def line_ids(self) -> tuple[str, ...]:
        return tuple(line for line, _ in self.lines)

    def line(self, line_id: str) -> SealedBallot | None:
        return dict(self.lines).get(line_id)

    def to_json(self) -> dict[str, Any]:
        return {"lines": {line: sealed.to_json() for line, sealed in self.lines}}

    @classmethod
    def from_json(cls, data: object) -> ListBallot:
        """Strict: exactly {lines}, each a valid line id holding one sealed ballot."""
        if not isinstance(data, Mapping) or set(data) != {"lines"}:
            raise InvalidInput("a list ballot is {lines}")
        lines = data["lines"]
        if not isinstance(lines, Mapping):
            raise InvalidInput("a list ballot's lines are an object: line id → sealed ballot")
        return cls.of({check_line_id(line): SealedBallot.from_json(b) for line, b in lines.items()})

    @property
    def tracker(self) -> str:
        """A fingerprint of every line's ciphertexts; it tells nothing about the choices."""
        return list_tracker_of(self.to_json())


def list_tracker_of(stored: Mapping[str, Any]) -> str:
    """The tracker of a list ballot as stored (JSON), unparsed."""
    ciphertexts = {
        line: [selection["ciphertext"] for selection in ballot["selections"]]
        for line, ballot in stored["lines"].items()
    }
    canonical = json.dumps(ciphertexts, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_choices(
    choices: Mapping[str, Choice | str], lines: Sequence[str], own_lines: Collection[str]
) -> dict[str, Choice]:
    """A plain list before sealing: exactly the voter's lines, each yes, no or abstain."""
    _check_held(list(choices), expected_lines(lines, own_lines), lines, own_lines)
    try:
        return {line: Choice(choices[line]) for line in choices}
    except ValueError:
        raise InvalidInput("every line's choice is yes, no or abstain") from None


def seal_list(
    choices: Mapping[str, Choice | str], key: ElectionKey, context: str, secret: Rand
) -> ListBallot:
    """Seal each line's choice under the key, its proofs bound to the vote and the line."""
    check_lines(list(choices))
    return ListBallot.of(
        {
            check_line_id(line): seal(choice, key, line_context(context, line), secret)
            for line, choice in choices.items()
        }
    )


def _check_held(
    held: Collection[str],
    expected: Sequence[str],
    lines: Sequence[str],
    own_lines: Collection[str],
) -> None:
    for line in held:
        if line not in lines:
            raise InvalidInput("the ballot has a line {line} that is not on this vote", line=line)
        if line in own_lines:
            raise BallotError("a voter has no line for its own candidate {line}", line=line)
    for line in expected:
        if line not in held:
            raise InvalidInput("the ballot has no line for {line}", line=line)


def _as_json(ballot: object) -> object:
    return ballot.to_json() if isinstance(ballot, ListBallot) else ballot


def _proved(data: object, key: ElectionKey, context: str) -> ListBallot:
    """Every line proved to hold exactly one choice, for this vote and this line."""
    parsed = ListBallot.from_json(data)
    assert isinstance(data, Mapping)  # from_json refuses anything else
    for line, stored in data["lines"].items():
        check_sealed(stored, key, line_context(context, line))
    return parsed


def check_list(
    ballot: object,
    lines: Sequence[str],
    own_lines: Collection[str],
    key: ElectionKey,
    context: str,
) -> ListBallot:
    """Parse and check one voter's list ballot (JSON or a ListBallot): exactly its lines (all
    the vote's lines but its own candidates'), every line's proofs checked."""
    data = _as_json(ballot)
    parsed = ListBallot.from_json(data)
    _check_held(parsed.line_ids, expected_lines(lines, own_lines), lines, own_lines)
    return _proved(data, key, context)


def check_list_box(
    box: Sequence[Mapping[str, Any]],
    lines: Sequence[str],
    voters_own_lines: Sequence[Collection[str]],
    key: ElectionKey,
    context: str,
) -> list[ListBallot]:
    """A closed box: one ballot per recorded voter (given by its own lines, never its name),
    each under its own receipt hash, no line copied from another ballot, each proved; and
    the ballots' sets of lines are exactly the voters' sets, one for one."""
    if len(box) != len(voters_own_lines):
        raise BallotError(
            "the ballot box holds {ballots} ballots but {voters} members voted",
            ballots=len(box),
            voters=len(voters_own_lines),
        )
    receipts = [entry.get("receipt") for entry in box]
    if not all(isinstance(r, str) and len(r) == 64 for r in receipts):
        raise BallotError("every ballot in the box needs its own receipt hash")
    if len(set(receipts)) != len(receipts):
        raise BallotError("two ballots in the box share a receipt")
    wanted = Counter(frozenset(expected_lines(lines, own)) for own in voters_own_lines)
    ballots, seen = [], set()
    for entry in box:
        ballot = _proved(entry.get("ballot"), key, context)
        held = frozenset(ballot.line_ids)
        if wanted[held] == 0:
            raise BallotError("a ballot in the box holds lines no recorded voter was given")
        wanted[held] -= 1
        for line, sealed in ballot.lines:
            if (line, sealed.tracker) in seen:
                raise BallotError("the box holds the same sealed line twice")
            seen.add((line, sealed.tracker))
        ballots.append(ballot)
    return ballots


def line_totals(ballots: Iterable[ListBallot], lines: Sequence[str]) -> dict[str, list[Ciphertext]]:
    """The encrypted count of each option of each line: the product of that line's ballots."""
    ballots = list(ballots)
    return {
        line: totals(held for b in ballots if (held := b.line(line)) is not None)
        for line in sorted(lines)
    }


def ballots_per_line(ballots: Iterable[ListBallot], lines: Sequence[str]) -> dict[str, int]:
    held = Counter(line for ballot in ballots for line in ballot.line_ids)
    return {line: held[line] for line in sorted(lines)}


def _flat(encrypted: Mapping[str, Sequence[Ciphertext]]) -> list[Ciphertext]:
    # One list in line-id order, so a trustee's share and the count read the same positions.
    return [ct for line in sorted(encrypted) for ct in encrypted[line]]


def decryption_share(
    share: KeyShare, encrypted: Mapping[str, Sequence[Ciphertext]], context: str, secret: Rand
) -> PartialDecryption:
    """A trustee's share of every line's totals at once, each factor proved."""
    return partially_decrypt(share, _flat(encrypted), count_context(context), secret)


def check_line_share(
    key: ElectionKey,
    encrypted: Mapping[str, Sequence[Ciphertext]],
    part: PartialDecryption,
    context: str,
) -> None:
    check_partial(key, _flat(encrypted), part, count_context(context))


def count_lines(
    key: ElectionKey,
    encrypted: Mapping[str, Sequence[Ciphertext]],
    parts: Iterable[PartialDecryption],
    ballots: Mapping[str, int],
    context: str,
) -> dict[str, Tally]:
    """Open every line's totals with the trustees' checked shares and read off the numbers."""
    if not any(ballots.values()):
        return {line: Tally() for line in sorted(encrypted)}  # nothing sealed, nothing to open
    flat = _flat(encrypted)
    parts = list(parts)
    for part in parts:
        check_partial(key, flat, part, count_context(context))
    opened = open_totals(key, flat, parts)
    width = len(OPTIONS)
    return {
        line: read_tally(opened[n * width : (n + 1) * width], ballots[line])
        for n, line in enumerate(sorted(encrypted))
    }
