"""Ballot receipts name their voter: only that voter may check one; older receipts stay open."""

from __future__ import annotations

import secrets
from uuid import uuid4

from services.application.receipts import issue_receipt, issued_to, receipt_hash

SECRET = b"receipt-test-secret"
PROPOSAL = uuid4()


def test_a_receipt_is_checkable_only_by_the_voter_it_was_issued_to() -> None:
    receipt = issue_receipt(SECRET, "council.1", PROPOSAL, None)
    assert issued_to(SECRET, receipt, "council.1", PROPOSAL)
    assert not issued_to(SECRET, receipt, "council.2", PROPOSAL)
    assert not issued_to(SECRET, receipt, "council.1", uuid4())
    assert not issued_to(b"another-secret", receipt, "council.1", PROPOSAL)


def test_a_receipt_whose_seal_was_changed_names_no_one() -> None:
    nonce, _, seal = issue_receipt(SECRET, "council.1", PROPOSAL, None).partition(".")
    forged = f"{nonce}.{'0' * len(seal)}"
    assert not issued_to(SECRET, forged, "council.1", PROPOSAL)


def test_a_ballot_repeated_with_its_key_gets_the_same_receipt_and_others_another() -> None:
    first = issue_receipt(SECRET, "council.1", PROPOSAL, "key-1")
    assert issue_receipt(SECRET, "council.1", PROPOSAL, "key-1") == first
    assert issue_receipt(SECRET, "council.2", PROPOSAL, "key-1") != first
    assert issue_receipt(SECRET, "council.1", PROPOSAL, "key-2") != first
    assert issue_receipt(SECRET, "council.1", PROPOSAL, None) != issue_receipt(
        SECRET, "council.1", PROPOSAL, None
    )


def test_a_receipt_from_before_receipts_named_their_voter_is_checkable_by_its_holder() -> None:
    older = secrets.token_urlsafe(24)  # how receipts were issued before
    assert issued_to(SECRET, older, "anyone", PROPOSAL)


def test_the_box_holds_only_the_receipts_hash() -> None:
    receipt = issue_receipt(SECRET, "council.1", PROPOSAL, None)
    assert len(receipt_hash(receipt)) == 64 and receipt not in receipt_hash(receipt)
