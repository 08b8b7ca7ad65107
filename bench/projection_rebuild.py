"""Benchmark: rebuilding the proposal list from zero, against a decoded read of the same log.

Fills a fresh database with proposals walked through the real aggregate (nomination, dossier,
submission, a cluster vote with every ballot, a hold and its release: 15 events each), saved
in batches. Then, in the same run, times (1) reading the whole notification log and decoding
every event with the application's mapper (eventsourcing's select_notifications + mapper), and
(2) `awards projections rebuild` (LogFollower.rebuild), which does that and also applies
each event to its row and writes the rows. The ratio is rebuild rate / decoded-read rate.

    .venv/bin/python bench/projection_rebuild.py [--proposals 2000]
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

from domain.kernel.actor import SYSTEM, Actor
from domain.proposal.aggregate import Proposal
from domain.proposal.forms import find_form
from domain.proposal.states import VoteStage
from domain.voting.election_key import deal
from domain.voting.elgamal import Q
from infra.postgres import (
    EmbeddedPostgres,
    connection_pool,
    create_database,
    drop_database,
    with_database,
)
from services.projections.log_follower import LogFollower
from services.projections.proposal_list import ProposalSummaries
from services.runtime import build_application

PROPOSER = Actor("ninh-binh.proposer", "proposer")
SECRETARY = Actor("vusta.secretary", "council_secretary")
ELECTORATE = [f"lhh-unit-{n}" for n in range(8)]
_random = random.Random(2026)
KEY = deal(3, 2, lambda: _random.randrange(1, Q))[0].to_json()
NOW = datetime(2026, 11, 20, 9, tzinfo=UTC)


def walked(n: int) -> Proposal:
    proposal = Proposal.nominate(
        id=uuid4(),
        form=find_form("vusta_flag"),
        year=2026,
        proposing_unit="lhh-ninh-binh",
        cluster="cum-4",
        nominee={"kind": "collective", "name": "LHH Ninh Bình", "unit_id": "lhh-ninh-binh"},
        title=f"Đề nghị tặng Cờ thi đua số {n}",
        summary="Dẫn đầu Cụm thi đua số 4",
        actor=PROPOSER,
        key=f"c{n}",
        rulebook_version="decree-152-2025",
    )
    for kind in ("request_letter", "achievement_report"):
        document = {"name": f"{kind}.pdf", "media_type": "application/pdf", "size": 10}
        proposal.attach_document({**document, "sha256": f"{kind}{n}", "kind": kind}, PROPOSER, kind)
    proposal.submit(PROPOSER, "s")
    proposal.open_vote(VoteStage.CLUSTER, ELECTORATE, {}, NOW, KEY, SYSTEM, "o")
    for voter in ELECTORATE:
        proposal.record_ballot(VoteStage.CLUSTER, voter, PROPOSER, f"b{voter}")
    proposal.hold("khiếu nại", SECRETARY, "h")
    proposal.release("xong", SECRETARY, "r")
    return proposal


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=2_000)
    args = parser.parse_args()
    server = os.environ.get("AWARDS_BENCH_DATABASE_URL")
    if server is None:
        server = EmbeddedPostgres.start(Path(tempfile.mkdtemp(prefix="awards-bench-"))).url
    name = f"awards_bench_{secrets.token_hex(4)}"
    create_database(server, name)
    url = with_database(server, name)
    app = build_application(url)
    pool = connection_pool(url, max_size=2)
    try:
        summaries = ProposalSummaries(pool)
        summaries.ensure_schema()
        started = time.perf_counter()
        for first in range(0, args.proposals, 200):
            app.save(*[walked(n) for n in range(first, min(first + 200, args.proposals))])
        events = app.recorder.max_notification_id() or 0
        print(f"filled {events} events in {time.perf_counter() - started:.1f} s")

        started = time.perf_counter()
        position, decoded = 0, 0
        while notes := app.recorder.select_notifications(
            start=position, limit=1_000, inclusive_of_start=False
        ):
            decoded += len([app.mapper.to_domain_event(note) for note in notes])
            position = notes[-1].id
        read_s = time.perf_counter() - started

        started = time.perf_counter()
        rebuilt = LogFollower(pool, app).rebuild()
        rebuild_s = time.perf_counter() - started
        status = summaries.status()
        assert rebuilt == decoded == events and status.position == events and not status.failures

        read_rate, rebuild_rate = decoded / read_s, rebuilt / rebuild_s
        print(f"decoded read: {read_rate:,.0f} events/s ({read_s:.2f} s)")
        print(f"rebuild:      {rebuild_rate:,.0f} events/s ({rebuild_s:.2f} s)")
        print(f"ratio:        {rebuild_rate / read_rate:.2f}x of the decoded read")
    finally:
        app.close()
        pool.close()
        drop_database(server, name)


if __name__ == "__main__":
    main()
