"""What a council session's list ballot costs against one single-proposal ballot: 25 members
vote a 40-line list (a few recused from one line each), each list sealed, the closed box
checked, and the trustees' opening (3 of 5 shares, each share checked, the lines counted);
against one single ballot sealed, checked as a box of one and opened by the same trustees,
measured in the same run. Seal and check are compared per sealed line, the opening per line.

    .venv/bin/python bench/session.py [--members 25] [--lines 40] [--recused 3] [--rounds 3]
"""

from __future__ import annotations

import argparse

from list_ballot import CHOICES, rand, timed

from domain.voting.election_key import ElectionKey, KeyShare, check_partial, deal
from domain.voting.election_key import partially_decrypt as single_share
from domain.voting.list_ballot import (
    ballots_per_line,
    check_line_share,
    check_list_box,
    count_lines,
    decryption_share,
    line_totals,
    list_context,
    seal_list,
)
from domain.voting.sealed_ballot import check_box, context, count, count_context, seal, totals

Figures = tuple[float, float, float]


def session_round(
    key: ElectionKey, shares: list[KeyShare], members: int, lines: list[str], recused: int
) -> Figures:
    """One session: the first `recused` members each sit out one line, as recusal does."""
    ctx = list_context(f"bench-session-{rand()}", key)
    own = [[lines[m]] if m < recused else [] for m in range(members)]
    plans = [
        {line: CHOICES[(m + n) % 3] for n, line in enumerate(lines) if line not in own[m]}
        for m in range(members)
    ]
    seal_s, sealed = timed(lambda: [seal_list(p, key, ctx, rand).to_json() for p in plans])
    box = [{"receipt": f"{n:064x}", "ballot": b} for n, b in enumerate(sealed)]
    check_s, ballots = timed(lambda: check_list_box(box, lines, own, key, ctx))

    def open_lines() -> object:
        encrypted = line_totals(ballots, lines)
        parts = [decryption_share(s, encrypted, ctx, rand) for s in shares[:3]]
        for part in parts:
            check_line_share(key, encrypted, part, ctx)
        return count_lines(key, encrypted, parts, ballots_per_line(ballots, lines), ctx)

    open_s, _ = timed(open_lines)
    return seal_s, check_s, open_s


def single_round(key: ElectionKey, shares: list[KeyShare]) -> Figures:
    """One proposal's ballot: sealed, checked as a box of one, opened by 3 trustees."""
    ctx = context(f"bench-single-{rand()}", "council", key)
    seal_s, ballot = timed(lambda: seal("yes", key, ctx, rand).to_json())
    box = [{"receipt": f"{0:064x}", "ballot": ballot}]
    check_s, checked = timed(lambda: check_box(box, 1, key, ctx))

    def open_one() -> object:
        encrypted = totals(checked)
        opening = count_context(ctx)
        parts = [single_share(s, encrypted, opening, rand) for s in shares[:3]]
        for part in parts:
            check_partial(key, encrypted, part, opening)
        return count(key, encrypted, parts, len(checked), ctx)

    open_s, _ = timed(open_one)
    return seal_s, check_s, open_s


def best(rounds: list[Figures]) -> list[float]:
    return [min(step) for step in zip(*rounds, strict=True)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=25)
    parser.add_argument("--lines", type=int, default=40)
    parser.add_argument("--recused", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    key, shares = deal(5, 3, rand)
    lines = [f"line-{n}" for n in range(args.lines)]
    sealed_lines = args.members * args.lines - args.recused
    single_round(key, shares)  # build the key's tables once, outside the timing
    session = best(
        [session_round(key, shares, args.members, lines, args.recused) for _ in range(args.rounds)]
    )
    single = best([single_round(key, shares) for _ in range(args.rounds)])
    print(
        f"session: {args.members} members × {args.lines} lines, {args.recused} recusals"
        f" ({sealed_lines} sealed lines); best of {args.rounds} rounds, 3 of 5 trustees"
    )
    print(
        f"{'step':<7}{'session':>12}{'one ballot':>13}{'per':>7}"
        f"{'ms/per session':>16}{'ratio to one':>14}"
    )
    per = {"seal": sealed_lines, "check": sealed_lines, "open": args.lines}
    for (step, units), whole, one in zip(per.items(), session, single, strict=True):
        each = 1000 * whole / units
        print(
            f"{step:<7}{1000 * whole:>10.1f}ms{1000 * one:>11.2f}ms"
            f"{'line' if step == 'open' else 'sealed':>7}{each:>16.2f}{each / (1000 * one):>14.2f}"
        )


if __name__ == "__main__":
    main()
