"""Who is told of which change: a proposer of their unit's proposals, a cluster member of their
cluster's votes, the council of its own steps; auditors of everything."""

from __future__ import annotations

from typing import Any

from services.application.directory import User
from services.projections.feed import concerns


def row(kind: str, stage: str = "", unit: str = "lhh-ninh-binh", cluster: str = "cum-4") -> Any:
    return {"kind": kind, "stage": stage, "proposing_unit": unit, "cluster": cluster}


PROPOSER = User("p", "P", ["proposer"], "lhh-ninh-binh", "cum-4")
MEMBER = User("m", "M", ["cluster_member"], "lhh-thanh-hoa", "cum-4")
FAR_MEMBER = User("k", "K", ["cluster_member"], "lhh-khanh-hoa", "cum-6")
COUNCIL = User("c", "C", ["council_member"])


def test_a_proposer_is_told_of_their_own_units_proposals_only() -> None:
    assert concerns(PROPOSER, row("ReturnedForSupplements"))
    assert not concerns(PROPOSER, row("ReturnedForSupplements", unit="lhh-nghe-an"))


def test_a_cluster_member_is_told_of_votes_opened_in_their_cluster() -> None:
    assert concerns(MEMBER, row("VoteOpened", "cluster"))
    assert not concerns(FAR_MEMBER, row("VoteOpened", "cluster"))
    assert not concerns(MEMBER, row("VoteOpened", "council"))
    assert not concerns(MEMBER, row("Submitted"))


def test_the_council_is_told_of_its_own_votes_and_nobody_of_single_ballots() -> None:
    assert concerns(COUNCIL, row("VoteOpened", "council"))
    assert not concerns(COUNCIL, row("VoteOpened", "cluster"))
    for reader in (PROPOSER, MEMBER, COUNCIL):
        assert not concerns(reader, row("BallotRecorded", "cluster"))


def test_an_auditor_is_told_of_everything() -> None:
    assert concerns(User("a", "A", ["auditor"]), row("DocumentAttached"))


def year_row(kind: str, head: str = "lhh-phu-yen") -> Any:
    units = ["lhh-phu-yen", "lhh-khanh-hoa", "lhh-binh-dinh"]
    return {"kind": kind, "stage": "pledge", "proposing_unit": head, "cluster": "cum-6"} | {
        "units": units
    }


def test_a_years_reminder_is_told_to_the_people_of_its_member_units_that_year() -> None:
    assert concerns(FAR_MEMBER, year_row("YearReminder"))  # lhh-khanh-hoa was a member
    assert not concerns(MEMBER, year_row("YearReminder"))
    assert not concerns(User("s", "S", ["council_secretary"]), year_row("YearReminder"))


def test_a_years_escalation_is_told_to_the_head_and_the_council_secretary() -> None:
    assert concerns(User("s", "S", ["council_secretary"]), year_row("YearEscalation"))
    assert concerns(FAR_MEMBER, year_row("YearEscalation", head="lhh-khanh-hoa"))
    assert not concerns(FAR_MEMBER, year_row("YearEscalation"))
    assert not concerns(PROPOSER, year_row("YearEscalation", head="lhh-ninh-binh"))
