"""Events and snapshots stored before the state was typed load to the same state and views;
a snapshot of a proposal in every state round-trips through the application's transcoder."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent
from test_proposal import (
    BUILDERS,
    NOW,
    PROPOSER,
    SECRETARY,
    cast,
    count_shares,
    key,
    open_vote,
    seal,
    supplemented,
)

from domain.kernel.actor import SYSTEM
from domain.kernel.calendar import VIETNAM
from domain.proposal.aggregate import Proposal
from domain.proposal.forwarding import DECREE_152, LAW_06_DECREE_98
from domain.proposal.states import State, VoteStage
from services.application.proposals import AwardsApplication
from services.application.views import proposal_view
from services.application.voting import count_view
from services.audit.record import _state_after, tally_checks

FIXTURE = Path(__file__).parent / "fixtures" / "proposal_histories_eb03e25.json"
ENVIRONMENT = {"PERSISTENCE_MODULE": "eventsourcing.popo", "IS_SNAPSHOTTING_ENABLED": "y"}


@cache
def recorded() -> dict[str, Any]:
    histories: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))["histories"]
    return histories


def _iso(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(type(value))


def dump(value: object) -> str:
    """JSON as the fixture was recorded (and close to what the API sends)."""
    return json.dumps(value, default=_iso, ensure_ascii=False)


def _stored(originator: UUID, item: dict[str, Any], topic: str | None = None) -> StoredEvent:
    return StoredEvent(
        originator_id=originator,
        originator_version=item["version"],
        topic=topic or item["topic"],
        state=item["state"].encode(),
    )


def loaded(name: str, old_module: bool = False) -> tuple[AwardsApplication, UUID]:
    """A fresh in-memory application holding a history's events exactly as they were stored."""
    history = recorded()[name]
    originator = UUID(history["id"])
    app = AwardsApplication(env=ENVIRONMENT)
    events = [
        _stored(
            originator,
            item,
            item["topic"].replace("domain.proposal.aggregate:", "domain.proposal:")
            if old_module
            else None,
        )
        for item in history["events"]
    ]
    app.recorder.insert_events(events)
    return app, originator


HISTORIES = ["decided", "long", "rejected", "withdrawn", "empty_box"]
# Shown since the rulebook version and the state-level route were recorded (tested below).
NEW_IN_VIEW = ("rulebook_version", "forwarded", "conference", "forwarding", "external_outcome")
# Appended to the creation event then, with its class_version.
NEW_IN_NOMINATED = {"rulebook_version": "decree-152-2025", "forwarded": False, "class_version": 2}


def view_as_recorded(proposal: Proposal) -> str:
    """The view without the fields the recorded views predate."""
    view = proposal_view(proposal)
    return dump({name: value for name, value in view.items() if name not in NEW_IN_VIEW})


@pytest.mark.parametrize("name", HISTORIES)
def test_events_stored_before_typed_state_give_the_same_views_at_every_version(name: str) -> None:
    app, originator = loaded(name)
    for expected in recorded()[name]["versions"]:
        proposal: Proposal = app.repository.get(originator, version=expected["version"])
        assert view_as_recorded(proposal) == expected["view"], expected["version"]
        assert dump(_state_after(proposal)) == expected["state_after"], expected["version"]
    assert proposal.version == len(recorded()[name]["events"])


@pytest.mark.parametrize("name", ["decided", "long", "empty_box"])
def test_the_count_views_and_recounts_of_stored_votes_are_unchanged(name: str) -> None:
    app, originator = loaded(name)
    proposal = app.proposal(originator)
    last = recorded()[name]["versions"][-1]
    counts = {
        stage: dump(asdict(count_view(proposal, VoteStage(stage)))) for stage in proposal.votes
    }
    assert counts == last["counts"]
    assert dump(tally_checks(proposal)) == last["tallies"]


def test_events_stored_under_the_old_module_topic_load_to_the_same_state() -> None:
    old_app, originator = loaded("long", old_module=True)
    new_app, _ = loaded("long")
    assert vars(old_app.proposal(originator)) == vars(new_app.proposal(originator))


@pytest.mark.parametrize("name", ["decided", "long"])
def test_a_snapshot_of_the_dict_shaped_state_is_upcast_to_the_typed_state(name: str) -> None:
    history = recorded()[name]
    originator = UUID(history["id"])
    app = AwardsApplication(env=ENVIRONMENT)
    assert app.snapshots is not None
    assert '"class_version"' not in history["snapshot"]["state"]  # stored at version 1
    # Only the snapshot is stored: the proposal can come from nowhere else.
    app.snapshots.recorder.insert_events([_stored(originator, history["snapshot"])])
    from_snapshot = app.proposal(originator)
    replayed, _ = loaded(name)
    assert vars(from_snapshot) == vars(replayed.proposal(originator))
    assert view_as_recorded(from_snapshot) == history["versions"][-1]["view"]


@pytest.mark.parametrize("name", HISTORIES)
def test_a_nomination_stored_before_versions_were_recorded_is_judged_by_the_version_of_its_day(
    name: str,
) -> None:
    app, originator = loaded(name)
    nominated = app.domain_events(originator)[0]
    assert '"rulebook_version"' not in recorded()[name]["events"][0]["state"]  # the old shape
    lodged = nominated.timestamp.astimezone(VIETNAM).date()
    expected = LAW_06_DECREE_98 if lodged < date(2025, 7, 1) else DECREE_152
    proposal = app.proposal(originator)
    assert (proposal.rulebook_version, proposal.forwarded) == (expected, False)
    assert proposal_view(proposal)["rulebook_version"] == expected


def test_an_old_nomination_lodged_before_decree_152_upcasts_to_law_06_and_decree_98() -> None:
    item = recorded()["decided"]["events"][0]
    state = json.loads(item["state"])
    state["timestamp"] = {"_type_": "datetime_iso", "_data_": "2025-06-30T16:59:00+00:00"}
    state["form"] = "government_flag"
    app = AwardsApplication(env=ENVIRONMENT)
    originator = UUID(recorded()["decided"]["id"])
    app.recorder.insert_events([_stored(originator, {**item, "state": json.dumps(state)})])
    proposal = app.proposal(originator)  # 23:59 on 30 June 2025 in Vietnam
    assert (proposal.rulebook_version, proposal.forwarded) == (LAW_06_DECREE_98, True)


def _normalised(state: bytes) -> dict[str, Any]:
    """An event's stored fields, without what differs between two runs (time, keys, ciphers)."""
    data: dict[str, Any] = json.loads(state)
    for varying in ("timestamp", "key", "box", "share"):
        data.pop(varying, None)
    return data


def long_history() -> Proposal:
    """The fixture's longest history: two returns' worth of dossier, a missed deadline, a hold
    and a council vote waiting for its second trustee's share."""
    proposal = supplemented()
    proposal.resubmit(PROPOSER, key())
    proposal.open_appraisal(NOW, SYSTEM, key())
    proposal.miss_deadline("appraisal", NOW, SYSTEM, key())
    proposal.hold("đang xác minh khiếu nại", SECRETARY, key())
    proposal.release("đã xác minh", SECRETARY, key())
    proposal.approve_appraisal(SECRETARY, key())
    open_vote(proposal, VoteStage.COUNCIL)
    cast(proposal, VoteStage.COUNCIL, 3)
    seal(proposal, VoteStage.COUNCIL, "yes", "no", "abstain")
    count_shares(proposal, VoteStage.COUNCIL, 1)
    return proposal


@pytest.mark.parametrize(
    ("name", "build"), [("decided", BUILDERS[State.DECIDED]), ("long", long_history)]
)
def test_the_declared_events_store_the_same_fields_in_the_same_order(
    name: str, build: Callable[[], Proposal]
) -> None:
    app = AwardsApplication(env=ENVIRONMENT)
    proposal = build()
    app.save(proposal)
    written = app.recorder.select_events(proposal.id)
    before = recorded()[name]["events"]
    assert [e.topic for e in written] == [e["topic"] for e in before]
    for now, then in zip(written, before, strict=True):
        normalised, expected = _normalised(now.state), _normalised(then["state"].encode())
        if now.topic.endswith("Proposal.Nominated"):
            expected = {**expected, **NEW_IN_NOMINATED}
        assert list(normalised) == list(expected), now.topic
        assert normalised == expected, now.topic


@pytest.mark.parametrize("state", list(State))
def test_a_snapshot_of_a_proposal_in_every_state_round_trips(state: State) -> None:
    app = AwardsApplication(env=ENVIRONMENT)
    proposal = BUILDERS[state]()
    app.save(proposal)
    app.take_snapshot(proposal.id)
    assert app.snapshots is not None
    (snapshot,) = app.snapshots.get(proposal.id)
    restored = snapshot.mutate(None)
    assert isinstance(restored, Proposal)
    assert vars(restored) == {**vars(proposal), "_pending_events": []}
    assert dump(proposal_view(restored)) == dump(proposal_view(proposal))
