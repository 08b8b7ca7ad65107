"""The cached proposals of several workers sharing one store never decide a step on a
stale copy: each load fast-forwards to the store's version, and a refused step leaves the
cache as it was."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from uuid import UUID, uuid4

import pytest

from domain.kernel.actor import Actor, Role
from domain.kernel.errors import IllegalTransition
from domain.proposal.commands import Hold, Release, Submit, Withdraw
from domain.proposal.forms import find_form
from services.application.proposals import AwardsApplication
from services.runtime import CopyingRepository, build_application

pytestmark = pytest.mark.integration

PROPOSER = Actor("ninh-binh.proposer", Role.PROPOSER)
SECRETARY = Actor("vusta.secretary", Role.COUNCIL_SECRETARY)
SUBMITTED = ["Nominated", "DocumentAttached", "DocumentAttached", "Submitted"]


@pytest.fixture
def two_workers(database_url: str) -> Iterator[tuple[AwardsApplication, AwardsApplication]]:
    first = build_application(database_url, cached=True)
    second = build_application(database_url, cached=True)
    yield first, second
    first.close()
    second.close()


def submitted(app: AwardsApplication) -> UUID:
    pid = uuid4()
    app.nominate(
        proposal_id=pid,
        form=find_form("vusta_flag"),
        year=2026,
        proposing_unit="lhh-ninh-binh",
        cluster="cum-4",
        nominee={"kind": "collective", "name": "LHH Ninh Bình"},
        title="Cờ thi đua 2026",
        summary="",
        actor=PROPOSER,
        key=f"nominate-{pid}",
        rulebook_version="decree-152-2025",
    )
    for kind in ("request_letter", "achievement_report"):
        document = {"name": kind, "media_type": "application/pdf", "sha256": kind, "size": 1}
        app.attach_document(pid, {**document, "kind": kind}, PROPOSER, kind)
    app.apply(pid, [Submit(actor=PROPOSER, key="submit")])
    return pid


def stored_events(app: AwardsApplication, pid: UUID) -> list[str]:
    return [type(event).__name__ for event in app.domain_events(pid)]


def test_the_workers_application_caches_proposals(
    two_workers: tuple[AwardsApplication, AwardsApplication],
) -> None:
    first, _ = two_workers
    assert isinstance(first.repository, CopyingRepository)
    pid = submitted(first)
    assert first.proposal(pid) is not first.proposal(pid)  # a copy each time, from the cache
    assert pid in first.repository.cache.cache


def test_a_step_taken_elsewhere_is_seen_before_the_next_one(
    two_workers: tuple[AwardsApplication, AwardsApplication],
) -> None:
    first, second = two_workers
    pid = submitted(first)
    assert first.proposal(pid).state == "submitted"  # cached by the first worker
    second.apply(pid, [Withdraw(actor=PROPOSER, key="withdraw", reason="rút")])
    # On its stale copy the first worker would put it on hold; the store says withdrawn.
    with pytest.raises(IllegalTransition):
        first.apply(pid, [Hold(actor=SECRETARY, key="hold", reason="kiểm tra")])
    assert first.proposal(pid).state == "withdrawn"
    assert stored_events(first, pid) == [*SUBMITTED, "Withdrawn"]


def test_a_step_repeated_on_another_worker_writes_nothing(
    two_workers: tuple[AwardsApplication, AwardsApplication],
) -> None:
    first, second = two_workers
    pid = submitted(first)
    first.proposal(pid)
    held = Hold(actor=SECRETARY, key="hold", reason="kiểm tra")
    second.apply(pid, [held])
    # The retried activity lands on the other worker, whose cache predates the first run.
    assert first.apply(pid, [held]).state == "on_hold"
    assert stored_events(second, pid) == [*SUBMITTED, "PutOnHold"]


def test_a_refused_step_leaves_the_cached_proposal_as_it_was(
    two_workers: tuple[AwardsApplication, AwardsApplication],
) -> None:
    first, _ = two_workers
    pid = submitted(first)
    held = Hold(actor=SECRETARY, key="hold", reason="kiểm tra")
    again = Hold(actor=SECRETARY, key="hold-again", reason="lần nữa")
    with pytest.raises(IllegalTransition):  # the first command applies, the second is refused
        first.apply(pid, [held, again])
    assert first.proposal(pid).state == "submitted"
    released = first.apply(pid, [held, Release(actor=SECRETARY, key="release", reason="xong")])
    assert released.state == "submitted"
    assert stored_events(first, pid) == [*SUBMITTED, "PutOnHold", "Released"]


def test_a_load_never_copies_a_proposal_another_thread_is_fast_forwarding(
    two_workers: tuple[AwardsApplication, AwardsApplication],
) -> None:
    first, second = two_workers  # the first application's threads share its cache
    pid = submitted(first)
    base = first.proposal(pid).version
    steps = 60

    def writer() -> None:
        for n in range(steps):
            kind = Hold if n % 2 == 0 else Release
            second.apply(pid, [kind(actor=SECRETARY, key=f"step-{n}", reason="lần")])

    def reader() -> list[tuple[int, str]]:
        seen = []
        for _ in range(steps * 3):
            proposal = first.proposal(pid)
            seen.append((proposal.version, proposal.state))
        return seen

    switching = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads interleave inside a copy, as on a busy machine
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            readers = [pool.submit(reader) for _ in range(3)]
            pool.submit(writer).result()
            seen = [pair for future in readers for pair in future.result()]
    finally:
        sys.setswitchinterval(switching)
    # Every hold is an odd step after the submission: state and version always agree.
    for version, state in seen:
        assert state == ("on_hold" if (version - base) % 2 else "submitted"), (version, state)
    assert first.proposal(pid).version == base + steps
