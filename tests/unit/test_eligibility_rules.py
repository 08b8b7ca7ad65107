"""Each eligibility rule, refused and allowed, with the facts it names."""

from __future__ import annotations

from datetime import date

from domain.eligibility.achievement import one_achievement_one_form
from domain.eligibility.blocking import no_proposal_under_hold
from domain.eligibility.certificate import certificate_prerequisites
from domain.eligibility.check import NominationFacts, check_all
from domain.eligibility.holds import Hold, HoldKind
from domain.eligibility.identity import achievement_key, nominee_key, unit_of
from domain.eligibility.leadership import government_flag_needs_leader, vusta_flag_quota
from domain.eligibility.register import AwardEntry, Source
from domain.rulebook.defaults import DEFAULT_VERSIONS, find_version
from domain.rulebook.version import Scope

VERSION = find_version(DEFAULT_VERSIONS, date(2024, 11, 1))
PERSON = "person:qngai/nguyễn văn a"


def entry(code: str, year: int, achievement: str = "", nominee: str = PERSON) -> AwardEntry:
    return AwardEntry(nominee, year, code, achievement, Source.IMPORTED, f"{year}/QĐ")


def hold(kind: HoldKind, start: date, released_on: date | None = None) -> Hold:
    return Hold("h1", kind, "kỷ luật khiển trách", "12/QĐ-KL", start, None, "sec", released_on)


# ---- identity -------------------------------------------------------------------------------


def test_nominee_keys_name_the_unit_or_the_person_with_names_normalised() -> None:
    assert nominee_key({"kind": "collective", "name": "X", "unit_id": "qngai"}, "p") == "unit:qngai"
    assert nominee_key({"kind": "collective", "name": "Ban  Tuyên giáo"}, "qngai") == (
        "unit:qngai/ban tuyên giáo"
    )
    individual = {"kind": "individual", "name": " Nguyễn  Văn A ", "unit_id": "qngai"}
    assert nominee_key(individual, "x") == PERSON
    assert nominee_key({**individual, "username": "nva"}, "x") == "person:nva"
    assert unit_of(PERSON) == "qngai" and unit_of("person:nva") == ""
    assert achievement_key("Hoàn thành  xuất sắc.", 2024) == achievement_key(
        "hoàn thành xuất sắc", 2024
    )


# ---- one achievement, one form ----------------------------------------------------------------


def test_rule_one_achievement_one_form_refuses_the_same_achievement_again() -> None:
    claims = [entry("vusta_medal", 2024, "Đóng góp cho  phong trào")]
    refusal = one_achievement_one_form(PERSON, 2024, "đóng góp cho phong trào.", claims, "v1")
    assert refusal is not None
    assert refusal.rule == "one_achievement_one_form" and refusal.version == "v1"
    assert "vusta_medal 2024" in refusal.facts[0]


def test_rule_one_achievement_one_form_allows_another_year_or_achievement() -> None:
    claims = [entry("vusta_medal", 2023, "Đóng góp"), entry("vusta_medal", 2024, "Khác")]
    assert one_achievement_one_form(PERSON, 2024, "Đóng góp", claims, "v1") is None
    ratings = [entry("excellent_completion", 2024, "Đóng góp")]  # a rating is not an award
    assert one_achievement_one_form(PERSON, 2024, "Đóng góp", ratings, "v1") is None


# ---- holds ------------------------------------------------------------------------------------


def test_rule_no_proposal_under_hold_refuses_an_open_hold_of_any_kind() -> None:
    for kind in HoldKind:
        refusal = no_proposal_under_hold([hold(kind, date(2024, 3, 1))], 2024, "v1")
        assert refusal is not None and refusal.rule == "no_proposal_under_hold"
        assert refusal.facts[0].startswith(kind.value)


def test_rule_no_proposal_under_hold_allows_a_released_investigation() -> None:
    released = hold(HoldKind.INVESTIGATION, date(2024, 3, 1), date(2025, 2, 1))
    assert no_proposal_under_hold([released], 2024, "v1") is None


def test_rule_no_proposal_under_hold_after_discipline_counts_only_later_achievements() -> None:
    ended = hold(HoldKind.DISCIPLINE, date(2023, 3, 1), date(2024, 6, 30))
    refused = no_proposal_under_hold([ended], 2023, "v1")
    assert refused is not None and "ended 2024-06-30" in refused.facts[0]
    assert no_proposal_under_hold([ended], 2024, "v1") is None  # 2024 ends after it ended


# ---- Government Flag ---------------------------------------------------------------------------


def test_rule_government_flag_needs_leader_refuses_a_unit_that_did_not_lead() -> None:
    refusal = government_flag_needs_leader(
        "government_flag", "phuyen", "cum-6", 2024, {"cum-6": "binhdinh"}, "v1"
    )
    assert refusal is not None and refusal.facts == ("cum-6 2024: led by binhdinh",)
    nobody = government_flag_needs_leader("government_flag", "phuyen", "cum-6", 2024, {}, "v1")
    assert nobody is not None and "no leader recorded" in nobody.facts[0]


def test_rule_government_flag_needs_leader_allows_the_leader_and_other_forms() -> None:
    leaders = {"cum-6": "binhdinh"}
    leader = government_flag_needs_leader(
        "government_flag", "binhdinh", "cum-6", 2024, leaders, "v"
    )
    assert leader is None
    assert (
        government_flag_needs_leader("vusta_certificate", "phuyen", "cum-6", 2024, {}, "v") is None
    )


# ---- VUSTA Flag quota ---------------------------------------------------------------------------


def test_rule_vusta_flag_quota_refuses_a_second_flag_in_a_cluster_year() -> None:
    refusal = vusta_flag_quota(
        "vusta_flag", "cum-6", Scope.CLUSTER, 2024, ["unit:binhdinh"], VERSION
    )
    assert refusal is not None and refusal.version == VERSION.code
    assert refusal.facts == ("quota 1 per cluster and year", "unit:binhdinh")


def test_rule_vusta_flag_quota_allows_the_first_flag() -> None:
    assert vusta_flag_quota("vusta_flag", "cum-6", Scope.BLOCK, 2024, [], VERSION) is None
    assert (
        vusta_flag_quota("vusta_certificate", "cum-6", Scope.CLUSTER, 2024, ["x"], VERSION) is None
    )


# ---- individual Certificate prerequisites --------------------------------------------------------


def test_rule_certificate_prerequisites_refuses_without_either_route() -> None:
    entries = [entry("grassroots_fighter", 2022), entry("grassroots_fighter", 2024)]
    entries += [entry("excellent_completion", 2023), entry("excellent_completion", 2024)]
    entries += [entry("initiative", 2024, "sáng kiến 1")]  # one initiative, two needed
    refusal = certificate_prerequisites("vusta_certificate", True, 2024, entries, VERSION)
    assert refusal is not None and refusal.rule == "certificate_prerequisites"
    assert len(refusal.facts) == 5
    empty = certificate_prerequisites("vusta_certificate", True, 2024, [], VERSION)
    assert empty is not None and empty.facts


def test_rule_certificate_prerequisites_allows_two_fighter_years_running() -> None:
    entries = [entry("grassroots_fighter", 2022), entry("grassroots_fighter", 2023)]
    assert certificate_prerequisites("vusta_certificate", True, 2024, entries, VERSION) is None


def test_rule_certificate_prerequisites_allows_excellence_with_two_initiatives() -> None:
    entries = [entry("excellent_completion", 2023), entry("excellent_completion", 2024)]
    entries += [entry("initiative", 2023, "a"), entry("initiative", 2024, "b")]
    assert certificate_prerequisites("vusta_certificate", True, 2024, entries, VERSION) is None


def test_rule_certificate_prerequisites_do_not_apply_to_collectives_or_other_forms() -> None:
    assert certificate_prerequisites("vusta_certificate", False, 2024, [], VERSION) is None
    assert certificate_prerequisites("vusta_medal", True, 2024, [], VERSION) is None


# ---- all at once --------------------------------------------------------------------------------


def test_check_all_lists_every_refusal_and_none_for_an_eligible_nominee() -> None:
    facts = NominationFacts(
        form="government_flag",
        nominee="unit:phuyen",
        individual=False,
        unit="phuyen",
        group="cum-6",
        year=2024,
        achievement="Dẫn đầu",
        holds=(hold(HoldKind.COMPLAINT, date(2024, 10, 1)),),
        leaders={"cum-6": "binhdinh"},
    )
    rules = [refusal.rule for refusal in check_all(facts, VERSION)]
    assert rules == ["no_proposal_under_hold", "government_flag_needs_leader"]
    eligible = NominationFacts("vusta_medal", PERSON, True, "qngai", "cum-6", 2024, "Đóng góp")
    assert check_all(eligible, VERSION) == ()
