"""The cluster year's rules, one test named after each (domain/cluster_year, no I/O)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from sealing import KEY, SHARES, rand

from domain.cluster_year.aggregate import ClusterYear, cluster_year_id
from domain.cluster_year.criteria import template_to_json
from domain.cluster_year.election import check_election
from domain.cluster_year.ranking import rank
from domain.cluster_year.stages import Stage, YearStageError
from domain.kernel.actor import Actor, Role
from domain.kernel.errors import BallotError, DomainError, InvalidInput
from domain.rulebook.version import (
    ConferenceRules,
    CriteriaGroup,
    CriteriaTemplate,
    Criterion,
    TieBreak,
)
from domain.voting.list_ballot import decryption_share, seal_list

MEMBERS = ["binh-dinh", "khanh-hoa", "ninh-thuan", "phu-yen", "quang-ngai"]
HEAD, DEPUTY = "phu-yen", "khanh-hoa"
SECRETARY = Actor("vusta.secretary", Role.COUNCIL_SECRETARY)
PLAN = {"document_id": "plan-2024", "sha256": "a" * 64}
EVIDENCE = [{"document_id": "report-1", "sha256": "b" * 64}]
RULES = ConferenceRules()
TEMPLATE = CriteriaTemplate(
    code="vusta-cluster",
    name="Tiêu chí chấm điểm cụm",
    groups=(
        CriteriaGroup(
            code="A",
            name="Công tác tổ chức",
            criteria=(Criterion("A1", "Kế hoạch", 10), Criterion("A2", "Báo cáo", 20)),
        ),
    ),
)
NOW = datetime(2024, 3, 1, tzinfo=UTC)


def member(unit: str) -> Actor:
    return Actor(f"{unit}.member", Role.CLUSTER_MEMBER)


def launched() -> ClusterYear:
    return ClusterYear.launch(
        group_id="cum-6",
        year=2024,
        scope="cluster",
        members=MEMBERS,
        head=HEAD,
        deputy=DEPUTY,
        rulebook_version="law-06-2022+decree-98-2023",
        plan=PLAN,
        actor=SECRETARY,
        key="launch",
    )


def scoring() -> ClusterYear:
    year = launched()
    year.set_criteria(HEAD, template_to_json(TEMPLATE), "", member(HEAD), "criteria")
    year.open_scoring(HEAD, member(HEAD), "open")
    return year


def scored(points: dict[str, int]) -> ClusterYear:
    year = scoring()
    for unit, total in points.items():
        year.self_score(unit, "A2", total, EVIDENCE, member(unit), f"score-{unit}")
    return year


def test_cluster_year_id_is_derived_from_group_and_year() -> None:
    assert launched().id == cluster_year_id("cum-6", 2024)
    assert cluster_year_id("cum-6", 2024) != cluster_year_id("cum-6", 2025)


def test_rule_every_member_signs_the_pledge_once() -> None:
    year = launched()
    year.sign_pledge("binh-dinh", NOW, member("binh-dinh"), "p1")
    year.sign_pledge("binh-dinh", NOW, member("binh-dinh"), "p2")
    assert year.pledges["binh-dinh"]["signer"] == "binh-dinh.member"
    assert len(year.collect_events()) == 2  # launched, one signature
    with pytest.raises(DomainError, match="not a member"):
        year.sign_pledge("lao-cai", NOW, member("lao-cai"), "p3")


def test_rule_launch_needs_the_plan_document_by_hash() -> None:
    with pytest.raises(InvalidInput):
        ClusterYear.launch(
            group_id="cum-6",
            year=2024,
            scope="cluster",
            members=MEMBERS,
            head=HEAD,
            deputy=DEPUTY,
            rulebook_version="v",
            plan={"document_id": "x", "sha256": "short"},
            actor=SECRETARY,
            key="k",
        )


def test_rule_criteria_are_set_by_the_head_and_frozen_once_scoring_opens() -> None:
    year = launched()
    with pytest.raises(DomainError, match="only the head"):
        year.set_criteria("binh-dinh", template_to_json(TEMPLATE), "", member("binh-dinh"), "c")
    year.set_criteria(HEAD, template_to_json(TEMPLATE), "", member(HEAD), "c1")
    year.set_criteria(HEAD, template_to_json(TEMPLATE), "edited", member(HEAD), "c2")
    year.open_scoring(HEAD, member(HEAD), "open")
    with pytest.raises(YearStageError):
        year.set_criteria(HEAD, template_to_json(TEMPLATE), "", member(HEAD), "c3")


def test_rule_self_scores_are_between_zero_and_the_criterion_maximum() -> None:
    year = scoring()
    with pytest.raises(InvalidInput, match="0 to 10"):
        year.self_score("binh-dinh", "A1", 11, EVIDENCE, member("binh-dinh"), "s")
    year.self_score("binh-dinh", "A1", 10, EVIDENCE, member("binh-dinh"), "s")
    assert year.score("binh-dinh", "A1").evidence[0].document_id == "report-1"  # type: ignore[union-attr]


def test_rule_head_adjusts_only_with_reason() -> None:
    year = scored({"binh-dinh": 18})
    with pytest.raises(InvalidInput, match="reason"):
        year.adjust(HEAD, "binh-dinh", "A2", 15, " ", member(HEAD), "a")
    with pytest.raises(DomainError, match="only the head"):
        year.adjust(DEPUTY, "binh-dinh", "A2", 15, "why", member(DEPUTY), "a")
    year.adjust(HEAD, "binh-dinh", "A2", 15, "report lacks evidence", member(HEAD), "a")
    score = year.score("binh-dinh", "A2")
    assert score is not None and (score.points, score.adjusted, score.final) == (18, 15, 15)


def test_rule_member_contests_an_adjustment_once() -> None:
    year = scored({"binh-dinh": 18})
    year.adjust(HEAD, "binh-dinh", "A2", 15, "evidence missing", member(HEAD), "a")
    with pytest.raises(DomainError, match="only an adjusted score"):
        year.contest("ninh-thuan", "A2", "not ours", member("ninh-thuan"), "c0")
    year.contest("binh-dinh", "A2", "evidence attached", member("binh-dinh"), "c1")
    year.settle(DEPUTY, "binh-dinh", "A2", "keep", "evidence is late", member(DEPUTY), "s1")
    with pytest.raises(DomainError, match="once"):
        year.contest("binh-dinh", "A2", "again", member("binh-dinh"), "c2")


def test_rule_deputy_settles_a_contest_with_a_reason() -> None:
    year = scored({"binh-dinh": 18})
    year.adjust(HEAD, "binh-dinh", "A2", 15, "evidence missing", member(HEAD), "a")
    year.contest("binh-dinh", "A2", "evidence attached", member("binh-dinh"), "c1")
    with pytest.raises(DomainError, match="only the deputy"):
        year.settle(HEAD, "binh-dinh", "A2", "keep", "why", member(HEAD), "s")
    with pytest.raises(InvalidInput):
        year.settle(DEPUTY, "binh-dinh", "A2", "restore", "", member(DEPUTY), "s")
    year.settle(DEPUTY, "binh-dinh", "A2", "restore", "evidence found", member(DEPUTY), "s")
    assert year.totals()["binh-dinh"] == 18


def test_rule_year_end_waits_for_open_contests() -> None:
    year = scored({"binh-dinh": 18})
    year.adjust(HEAD, "binh-dinh", "A2", 15, "evidence missing", member(HEAD), "a")
    year.contest("binh-dinh", "A2", "evidence attached", member("binh-dinh"), "c1")
    with pytest.raises(DomainError, match="open contest"):
        year.rank_year_end(HEAD, {}, [], RULES, "", member(HEAD), "end")


def test_rule_mid_year_review_records_interim_totals() -> None:
    year = scored({"binh-dinh": 18, "phu-yen": 12})
    year.review_mid_year(HEAD, "sơ kết", member(HEAD), "mid")
    assert year.mid_year == {**dict.fromkeys(MEMBERS, 0), "binh-dinh": 18, "phu-yen": 12}
    assert year.stage == Stage.SCORING


def test_rule_ranking_is_by_total_score_descending() -> None:
    order = rank({"a": 5, "b": 9, "c": 7}, {}, RULES)
    assert [s.unit for s in order] == ["b", "c", "a"]
    assert [s.rank for s in order] == [1, 2, 3]


def test_rule_ties_women_first_then_chair_side() -> None:
    totals = {"a": 10, "b": 10, "c": 10, "d": 10}
    women = {"c": "3/4", "d": "7/10", "a": "1/2"}
    order = rank(totals, women, RULES, chair_order=["b"])
    # c and d reach the women share; among the rest the chair sided with b.
    assert [s.unit for s in order] == ["c", "d", "b", "a"]
    chair_then_women = replace(RULES, tie_breaks=(TieBreak.CHAIR_SIDE, TieBreak.WOMEN_FIRST))
    assert [s.unit for s in rank(totals, women, chair_then_women, ["b"])] == ["b", "c", "d", "a"]


def test_rule_ties_end_by_unit_id() -> None:
    assert [s.unit for s in rank({"z": 1, "m": 1, "a": 1}, {}, RULES)] == ["a", "m", "z"]


def ranked(points: dict[str, int]) -> ClusterYear:
    year = scored(points)
    year.rank_year_end(HEAD, {}, [], RULES, "tổng kết", member(HEAD), "end")
    return year


def test_rule_flag_candidate_is_the_leading_unit_by_default() -> None:
    year = ranked({"binh-dinh": 18, "phu-yen": 12, "ninh-thuan": 9})
    year.propose_candidates(HEAD, None, ["phu-yen"], RULES, KEY.to_json(), "", member(HEAD), "k")
    assert year.line_ids == ["flag:binh-dinh", "certificate:phu-yen"]


def test_rule_certificate_candidates_are_at_most_the_quota() -> None:
    year = ranked({"binh-dinh": 18})
    too_many = ["phu-yen", "ninh-thuan", "khanh-hoa", "quang-ngai"]
    with pytest.raises(DomainError, match="at most 3"):
        year.propose_candidates(HEAD, None, too_many, RULES, KEY.to_json(), "", member(HEAD), "k")


def voting() -> ClusterYear:
    year = ranked({"binh-dinh": 18, "phu-yen": 12, "ninh-thuan": 9})
    year.propose_candidates(
        HEAD, None, ["phu-yen"], RULES, KEY.to_json(), "", member(HEAD), "candidates"
    )
    return year


def ballot(year: ClusterYear, voter: str, choice: str = "yes") -> dict[str, Any]:
    choices = dict.fromkeys(year.box_of_votes().expected(voter), choice)
    return seal_list(choices, KEY, year.context(), rand).to_json()


def test_rule_no_unit_votes_on_its_own_line() -> None:
    year = voting()
    vote = year.box_of_votes()
    assert vote.own("binh-dinh") == ("flag:binh-dinh",)
    with pytest.raises(BallotError, match="own candidate"):
        vote.check_ballot("binh-dinh", ballot(year, "ninh-thuan"))
    mine = ballot(year, "binh-dinh")
    vote.check_ballot("binh-dinh", mine)
    assert set(mine["lines"]) == {"certificate:phu-yen"}


def test_rule_stored_conference_data_never_links_a_voter_to_a_choice() -> None:
    year = voting()
    box = []
    for n, voter in enumerate(MEMBERS):  # receipts descend as the units vote
        year.record_ballot(voter, member(voter), f"ballot-{voter}")
        box.append({"receipt": f"{99 - n:064x}", "ballot": ballot(year, voter)})
    year.seal_box(box, "every member voted", NOW, SECRETARY, "seal")
    events = year.collect_events()
    recorded = [e for e in events if isinstance(e, ClusterYear.ConferenceBallotRecorded)]
    assert [e.voter for e in recorded] == MEMBERS
    assert all("ballot" not in vars(e) and "receipt" not in vars(e) for e in recorded)
    (sealed,) = [e for e in events if isinstance(e, ClusterYear.ConferenceBoxSealed)]
    assert all(set(entry) == {"receipt", "ballot"} for entry in sealed.box)
    assert [entry["receipt"] for entry in sealed.box] == sorted(e["receipt"] for e in box)
    assert "member" not in json.dumps(sealed.box)  # no actor of a voter beside a ballot


def test_rule_each_line_is_counted_over_the_members_but_its_candidate() -> None:
    year = voting()
    box = []
    for n, voter in enumerate(MEMBERS):
        year.record_ballot(voter, member(voter), f"ballot-{voter}")
        box.append({"receipt": f"{n:064x}", "ballot": ballot(year, voter)})
    year.seal_box(box, "every member voted", NOW, SECRETARY, "seal")
    encrypted = year.box_of_votes().encrypted()
    for trustee in SHARES[:2]:
        share = decryption_share(trustee, encrypted, year.context(), rand).to_json()
        year.submit_share(share, SECRETARY, f"share-{trustee.trustee}")
    year.count(RULES, SECRETARY, "count")
    assert year.tally("flag:binh-dinh").yes == 4  # five members, the candidate's unit out
    assert [line.id for line in year.passed_lines()] == year.line_ids


def test_rule_a_unit_votes_once_at_the_conference() -> None:
    year = voting()
    year.record_ballot("binh-dinh", member("binh-dinh"), "b1")
    with pytest.raises(BallotError, match="already voted"):
        year.record_ballot("binh-dinh", member("binh-dinh"), "b2")


def test_rule_head_does_not_serve_two_years_running() -> None:
    with pytest.raises(DomainError, match="year"):
        check_election(HEAD, DEPUTY, MEMBERS, [HEAD, "binh-dinh"], RULES, "minutes")
    check_election("binh-dinh", DEPUTY, MEMBERS, [HEAD], RULES, "minutes")
    two_years = replace(RULES, head_consecutive_years=2)
    check_election(HEAD, DEPUTY, MEMBERS, [HEAD, "binh-dinh"], two_years, "minutes")


def test_rule_deputy_is_not_the_head_and_both_are_members() -> None:
    with pytest.raises(DomainError, match="deputy"):
        check_election("binh-dinh", "binh-dinh", MEMBERS, [HEAD], RULES, "minutes")
    with pytest.raises(DomainError, match="member"):
        check_election("lao-cai", DEPUTY, MEMBERS, [HEAD], RULES, "minutes")


def test_rule_election_waits_for_the_count() -> None:
    year = voting()
    with pytest.raises(YearStageError):
        year.elect(HEAD, "binh-dinh", DEPUTY, [HEAD], RULES, "minutes", member(HEAD), "e")


def test_rule_government_flag_line_goes_with_the_flag_to_the_leading_unit() -> None:
    year = ranked({"binh-dinh": 18, "phu-yen": 12, "ninh-thuan": 9})
    with pytest.raises(DomainError, match="leading unit binh-dinh"):
        year.propose_candidates(
            HEAD, "phu-yen", [], RULES, KEY.to_json(), "", member(HEAD), "k", government_flag=True
        )
    year.propose_candidates(
        HEAD, None, ["phu-yen"], RULES, KEY.to_json(), "", member(HEAD), "k", government_flag=True
    )
    assert year.line_ids == ["flag:binh-dinh", "certificate:phu-yen", "government_flag:binh-dinh"]
    assert year.box_of_votes().own("binh-dinh") == ("flag:binh-dinh", "government_flag:binh-dinh")


def closed() -> ClusterYear:
    year = voting()
    box = []
    for n, voter in enumerate(MEMBERS):
        year.record_ballot(voter, member(voter), f"ballot-{voter}")
        box.append({"receipt": f"{n:064x}", "ballot": ballot(year, voter)})
    year.seal_box(box, "every member voted", NOW, SECRETARY, "seal")
    encrypted = year.box_of_votes().encrypted()
    for trustee in SHARES[:2]:
        share = decryption_share(trustee, encrypted, year.context(), rand).to_json()
        year.submit_share(share, SECRETARY, f"share-{trustee.trustee}")
    year.count(RULES, SECRETARY, "count")
    year.elect(HEAD, "binh-dinh", DEPUTY, [HEAD], RULES, "minutes", member(HEAD), "e")
    return year


def test_rule_a_refused_nomination_is_recorded_and_the_result_stands() -> None:
    year = closed()
    refusal = {"rule": "vusta_flag_quota", "version": "v", "facts": ["quota 1"]}
    with pytest.raises(YearStageError):
        voting().record_nomination("flag:binh-dinh", "p1", [], SECRETARY, "n0")
    with pytest.raises(DomainError, match="not a line the conference carried"):
        year.record_nomination("flag:quang-ngai", "p1", [], SECRETARY, "n1")
    with pytest.raises(InvalidInput):
        year.record_nomination("flag:binh-dinh", "p1", [refusal], SECRETARY, "n1")
    year.record_nomination("flag:binh-dinh", "", [refusal], SECRETARY, "n1")
    year.record_nomination("certificate:phu-yen", "p2", [], SECRETARY, "n2")
    year.record_nomination("certificate:phu-yen", "p2", [], SECRETARY, "n3")  # once per line
    assert year.nominations == {
        "flag:binh-dinh": {"refused": [refusal]},
        "certificate:phu-yen": {"proposal": "p2"},
    }
    assert year.result is not None and year.stage == Stage.CLOSED
    assert len(year.collect_events()) == len(year.step_keys)
