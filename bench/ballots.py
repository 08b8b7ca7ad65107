"""What sealed ballots cost: sealing one (the API, or the voter's machine), checking one (the
workflow, and the recount), and recounting a whole box from scratch, against a baseline of
merely reading and fingerprinting the same ballots. No I/O: the domain's arithmetic alone.

    .venv/bin/python bench/ballots.py [--ballots 200]
"""

from __future__ import annotations

import argparse
import json
import secrets
import time

from domain.voting.election_key import deal, partially_decrypt
from domain.voting.elgamal import Q
from domain.voting.sealed_ballot import (
    check_box,
    context,
    count,
    count_context,
    seal,
    totals,
    tracker_of,
)


def rand() -> int:
    return secrets.randbelow(Q - 1) + 1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ballots", type=int, default=200)
    args = parser.parse_args()
    key, shares = deal(5, 3, rand)
    ctx = context("bench", "council", key)
    choices = ["yes", "no", "abstain"]

    started = time.perf_counter()
    ballots = [seal(choices[n % 3], key, ctx, rand).to_json() for n in range(args.ballots)]
    seal_s = time.perf_counter() - started
    box = [{"receipt": f"{n:064x}", "ballot": b} for n, b in enumerate(ballots)]

    started = time.perf_counter()
    for entry in box:  # baseline: read each ballot and fingerprint it, no proofs
        tracker_of(json.loads(json.dumps(entry["ballot"])))
    baseline_s = time.perf_counter() - started

    started = time.perf_counter()
    checked = check_box(box, len(box), key, ctx)  # every proof, once (nothing cached yet)
    check_s = time.perf_counter() - started

    started = time.perf_counter()
    encrypted = totals(checked)
    parts = [partially_decrypt(s, encrypted, count_context(ctx), rand) for s in shares[:3]]
    tally = count(key, encrypted, parts, len(checked), ctx)
    open_s = time.perf_counter() - started
    assert tally.cast == args.ballots

    n = args.ballots
    print(
        f"sealed ballots, 3-of-5 trustee key, {n} ballots ({len(json.dumps(box)) // n} bytes each)"
    )
    print(f"  seal         {seal_s / n * 1000:7.2f} ms/ballot  ({n / seal_s:8.1f} ballots/s)")
    print(f"  check proofs {check_s / n * 1000:7.2f} ms/ballot  ({n / check_s:8.1f} ballots/s)")
    print(
        f"  baseline     {baseline_s / n * 1000:7.2f} ms/ballot  ({n / baseline_s:8.1f} ballots/s)"
        "  read + fingerprint only"
    )
    print(f"  ratio check/baseline {check_s / baseline_s:.0f}x")
    print(f"  open the totals (product, 3 shares with proofs, small logs): {open_s * 1000:.1f} ms")
    print(f"  recount of the whole box from scratch: {check_s + open_s:.2f} s  → {tally}")


if __name__ == "__main__":
    main()
