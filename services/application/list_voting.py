"""List votes as use cases over any `ListBox` (a cluster's conference, a council session): seal a
voter's list, its receipt, the count as trustees and auditors see it, the service's and a
trustee's decryption shares, and an auditor's recount with no secret.

Whoever holds the box (an aggregate and its workflow) records who voted and, at closing, the
sealed ballots under receipt hashes; nothing here stores anything or knows that holder.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from domain.kernel.errors import DomainError
from domain.voting.ballot import Tally
from domain.voting.election_key import ElectionKey, KeyShare, PartialDecryption, check_share_matches
from domain.voting.elgamal import Ciphertext
from domain.voting.list_ballot import (
    ListBallot,
    ballots_per_line,
    check_choices,
    check_line_share,
    check_list_box,
    count_lines,
    decryption_share,
    line_totals,
    list_context,
    list_tracker_of,
    seal_list,
)
from domain.voting.list_box import ListBox
from infra.trustee_keys import Custody, secret_exponent
from services.application.receipts import issue_receipt, issued_to, receipt_hash
from services.application.trustee import Refused
from services.application.voting import ReceiptCheck, ReceiptNotFound, ReceiptNotYours

__all__ = ["ReceiptNotFound", "ReceiptNotYours", "Refused"]


def _receipt_vote(box: ListBox) -> str:
    return f"list-vote:{box.vote_id}"  # never the text of a proposal id


@dataclass(frozen=True)
class ListBallotInput:
    """A voter's list: plain choices (line id → yes/no/abstain) the service seals at once, or
    a list their own client sealed under the vote's key."""

    choices: Mapping[str, str] | None = None
    sealed: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class CastList:
    """What the box's holder records (the sealed list and the receipt's hash, never a name
    beside them) and what the voter is shown once (the receipt and the tracker)."""

    ballot: dict[str, Any]
    receipt: str
    receipt_hash: str
    tracker: str


def sealed_list(box: ListBox, voter: str, ballot: ListBallotInput) -> dict[str, Any]:
    """The voter's list sealed under the vote's key and checked: exactly its lines. A plain
    choice lives only in this call's memory; it is never logged, stored or sent on."""
    if ballot.sealed is not None:
        return box.check_ballot(voter, ballot.sealed).to_json()
    box.check_cast(voter)
    choices = check_choices(ballot.choices or {}, box.lines, box.own(voter))
    return seal_list(choices, box.key(), box.context, secret_exponent).to_json()


def cast_list(
    secret: bytes,
    box: ListBox,
    username: str,
    voter: str,
    ballot: ListBallotInput,
    key: str | None,
) -> CastList:
    """Seal (or check) the list and issue the receipt of `username`, who casts for `voter`
    (its own unit in a cluster, itself in a council). The same idempotency key gives the same
    receipt, so a retried cast still matches what its voter was shown."""
    sealed = sealed_list(box, voter, ballot)
    receipt = issue_receipt(secret, username, _receipt_vote(box), key)
    return CastList(sealed, receipt, receipt_hash(receipt), list_tracker_of(sealed))


def check_list_receipt(secret: bytes, box: ListBox, username: str, receipt: str) -> ReceiptCheck:
    """Whether the voter's sealed list is in the box and counted; only its voter may ask."""
    if not issued_to(secret, receipt, username, _receipt_vote(box)):
        raise ReceiptNotYours("this receipt was issued to another voter")
    if box.box is None:
        return ReceiptCheck(
            counted=False, in_box=False, detail="the box is sealed when the vote closes"
        )
    digest = receipt_hash(receipt)
    receipts = box.receipts()
    if digest not in receipts:
        raise ReceiptNotFound("no ballot in this vote's box has that receipt")
    counted = box.is_counted
    return ReceiptCheck(
        counted=counted,
        in_box=True,
        stage=box.vote_id,
        tracker=box.box[receipts.index(digest)].tracker,
        detail="in the sealed box and counted in the recorded totals"
        if counted
        else "in the sealed box; the totals are not opened yet",
    )


@dataclass(frozen=True)
class ListCount:
    """A list vote's sealed box as voters, trustees and auditors check it before and after
    opening anything: everything needed to recount, no secret and no voter's name."""

    vote_id: str
    election_key: dict[str, Any]
    lines: list[str]
    electorate_per_line: dict[str, int]
    sealed: bool
    voters: int
    voted_own_lines: list[list[str]]  # each voter's own lines, sorted: no names
    box: list[dict[str, Any]]
    totals: dict[str, list[list[str]]] | None
    shares: list[dict[str, Any]]
    shares_missing: int | None
    result: dict[str, dict[str, int]] | None = field(default=None)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def count_view(box: ListBox) -> ListCount:
    key = box.key()
    return ListCount(
        vote_id=box.vote_id,
        election_key={**key.to_json(), "fingerprint": key.fingerprint},
        lines=list(box.lines),
        electorate_per_line={line: len(box.line_electorate(line)) for line in box.lines},
        sealed=box.is_sealed,
        voters=len(box.voted),
        voted_own_lines=sorted(list(box.own(voter)) for voter in box.voted),
        box=[entry.to_json() for entry in box.box or ()],
        totals=_hex(box.encrypted()) if box.is_sealed else None,
        shares=list(box.shares),
        shares_missing=box.shares_missing if box.is_sealed else None,
        result=None if box.result is None else _plain(dict(box.result)),
    )


def _plain(tallies: Mapping[str, Tally]) -> dict[str, dict[str, int]]:
    return {line: asdict(tally) for line, tally in tallies.items()}


def _hex(encrypted: Mapping[str, list[Ciphertext]]) -> dict[str, list[list[str]]]:
    return {line: [ct.to_json() for ct in cts] for line, cts in encrypted.items()}


def service_shares(box: ListBox, custody: Custody) -> list[dict[str, Any]]:
    """Decryption shares of a sealed box's line totals from the key shares this service holds
    (none when the trustees hold them all); never more than the count needs."""
    fingerprint = box.key().fingerprint
    held = [s for s in custody.shares if s.key == fingerprint and s.trustee not in box.trustees]
    encrypted = box.encrypted()
    return [
        decryption_share(share, encrypted, box.context, secret_exponent).to_json()
        for share in held[: box.shares_missing]
    ]


@dataclass(frozen=True)
class Recounted:
    """A box recounted from its published count: the tallies, or what stopped the recount."""

    encrypted: dict[str, list[Ciphertext]]
    tallies: dict[str, Tally] | None
    problems: list[str]


def _key_and_context(count: Mapping[str, Any]) -> tuple[ElectionKey, str]:
    key = ElectionKey.from_json(count["election_key"])
    return key, list_context(str(count["vote_id"]), key)


def _checked_totals(count: Mapping[str, Any]) -> dict[str, list[Ciphertext]]:
    """Every ballot's proofs, the box whole, and the server's totals its product."""
    key, context = _key_and_context(count)
    ballots = check_list_box(count["box"], count["lines"], count["voted_own_lines"], key, context)
    encrypted = line_totals(ballots, count["lines"])
    if count["totals"] is not None and _hex(encrypted) != count["totals"]:
        raise DomainError("the published totals are not the product of the box")
    return encrypted


def recount(count: Mapping[str, Any]) -> Recounted:
    """An auditor's recount with no secret: check the box, its totals, every trustee's share,
    open the totals and hold them to the recorded result."""
    problems: list[str] = []
    try:
        key, context = _key_and_context(count)
        encrypted = _checked_totals(count)
        ballots = [ListBallot.from_json(entry["ballot"]) for entry in count["box"]]
    except (DomainError, KeyError, TypeError) as error:
        return Recounted({}, None, [str(error)])
    parts = []
    for share in count["shares"]:
        try:
            part = PartialDecryption.from_json(share)
            check_line_share(key, encrypted, part, context)
            parts.append(part)
        except DomainError as error:
            problems.append(f"trustee {share.get('trustee')}: {error}")
    try:
        per_line = ballots_per_line(ballots, count["lines"])
        tallies = count_lines(key, encrypted, parts, per_line, context)
    except DomainError as error:
        return Recounted(encrypted, None, [*problems, str(error)])
    recorded = count.get("result")
    if recorded is not None and _plain(tallies) != recorded:
        problems.append(f"the box counts {tallies}, the record says {recorded}")
    return Recounted(encrypted, tallies, problems)


def list_share_for(count: Mapping[str, Any], share: KeyShare) -> dict[str, Any]:
    """A trustee's decryption share of a sealed list vote's line totals, recomputed here from
    the box: a server that sent anything but the product of a whole box would get nothing."""
    try:
        key, context = _key_and_context(count)
        check_share_matches(key, share)
        if not count["sealed"]:
            raise Refused("the ballot box is not sealed yet: the vote is still open")
        if count["result"] is not None:
            raise Refused("this vote is already counted")
        if share.trustee in [s.get("trustee") for s in count["shares"]]:
            raise Refused(
                "trustee {trustee} has already given a share for this vote", trustee=share.trustee
            )
        encrypted = _checked_totals(count)
    except Refused:
        raise
    except DomainError as error:
        raise Refused("not a vote this share can count: {error}", error=error.message) from None
    except (KeyError, TypeError) as error:
        raise Refused("not a vote this share can count: {error}", error=str(error)) from None
    return decryption_share(share, encrypted, context, secret_exponent).to_json()
