"""Benchmark: `awards audit verify` speed on a log of a million events.

Fills a fresh database through the real chaining trigger (events shaped like the service's,
five per proposal), which writes each event's hashes into its own row, then times the full
verification. Baseline, in the same run: streaming the same rows, hash columns included, with
the same query and no hashing, so the ratio shows what checking costs.

    .venv/bin/python bench/audit_verify.py [--events 1000000]
"""

from __future__ import annotations

import argparse
import os
import secrets
import tempfile
import time
from pathlib import Path

from infra import chain
from infra.postgres import (
    EmbeddedPostgres,
    connection_pool,
    create_database,
    drop_database,
    with_database,
)
from services.runtime import EVENTS_TABLE, build_application

PER_PROPOSAL = 5
FILL = f"""
INSERT INTO {EVENTS_TABLE} (originator_id, originator_version, topic, state)
SELECT md5('p' || p)::uuid, v, 'domain.proposal:Proposal.BallotRecorded',
       convert_to(format('{{"stage":"cluster","voter":"lhh-%s","actor_id":"u%s",'
                         '"actor_role":"cluster_member","key":"%s-%s"}}', v, p, p, v), 'UTF8')
  FROM generate_series(%s, %s) AS p, generate_series(1, {PER_PROPOSAL}) AS v
 ORDER BY p, v
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    args = parser.parse_args()
    server = os.environ.get("AWARDS_BENCH_DATABASE_URL")
    if server is None:
        server = EmbeddedPostgres.start(Path(tempfile.mkdtemp(prefix="awards-bench-"))).url
    name = f"awards_bench_{secrets.token_hex(4)}"
    create_database(server, name)
    url = with_database(server, name)
    app = build_application(url)  # creates the event store tables
    pool = connection_pool(url, max_size=2)
    try:
        chain.install(pool, EVENTS_TABLE)
        proposals = args.events // PER_PROPOSAL
        started = time.perf_counter()
        batch = 20_000
        with pool.connection() as conn:
            for first in range(1, proposals + 1, batch):
                last = min(first + batch - 1, proposals)
                conn.execute(FILL.replace("%s, %s)", f"{first}, {last})"))
        filled = time.perf_counter() - started
        total = proposals * PER_PROPOSAL
        print(
            f"filled {total} events through the chaining trigger in {filled:.1f} s"
            f" ({total / filled:,.0f} events/s)"
        )

        started = time.perf_counter()
        rows = sum(1 for _ in chain._rows(pool, EVENTS_TABLE, None))
        streamed = time.perf_counter() - started
        with pool.connection() as conn:
            unchained = conn.execute(
                f"SELECT count(*) AS n FROM {EVENTS_TABLE} WHERE log_hash IS NULL"
            ).fetchone()
        assert unchained is not None and unchained["n"] == 0, unchained
        started = time.perf_counter()
        report = chain.verify(pool, EVENTS_TABLE)
        verified = time.perf_counter() - started
        assert report.ok and report.events == total == rows, report.failure
        print(
            f"baseline: stream {rows} rows, no hashing: {streamed:.1f} s"
            f" ({rows / streamed:,.0f} rows/s)"
        )
        print(
            f"audit verify: {report.events} events in {verified:.1f} s"
            f" ({report.events / verified:,.0f} events/s),"
            f" {verified / streamed:.2f}x the baseline time"
        )
    finally:
        app.close()
        pool.close()
        drop_database(server, name)


if __name__ == "__main__":
    main()
