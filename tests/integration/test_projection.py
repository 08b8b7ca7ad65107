"""The proposal list follows the event log in the background: it shows what the aggregates
show, and no event can stop it."""

from __future__ import annotations

import contextlib
import random
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import psycopg
import pytest
from conftest import side_service
from eventsourcing.persistence import StoredEvent
from journey import call, create, eventually, ids, inbox_of
from psycopg.rows import dict_row
from temporalio.testing import WorkflowEnvironment
from typer.testing import CliRunner

from domain.kernel.actor import Actor
from domain.kernel.errors import DomainError
from domain.proposal.aggregate import Proposal
from domain.proposal.forms import find_form
from infra.postgres import connection_pool
from services.application.proposals import AwardsApplication
from services.cli.main import app as cli
from services.projections.log_follower import LogFollower
from services.projections.proposal_list import TABLE, ProposalSummaries
from services.projections.proposal_rows import VOTING_STATES
from services.runtime import build_application

# The guided random walk of the domain's property test, reused on the real database.
sys.path.insert(0, str(Path(__file__).parents[1] / "unit"))
from test_proposal import nominate
from test_proposal_properties import COMMANDS, _allowed

pytestmark = pytest.mark.integration
PROPOSER = Actor("ninh-binh.proposer", "proposer")


def _rows(database_url: str) -> dict[UUID, dict[str, Any]]:
    with psycopg.connect(database_url, row_factory=dict_row) as conn:
        found = conn.execute(f"SELECT * FROM {TABLE}").fetchall()
    return {row["id"]: row for row in found}


def _expected(proposal: Proposal) -> dict[str, Any]:
    stage = {"cluster_voting": "cluster", "council_voting": "council"}.get(proposal.state)
    vote = proposal.votes.get(stage or "")
    return {
        "state": proposal.state,
        "version": proposal.version,
        "updated_at": proposal.modified_on,
        "title": proposal.title,
        "nominee": proposal.nominee.name,
        "counting": bool(vote and vote.counting),
        "voted": list(vote.voted) if vote else [],
        "electorate": list(vote.electorate) if vote else [],
    }


def _shown(row: dict[str, Any]) -> dict[str, Any]:
    voting = row["state"] in VOTING_STATES
    return {
        **{key: row[key] for key in ("state", "version", "updated_at", "title", "nominee")},
        "counting": row["counting"],
        "voted": row["voted"] if voting else [],
        "electorate": row["electorate"] if voting else [],
    }


def _walk(proposal: Proposal, step: int, rng: random.Random) -> None:
    allowed = _allowed(proposal, step)
    # The domain's walk leaves out hold and withdraw (they would end most walks); a hold is
    # what a row must see through here, so it comes up often, and a withdrawal now and then.
    extra = ["hold"] * (rng.random() < 0.2) + ["withdraw"] * (rng.random() < 0.03)
    pool = allowed + extra if rng.random() < 0.85 else sorted(COMMANDS)
    if not pool:
        return  # a closed proposal
    # Ballots before sealing, so that votes pass and walks reach the later states.
    weights = [6 if "ballot" in name else 1 for name in pool]
    with contextlib.suppress(DomainError):  # a refused command records nothing
        COMMANDS[rng.choices(pool, weights)[0]](proposal, f"step-{step}")


@pytest.fixture
def store(fresh_database: str) -> Iterator[tuple[AwardsApplication, LogFollower]]:
    """An event store and the list's follower on a database of their own (no Temporal)."""
    app = build_application(fresh_database)
    pool = connection_pool(fresh_database, max_size=2)
    ProposalSummaries(pool).ensure_schema()
    yield app, LogFollower(pool, app)
    app.close()
    pool.close()


def test_each_row_shows_what_the_aggregate_shows(
    store: tuple[AwardsApplication, LogFollower], fresh_database: str
) -> None:
    """Many proposals walk random legal paths; saved in batches, followed at random moments."""
    app, follower = store
    rng = random.Random(20261201)
    proposals = [nominate(id=uuid4(), title=f"Đề nghị {n}") for n in range(30)]
    app.save(*proposals)
    states: set[str] = set()

    def compare(loaded: bool) -> None:
        rows = _rows(fresh_database)
        for proposal in proposals:
            seen = app.proposal(proposal.id) if loaded else proposal
            assert _shown(rows[proposal.id]) == _expected(seen), proposal.id
            states.add(seen.state + (" counting" if _expected(seen)["counting"] else ""))

    for step in range(40):
        for proposal in proposals:
            _walk(proposal, step, rng)
        app.save(*proposals)
        if rng.random() < 0.4:
            follower.catch_up(limit=rng.choice([7, 50, 1000]))
            compare(loaded=False)
    follower.catch_up()
    compare(loaded=True)
    # The walks went deep enough to mean something, and every event was applied.
    assert len(states) >= 10 and "council_voting counting" in states, states
    with psycopg.connect(fresh_database) as conn:
        assert conn.execute("SELECT * FROM awards_projection_failures").fetchall() == []


def _nul_draft(app: AwardsApplication) -> UUID:
    """A draft whose title holds U+0000, stored through the application as an older API did."""
    proposal, _ = app.nominate(
        proposal_id=uuid4(),
        form=find_form("vusta_medal"),
        year=2026,
        proposing_unit="lhh-ninh-binh",
        cluster="cum-4",
        nominee={"kind": "individual", "name": "Lê\x00 Minh"},
        title="x\x00",
        summary="",
        actor=PROPOSER,
        key=f"nul-{uuid4()}",
        rulebook_version="decree-152-2025",
    )
    return proposal.id


async def test_an_event_with_nul_neither_stops_the_list_nor_the_inbox(
    fresh_database: str,
    tmp_path: Path,
    temporal_env: WorkflowEnvironment,
    executor: ThreadPoolExecutor,
) -> None:
    async with side_service(
        tmp_path, fresh_database, temporal_env.client, "awards-nul", executor
    ) as (runtime, api):
        poisoned = str(_nul_draft(runtime.app))
        later = await create(api)
        for user in ("ninh-binh.proposer", "auditor", "thanh-hoa.member", "vusta.secretary"):
            listed = await eventually(
                lambda user=user: call(api, "GET", "/api/proposals", user),  # type: ignore[misc]
                lambda a: later in ids(a) or not a["items"],
            )
            assert listed is not None
            await inbox_of(api, user)  # 200 for everyone
        shown = await call(api, "GET", "/api/proposals", "auditor")
        titles = {str(item["id"]): item["title"] for item in shown["items"]}
        assert titles[poisoned] == "x\u2400" and later in titles
        drafts = await inbox_of(api, "ninh-binh.proposer")
        assert {poisoned, later} <= ids(drafts)
        health = (await api.get("/health")).json()
        assert health["status"] == "ok", health


async def test_an_event_that_cannot_be_applied_shows_on_health_and_the_rest_goes_on(
    fresh_database: str,
    tmp_path: Path,
    temporal_env: WorkflowEnvironment,
    executor: ThreadPoolExecutor,
) -> None:
    async with side_service(
        tmp_path, fresh_database, temporal_env.client, "awards-broken", executor
    ) as (runtime, api):
        # An event of a kind no code can read any more (a topic that resolves to nothing).
        [broken] = runtime.app.recorder.insert_events(
            [StoredEvent(uuid4(), 2, "domain.proposal:Proposal.Vanished", b"{}")]
        ) or [0]
        later = await create(api)
        await eventually(
            lambda: call(api, "GET", "/api/proposals", "auditor"), lambda a: later in ids(a)
        )
        answer = await api.get("/health")
        assert answer.status_code == 200  # every reader keeps being served
        health = answer.json()
        report = health["projections"]["proposal_list"]
        assert health["status"] == "degraded" and report["status"] == "degraded"
        assert report["failures"] == 1 and f"notification {broken}" in report["detail"]
        assert report["position"] >= broken
        # A rebuild starts from zero: the event still cannot be read, and says so again.
        runtime.follower.rebuild()
        status = runtime.summaries.status()
        assert [f.notification_id for f in status.failures] == [broken]
        assert status.position == status.head


def test_the_rebuild_command_starts_from_zero_and_replaces_the_list(
    store: tuple[AwardsApplication, LogFollower],
    fresh_database: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app, follower = store
    proposals = [nominate(id=uuid4(), title=f"Đề nghị {n}") for n in range(5)]
    app.save(*proposals)
    follower.catch_up()
    before = _rows(fresh_database)
    with psycopg.connect(fresh_database, autocommit=True) as conn:
        conn.execute(f"UPDATE {TABLE} SET state = 'decided'")  # a list gone wrong
    monkeypatch.setenv("AWARDS_DATABASE_URL", fresh_database)
    rebuilt = CliRunner().invoke(cli, ["projections", "rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "rebuilt from 5 notifications" in rebuilt.output
    assert _rows(fresh_database) == before
    status = CliRunner().invoke(cli, ["projections", "status"])
    assert status.exit_code == 0 and "no failures" in status.output
