"""The conference's box of LIST ballots: one ballot per member unit, a sealed yes/no/abstain
ballot per candidate line, each bound to its line, and the count per line.

Stand-in for [listballot]'s ``domain/voting/list_ballot.py`` (same names: ``line_context``,
``seal_list``, ``check_list``, ``line_totals``, ``count_lines``): the year uses only this
module, so moving to that one is a change here alone. Built from the one-choice sealed ballot
of ``domain/voting/sealed_ballot.py``, so the proofs and the trustees' count are today's.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

from domain.kernel.errors import BallotError, InvalidInput
from domain.voting.ballot import Choice, Tally
from domain.voting.election_key import ElectionKey, PartialDecryption
from domain.voting.elgamal import Ciphertext, Rand
from domain.voting.sealed_ballot import SealedBallot, check_sealed, count, seal, totals, tracker_of


def line_context(context: str, line_id: str) -> str:
    """What one line's proofs (and its count's shares) are bound to."""
    return f"{context}/line/{line_id}"


def seal_list(
    choices: Mapping[str, Choice | str], key: ElectionKey, context: str, rand: Rand
) -> dict[str, Any]:
    """A list ballot as plain data: each line's choice sealed under the election key."""
    return {
        "lines": {
            line: seal(choice, key, line_context(context, line), rand).to_json()
            for line, choice in sorted(choices.items())
        }
    }


def check_list(
    ballot: object,
    lines: Sequence[str],
    own_lines: Collection[str],
    key: ElectionKey,
    context: str,
) -> dict[str, SealedBallot]:
    """A voter's list ballot has exactly one sealed ballot for every line but its own
    candidate's (a line for its own candidate is refused), each proved for that line."""
    if not isinstance(ballot, Mapping) or not isinstance(ballot.get("lines"), Mapping):
        raise InvalidInput("a list ballot is {lines: {line: sealed ballot}}")
    given = ballot["lines"]
    check_lines(given, lines, own_lines)
    return {
        line: check_sealed(given[line], key, line_context(context, line)) for line in sorted(given)
    }


def check_lines(given: Collection[str], lines: Sequence[str], own_lines: Collection[str]) -> None:
    """A list ballot (sealed or plain) has a line for every candidate but the voter's own."""
    own = sorted(line for line in given if line in own_lines)
    if own:
        raise BallotError("no unit votes on its own line: {lines}", lines=", ".join(own))
    expected = {line for line in lines if line not in own_lines}
    if set(given) != expected:
        raise BallotError(
            "a list ballot has one choice for each line: {lines}", lines=", ".join(sorted(expected))
        )


def _line_ballots(box: Iterable[Mapping[str, Any]], line: str) -> list[SealedBallot]:
    return [
        SealedBallot.from_json(entry["ballot"]["lines"][line])
        for entry in box
        if line in entry["ballot"]["lines"]
    ]


def line_totals(box: Iterable[Mapping[str, Any]], line: str) -> list[Ciphertext]:
    """The encrypted totals of one line: the product of the box's ballots on that line."""
    return totals(_line_ballots(box, line))


def count_lines(
    key: ElectionKey,
    box: Sequence[Mapping[str, Any]],
    shares: Sequence[Mapping[str, Any]],
    lines: Sequence[str],
    context: str,
) -> dict[str, Tally]:
    """Open every line's totals with the trustees' shares ({trustee, lines: {line: share}})."""
    result: dict[str, Tally] = {}
    for line in lines:
        ballots = _line_ballots(box, line)
        if not ballots:
            result[line] = Tally()
            continue
        parts = [PartialDecryption.from_json(share["lines"][line]) for share in shares]
        result[line] = count(key, totals(ballots), parts, len(ballots), line_context(context, line))
    return result


def list_tracker(ballot: Mapping[str, Any]) -> str:
    """What a voter finds their ballot by in the sealed box: a hash of its ciphertexts."""
    lines = {line: tracker_of(sealed) for line, sealed in sorted(ballot["lines"].items())}
    return hashlib.sha256(json.dumps(lines, separators=(",", ":")).encode()).hexdigest()
