"""What a list ballot costs against single ballots: a conference of 9 member units voting on 6
candidate lines (6 of the units are candidates, so each of them has 5 lines), sealed, checked
as a closed box and counted with 3 of 5 trustees' shares; against the same choices cast as 6
separate single-ballot votes. Figures per sealed line, so the ratio reads per line.

    .venv/bin/python bench/list_ballot.py [--voters 9] [--lines 6] [--rounds 3]
"""

from __future__ import annotations

import argparse
import secrets
import time
from collections.abc import Callable
from typing import Any

from domain.voting.election_key import ElectionKey, KeyShare, deal, partially_decrypt
from domain.voting.elgamal import Q
from domain.voting.list_ballot import (
    ballots_per_line,
    check_list_box,
    count_lines,
    decryption_share,
    line_totals,
    list_context,
    seal_list,
)
from domain.voting.sealed_ballot import check_box, context, count, count_context, seal, totals

CHOICES = ("yes", "no", "abstain")


def rand() -> int:
    return secrets.randbelow(Q - 1) + 1


def timed(step: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = step()
    return time.perf_counter() - started, result


def list_round(
    key: ElectionKey, shares: list[KeyShare], voters: int, lines: list[str]
) -> tuple[float, float, float]:
    ctx = list_context(f"bench-{rand()}", key)
    own = [[lines[v]] if v < len(lines) else [] for v in range(voters)]
    plans = [
        {line: CHOICES[(v + n) % 3] for n, line in enumerate(lines) if line not in own[v]}
        for v in range(voters)
    ]
    seal_s, sealed = timed(lambda: [seal_list(p, key, ctx, rand).to_json() for p in plans])
    box = [{"receipt": f"{n:064x}", "ballot": b} for n, b in enumerate(sealed)]
    check_s, ballots = timed(lambda: check_list_box(box, lines, own, key, ctx))

    def open_count() -> object:
        encrypted = line_totals(ballots, lines)
        parts = [decryption_share(s, encrypted, ctx, rand) for s in shares[:3]]
        return count_lines(key, encrypted, parts, ballots_per_line(ballots, lines), ctx)

    count_s, _ = timed(open_count)
    return seal_s, check_s, count_s


def single_round(
    key: ElectionKey, shares: list[KeyShare], voters: int, lines: list[str]
) -> tuple[float, float, float]:
    votes = {line: context(f"bench-{rand()}", line, key) for line in lines}
    electorate = {
        line: [v for v in range(voters) if v >= len(lines) or lines[v] != line] for line in lines
    }

    def seal_all() -> dict[str, list[dict[str, Any]]]:
        return {
            line: [
                {
                    "receipt": f"{v:064x}",
                    "ballot": seal(CHOICES[(v + n) % 3], key, ctx, rand).to_json(),
                }
                for v in electorate[line]
            ]
            for n, (line, ctx) in enumerate(votes.items())
        }

    seal_s, boxes = timed(seal_all)
    check_s, checked = timed(
        lambda: {line: check_box(boxes[line], len(boxes[line]), key, votes[line]) for line in lines}
    )

    def open_counts() -> object:
        for line, ballots in checked.items():
            encrypted = totals(ballots)
            ctx = count_context(votes[line])
            parts = [partially_decrypt(s, encrypted, ctx, rand) for s in shares[:3]]
            count(key, encrypted, parts, len(ballots), votes[line])
        return None

    count_s, _ = timed(open_counts)
    return seal_s, check_s, count_s


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--voters", type=int, default=9)
    parser.add_argument("--lines", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    key, shares = deal(5, 3, rand)
    lines = [f"line-{n}" for n in range(args.lines)]
    sealed_lines = args.voters * args.lines - min(args.voters, args.lines)
    single_round(key, shares, 2, lines[:1])  # build the key's tables once, outside the timing
    best_list = [
        min(r)
        for r in zip(
            *(list_round(key, shares, args.voters, lines) for _ in range(args.rounds)), strict=True
        )
    ]
    best_single = [
        min(r)
        for r in zip(
            *(single_round(key, shares, args.voters, lines) for _ in range(args.rounds)),
            strict=True,
        )
    ]
    print(
        f"{args.voters} voters × {args.lines} lines ({sealed_lines} sealed lines),"
        f" best of {args.rounds} rounds, 3 of 5 trustees"
    )
    print(
        f"{'step':<8}{'list ballot':>14}{'single ballots':>16}"
        f"{'ms/line list':>15}{'ms/line single':>16}{'ratio':>8}"
    )
    for step, lst, single in zip(("seal", "check", "count"), best_list, best_single, strict=True):
        per_list, per_single = 1000 * lst / sealed_lines, 1000 * single / sealed_lines
        print(
            f"{step:<8}{1000 * lst:>12.1f}ms{1000 * single:>14.1f}ms"
            f"{per_list:>15.2f}{per_single:>16.2f}{lst / single:>8.2f}"
        )


if __name__ == "__main__":
    main()
