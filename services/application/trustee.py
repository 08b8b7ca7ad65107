"""What a trustee does with their key share, on their own machine: check a sealed vote and
give a decryption share of its totals, and nothing else."""

from __future__ import annotations

from typing import Any

from domain.kernel.errors import DomainError
from domain.voting.election_key import ElectionKey, KeyShare, check_share_matches, partially_decrypt
from domain.voting.sealed_ballot import check_sealed, context, count_context, totals
from infra.trustee_keys import secret_exponent


class Refused(DomainError):
    """The trustee's side refuses to give a share; the message says why."""

    code = "share-refused"


def share_for(
    proposal_id: str, stage: str, count: dict[str, Any], share: KeyShare
) -> dict[str, Any]:
    """A decryption share of the vote's totals, recomputed here from the sealed box. A server
    that sent one ballot dressed up as the totals would get nothing: that would open a ballot."""
    try:
        key = ElectionKey.from_json(count["election_key"])
        check_share_matches(key, share)
        if not count["sealed"]:
            raise Refused("the ballot box is not sealed yet: the vote is still open")
        if count["result"] is not None:
            raise Refused("this vote is already counted")
        if share.trustee in count["shares_from"]:
            raise Refused(
                "trustee {trustee} has already given a share for this vote", trustee=share.trustee
            )
        ballot_context = context(proposal_id, stage, key)
        ballots = [check_sealed(ballot, key, ballot_context) for ballot in count["box"]]
        if len(ballots) != count["voters"] or len({b.tracker for b in ballots}) != len(ballots):
            raise Refused("the box does not hold exactly one distinct ballot per recorded voter")
        encrypted = totals(ballots)
        if [ct.to_json() for ct in encrypted] != count["totals"]:
            raise Refused("the server's totals are not the product of its box: refusing")
    except Refused:
        raise
    except DomainError as error:
        raise Refused("not a vote this share can count: {error}", error=error.message) from None
    except (KeyError, TypeError) as error:
        raise Refused("not a vote this share can count: {error}", error=str(error)) from None
    part = partially_decrypt(share, encrypted, count_context(ballot_context), secret_exponent)
    return part.to_json()
