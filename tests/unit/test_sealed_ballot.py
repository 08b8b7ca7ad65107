"""Sealed ballots and the trustees' key: what the proofs accept, what they refuse, and that
any `threshold` trustees open the same totals while fewer open nothing."""

from __future__ import annotations

import json
import random
from itertools import combinations
from pathlib import Path
from typing import Any

import gmpy2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sealing import KEY, SHARES, rand, sealed

from domain.kernel.errors import BallotError, InvalidInput
from domain.voting.ballot import Tally
from domain.voting.election_key import (
    ElectionKey,
    KeyShare,
    PartialDecryption,
    check_partial,
    check_share_matches,
    deal,
    partially_decrypt,
)
from domain.voting.elgamal import (
    Ciphertext,
    G,
    P,
    Q,
    derive_group,
    encrypt,
    is_element,
    powmod,
    prove_bit,
)
from domain.voting.sealed_ballot import (
    SealedBallot,
    check_box,
    check_sealed,
    context,
    count,
    count_context,
    seal,
    totals,
    tracker_of,
)

CONTEXT = context("proposal-1", "council", KEY)


def sealed_box(*choices: str) -> list[dict[str, Any]]:
    return [
        {"receipt": f"{n:064x}", "ballot": sealed("proposal-1", "council", choice, n)}
        for n, choice in enumerate(choices)
    ]


def open_count(choices: tuple[str, ...], trustees: tuple[KeyShare, ...]) -> Tally:
    ballots = check_box(sealed_box(*choices), len(choices), KEY, CONTEXT)
    encrypted = totals(ballots)
    parts = [partially_decrypt(t, encrypted, count_context(CONTEXT), rand) for t in trustees]
    return count(KEY, encrypted, parts, len(ballots), CONTEXT)


# ---- the group -----------------------------------------------------------------------------


def test_the_group_is_rebuilt_from_its_published_label() -> None:
    p, q, _ = derive_group(
        lambda n: bool(gmpy2.is_prime(n, 50)), lambda n: int(gmpy2.next_prime(n))
    )
    assert (p, q) == (P, Q)
    assert (P - 1) % Q == 0 and G != 1 and powmod(G, Q, P) == 1


def test_numbers_outside_the_subgroup_are_not_elements() -> None:
    assert is_element(G) and is_element(1)
    assert not is_element(0) and not is_element(P) and not is_element(P - 1)


# ---- sealing and checking ------------------------------------------------------------------


@pytest.mark.parametrize("choice", ["yes", "no", "abstain"])
def test_a_sealed_ballot_proves_itself_and_says_nothing_of_its_choice(choice: str) -> None:
    ballot = seal(choice, KEY, CONTEXT, rand)
    stored = ballot.to_json()
    assert check_sealed(stored, KEY, CONTEXT) == ballot
    assert choice not in repr(stored)
    assert tracker_of(stored) == ballot.tracker and len(ballot.tracker) == 64


def test_two_ballots_of_one_choice_look_unrelated() -> None:
    first, second = (seal("yes", KEY, CONTEXT, rand) for _ in range(2))
    assert first.selections != second.selections and first.tracker != second.tracker


def test_a_ballot_is_bound_to_its_vote() -> None:
    stored = seal("yes", KEY, CONTEXT, rand).to_json()
    for other in (context("proposal-2", "council", KEY), context("proposal-1", "cluster", KEY)):
        with pytest.raises(InvalidInput, match="0 or 1 for this vote"):
            check_sealed(stored, KEY, other)


def _forged(bits: list[int]) -> dict[str, Any]:
    """Ciphertexts of any numbers, each with a 0-or-1 proof made as if the number were 0/1."""
    nonces = [rand() for _ in bits]
    selections = []
    for bit, nonce in zip(bits, nonces, strict=True):
        ct = encrypt(bit, KEY.public, nonce)
        proof = prove_bit(ct, min(bit, 1), nonce, KEY.public, CONTEXT, rand)
        selections.append({"ciphertext": ct.to_json(), "proof": proof.to_json()})
    honest = seal("yes", KEY, CONTEXT, rand).to_json()
    return {"selections": selections, "one": honest["one"]}


@pytest.mark.parametrize(
    ("bits", "refusal"),
    [
        ([2, 0, 0], "0 or 1"),  # two yes votes in one ballot
        ([1, 1, 0], "exactly one"),  # yes and no at once
        ([0, 0, 0], "exactly one"),  # an empty ballot passed off as a vote
    ],
)
def test_a_ballot_that_is_not_exactly_one_choice_is_refused(bits: list[int], refusal: str) -> None:
    with pytest.raises(InvalidInput, match=refusal):
        check_sealed(_forged(bits), KEY, CONTEXT)


def test_a_ballot_without_randomness_is_refused() -> None:
    stored = seal("yes", KEY, CONTEXT, rand).to_json()
    ct = Ciphertext.from_json(stored["selections"][0]["ciphertext"])
    stored["selections"][0]["ciphertext"] = Ciphertext(1, ct.beta).to_json()
    with pytest.raises(InvalidInput, match="without randomness"):
        check_sealed(stored, KEY, CONTEXT)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda b: b.pop("one"),
        lambda b: b["selections"].pop(),
        lambda b: b["selections"][0]["ciphertext"].__setitem__(0, "zz"),
        lambda b: b["selections"][0]["ciphertext"].__setitem__(0, format(P - 1, "x")),
        lambda b: b["selections"][1]["proof"].__setitem__("c0", format(Q, "x")),
        lambda b: b["selections"][2].__setitem__("extra", 1),
        lambda b: b["one"].__setitem__("v", "1"),
    ],
    ids=["no-sum", "two-options", "not-hex", "off-group", "out-of-range", "extra", "bad-sum"],
)
def test_a_malformed_or_tampered_ballot_is_refused(mangle: Any) -> None:
    stored = seal("no", KEY, CONTEXT, rand).to_json()
    mangle(stored)
    with pytest.raises(InvalidInput):
        check_sealed(stored, KEY, CONTEXT)


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=1, max_value=Q - 1), st.integers(min_value=0, max_value=2))
def test_changing_any_proof_number_breaks_the_ballot(delta: int, option: int) -> None:
    stored = seal("abstain", KEY, CONTEXT, rand).to_json()
    proof = stored["selections"][option]["proof"]
    proof["v1"] = format((int(proof["v1"], 16) + delta) % Q, "x")
    with pytest.raises(InvalidInput):
        check_sealed(stored, KEY, CONTEXT)


# ---- the box -------------------------------------------------------------------------------


def test_a_box_holds_one_proved_ballot_per_voter_under_distinct_receipts() -> None:
    assert len(check_box(sealed_box("yes", "no"), 2, KEY, CONTEXT)) == 2
    with pytest.raises(BallotError, match="holds 2 ballots but 3 members voted"):
        check_box(sealed_box("yes", "no"), 3, KEY, CONTEXT)
    short = sealed_box("yes")
    short[0]["receipt"] = "r1"
    with pytest.raises(BallotError, match="receipt hash"):
        check_box(short, 1, KEY, CONTEXT)


# ---- counting ------------------------------------------------------------------------------


@pytest.mark.parametrize("trustees", [*combinations(SHARES, 2), tuple(SHARES)])
def test_any_two_of_three_trustees_open_the_same_totals(trustees: tuple[KeyShare, ...]) -> None:
    assert open_count(("yes", "no", "yes", "abstain"), trustees) == Tally(2, 1, 1)


def test_one_trustee_alone_opens_nothing() -> None:
    with pytest.raises(BallotError, match="needs 2 trustees"):
        open_count(("yes",), (SHARES[0],))
    with pytest.raises(BallotError, match="needs 2 trustees"):
        open_count(("yes",), (SHARES[0], SHARES[0]))  # one trustee twice is still one
    assert open_count(("no",), (SHARES[0], SHARES[0], SHARES[2])) == Tally(0, 1, 0)


def test_a_share_made_for_other_totals_is_refused() -> None:
    ballots = check_box(sealed_box("yes", "no"), 2, KEY, CONTEXT)
    encrypted = totals(ballots)
    other = totals(ballots[:1])
    part = partially_decrypt(SHARES[0], other, count_context(CONTEXT), rand)
    with pytest.raises(InvalidInput, match="does not prove itself"):
        check_partial(KEY, encrypted, part, count_context(CONTEXT))


def test_a_share_claiming_another_trustee_is_refused() -> None:
    encrypted = totals(check_box(sealed_box("yes"), 1, KEY, CONTEXT))
    part = partially_decrypt(SHARES[0], encrypted, count_context(CONTEXT), rand)
    stolen = PartialDecryption.from_json({**part.to_json(), "trustee": 2})
    with pytest.raises(InvalidInput, match="trustee 2"):
        check_partial(KEY, encrypted, stolen, count_context(CONTEXT))


@settings(max_examples=10, deadline=None)
@given(st.lists(st.sampled_from(["yes", "no", "abstain"]), max_size=6))
def test_the_opened_totals_are_the_choices_cast(choices: list[str]) -> None:
    tally = open_count(tuple(choices), (SHARES[1], SHARES[2]))
    assert tally == Tally(choices.count("yes"), choices.count("no"), choices.count("abstain"))


# ---- the key ceremony ----------------------------------------------------------------------


def test_each_trustee_share_matches_its_public_verification_key() -> None:
    key, shares = deal(5, 3, rand)
    for share in shares:
        check_share_matches(key, share)
    wrong = KeyShare(2, shares[0].secret, key.fingerprint)
    with pytest.raises(InvalidInput, match="not trustee 2's share"):
        check_share_matches(key, wrong)
    with pytest.raises(InvalidInput, match="another election key"):
        check_share_matches(KEY, shares[0])


def test_an_election_key_survives_its_json_and_refuses_nonsense() -> None:
    assert ElectionKey.from_json(KEY.to_json()) == KEY
    for bad in (
        [],
        {**KEY.to_json(), "scheme": "rsa"},
        {**KEY.to_json(), "threshold": 0},
        {**KEY.to_json(), "trustees": 1},
        {**KEY.to_json(), "commitments": ["1", "1"]},
    ):
        with pytest.raises(InvalidInput):
            ElectionKey.from_json(bad)


def test_sealed_ballots_survive_their_json() -> None:
    ballot = seal("no", KEY, CONTEXT, rand)
    assert SealedBallot.from_json(ballot.to_json()) == ballot


@pytest.mark.parametrize("spelling", ["0x{}", "{}_", " {}", "{}\n"], ids=["0x", "_", "space", "nl"])
def test_a_number_has_one_spelling(spelling: str) -> None:
    stored = seal("yes", KEY, CONTEXT, rand).to_json()
    proof = stored["one"]
    proof["c"] = spelling.format(proof["c"])
    with pytest.raises(InvalidInput, match="hexadecimal"):
        check_sealed(stored, KEY, CONTEXT)


def test_json_true_is_not_trustee_one() -> None:
    with pytest.raises(InvalidInput):
        PartialDecryption.from_json({"trustee": True, "factors": [], "proofs": []})
    with pytest.raises(InvalidInput):
        ElectionKey.from_json({**KEY.to_json(), "threshold": True})


# ---- ballots sealed before the fixed-base tables -------------------------------------------

FIXTURE = Path(__file__).parent / "fixtures" / "sealed_ballots_a5ae73e.json"


def test_ballots_sealed_by_the_old_arithmetic_still_verify_and_count() -> None:
    """Ballots, totals and trustee shares made at a5ae73e with plain powmod, as stored events
    hold them: they still check, add up and open to the same tally."""
    stored = json.loads(FIXTURE.read_text())
    key = ElectionKey.from_json(stored["election_key"])
    box = [{"receipt": f"{n:064x}", "ballot": b} for n, b in enumerate(stored["ballots"])]
    ballots = check_box(box, len(box), key, stored["context"])
    encrypted = totals(ballots)
    assert [ct.to_json() for ct in encrypted] == stored["totals"]
    parts = [PartialDecryption.from_json(p) for p in stored["partials"]]
    assert count(key, encrypted, parts, 3, stored["context"]) == Tally(yes=1, no=1, abstain=1)


def test_the_same_randomness_seals_the_same_ballots_bit_for_bit() -> None:
    """The tables change the route, never a number: replaying the fixture's random draws
    gives the very key, ballots, proofs and shares the old arithmetic gave."""
    stored = json.loads(FIXTURE.read_text())
    draws = random.Random(stored["seed"])

    def replay() -> int:
        return draws.randrange(1, Q)

    key, shares = deal(3, 2, replay)
    assert key.to_json() == stored["election_key"]
    assert [share.to_json() for share in shares] == stored["shares"]
    ballots = [seal(choice, key, stored["context"], replay) for choice in stored["choices"]]
    assert [ballot.to_json() for ballot in ballots] == stored["ballots"]
    encrypted = totals(ballots)
    ctx = count_context(stored["context"])
    parts = [partially_decrypt(share, encrypted, ctx, replay) for share in shares[:2]]
    assert [part.to_json() for part in parts] == stored["partials"]
