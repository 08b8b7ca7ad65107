"""The nominee's holds and imported register entries, as events."""

from __future__ import annotations

from datetime import date

import pytest

from domain.eligibility.holds import HoldKind, NomineeHolds
from domain.eligibility.register import AwardEntry, NomineeRegister, Source
from domain.kernel.actor import Actor, Role
from domain.kernel.errors import DomainError, InvalidInput

SECRETARY = Actor("secretary", Role.COUNCIL_SECRETARY)
ADMIN = Actor("admin", Role.ADMIN)


def test_a_hold_is_recorded_once_per_key_and_released_with_its_end_date() -> None:
    holds = NomineeHolds.open("unit:phuyen", SECRETARY, "open")
    first = holds.record(
        HoldKind.DISCIPLINE, "khiển trách", "5/QĐ", date(2024, 1, 2), None, SECRETARY, "k1"
    )
    again = holds.record(
        HoldKind.DISCIPLINE, "khiển trách", "5/QĐ", date(2024, 1, 2), None, SECRETARY, "k1"
    )
    assert first == again and len(holds.holds) == 1 and holds.open_holds
    holds.release(first, "hết thời hạn", date(2024, 7, 1), SECRETARY, "r1")
    holds.release(first, "hết thời hạn", date(2024, 7, 1), SECRETARY, "r1")  # a repeat
    released = holds.hold(first)
    assert released.released_on == date(2024, 7, 1) and not holds.open_holds
    events = holds.collect_events()
    assert [type(e).__name__ for e in events] == ["Opened", "HoldRecorded", "HoldReleased"]
    assert events[-1].actor_role == Role.COUNCIL_SECRETARY and events[-1].reason == "hết thời hạn"


def test_a_hold_needs_a_reason_and_is_released_only_once() -> None:
    holds = NomineeHolds.open("unit:phuyen", SECRETARY, "open")
    with pytest.raises(InvalidInput):
        holds.record(HoldKind.COMPLAINT, " ", "", date(2024, 1, 2), None, SECRETARY, "k1")
    hold = holds.record(HoldKind.COMPLAINT, "đơn", "", date(2024, 1, 2), None, SECRETARY, "k2")
    holds.release(hold, "đã xác minh", date(2024, 2, 1), SECRETARY, "r1")
    with pytest.raises(DomainError):
        holds.release(hold, "lại", date(2024, 2, 1), SECRETARY, "r2")
    with pytest.raises(DomainError):
        holds.release("no-such", "x", date(2024, 2, 1), SECRETARY, "r3")


def test_importing_the_same_entries_again_records_nothing() -> None:
    entry = AwardEntry("unit:binhdinh", 2023, "cluster_leader", "", Source.IMPORTED, "BB", "cum-6")
    register = NomineeRegister.open("unit:binhdinh", ADMIN, "open")
    assert register.import_entries([entry, entry], "sha", "import", ADMIN, "k1")
    assert not register.import_entries([entry], "sha2", "import", ADMIN, "k2")
    assert register.entries == [entry]
    assert len(register.collect_events()) == 2
