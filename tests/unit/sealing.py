"""Sealed ballots and trustee shares for domain tests, under one 2-of-3 test key.

Sealing is the slow part (~15 ms a ballot), so ballots are cached by (proposal, stage, choice,
position): the same position never repeats within one box, so no box holds a copy.
"""

from __future__ import annotations

import random
from functools import cache
from typing import Any

from domain.proposal.aggregate import Proposal
from domain.proposal.states import VoteStage
from domain.voting.election_key import KeyShare, deal, partially_decrypt
from domain.voting.elgamal import Ciphertext, Q
from domain.voting.sealed_ballot import context, count_context, seal, totals

_random = random.Random(20261123)  # reproducible, and fine for tests only


def rand() -> int:
    return _random.randrange(1, Q)


KEY, SHARES = deal(3, 2, rand)
ELECTION_KEY = KEY.to_json()


@cache
def sealed(proposal_id: str, stage: str, choice: str, position: int) -> dict[str, Any]:
    del position  # only makes each cached ballot of a box distinct
    return seal(choice, KEY, context(proposal_id, stage, KEY), rand).to_json()


def box(proposal: Proposal, stage: VoteStage, *choices: str) -> list[dict[str, Any]]:
    """One sealed ballot per choice, each under its own receipt hash."""
    stage = VoteStage(stage)
    return [
        {"receipt": f"{n:064x}", "ballot": sealed(str(proposal.id), stage.value, choice, n)}
        for n, choice in enumerate(choices)
    ]


def share(proposal: Proposal, stage: VoteStage, trustee: KeyShare) -> dict[str, Any]:
    """A trustee's decryption share of the vote's sealed totals."""
    encrypted = tuple(totals(proposal.vote(stage).sealed_box()))
    return dict(_share(encrypted, proposal.ballot_context(stage), trustee))


@cache
def _share(encrypted: tuple[Ciphertext, ...], ballot_context: str, trustee: KeyShare) -> Any:
    part = partially_decrypt(trustee, encrypted, count_context(ballot_context), rand)
    return tuple(part.to_json().items())
