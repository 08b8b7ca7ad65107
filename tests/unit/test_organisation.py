"""The organisation year's rules: council size, heads among members, one group per unit,
idempotent imports and edits, and a regrouped year that leaves the past year alone."""

from __future__ import annotations

from dataclasses import replace

import pytest

from domain.kernel.actor import Actor, Role
from domain.kernel.errors import InvalidInput
from domain.organisation.aggregate import OrganisationYear
from domain.organisation.rules import violations
from domain.organisation.values import Council, Group, OrgContent, Person, Unit, UnitKind
from domain.rulebook.version import Scope
from services.application.seed import demo_year

ADMIN = Actor("admin", Role.ADMIN)


def small() -> OrgContent:
    units = tuple(Unit(f"u{i}", f"Unit {i}", UnitKind.PROVINCIAL_UNION) for i in range(1, 5))
    people = tuple(Person(f"p{i}", f"Person {i}", "u1", (Role.COUNCIL_MEMBER,)) for i in range(8))
    return OrgContent(
        units=units,
        groups=(Group("c1", "Cụm 1", Scope.CLUSTER, ("u1", "u2"), head="u1", deputy="u2"),),
        council=Council("p0", ("p1",), "p2", ("p3",)),
        people=people,
        presidium=("p0",),
    )


def opened(content: OrgContent | None = None, year: int = 2024) -> OrganisationYear:
    return OrganisationYear.open(year, content or small(), ADMIN, "set up", "k0")


def test_rule_council_has_at_most_four_vice_chairs() -> None:
    year = opened()
    four = Council("p0", ("p1", "p2", "p3", "p4"), "p5", ())
    assert year.set_council(four, ADMIN, "elected", "k1")
    with pytest.raises(InvalidInput, match="at most 4 vice-chairs"):
        year.set_council(replace(four, vice_chairs=(*four.vice_chairs, "p6")), ADMIN, "x", "k2")


def test_rule_head_must_be_a_member() -> None:
    year = opened()
    with pytest.raises(InvalidInput, match="must be one of its members"):
        year.elect("c1", "u3", "u2", ADMIN, "conference", "k1")


def test_rule_deputy_must_be_a_member_and_differ_from_the_head() -> None:
    year = opened()
    with pytest.raises(InvalidInput, match="must be one of its members"):
        year.elect("c1", "u1", "u4", ADMIN, "conference", "k1")
    with pytest.raises(InvalidInput, match="must differ"):
        year.elect("c1", "u1", "u1", ADMIN, "conference", "k2")


def test_rule_a_unit_is_in_one_cluster_a_year() -> None:
    year = opened()
    second = Group("c2", "Cụm 2", Scope.CLUSTER, ("u2", "u3"))
    with pytest.raises(InvalidInput, match="already in c1"):
        year.set_group(second, ADMIN, "regroup", "k1")


def test_rule_a_unit_may_sit_in_a_cluster_and_a_block() -> None:
    year = opened()
    block = Group("k1", "Khối 1", Scope.BLOCK, ("u2",))
    assert year.set_group(block, ADMIN, "a block", "k1")
    assert year.content.group_of("u2") == year.content.group("c1")


def test_rule_supervisor_is_a_presidium_member() -> None:
    year = opened()
    group = replace(small().groups[0], supervisor="p5")
    with pytest.raises(InvalidInput, match="not a Presidium member"):
        year.set_group(group, ADMIN, "supervisor", "k1")


def test_an_edit_repeated_with_its_key_records_nothing() -> None:
    year = opened()
    assert year.elect("c1", "u2", "u1", ADMIN, "conference", "k1")
    version = year.version
    assert not year.elect("c1", "u2", "u1", ADMIN, "conference", "k1")
    assert year.version == version


def test_an_import_of_the_same_content_records_nothing() -> None:
    year = opened()
    shuffled = replace(small(), units=tuple(reversed(small().units)))
    assert not year.import_content(shuffled, "0" * 64, ADMIN, "workbook", "k1")
    assert year.version == 1


def test_an_import_checks_every_rule() -> None:
    bad = replace(small(), groups=(replace(small().groups[0], head="u4"),))
    with pytest.raises(InvalidInput):
        opened().import_content(bad, "0" * 64, ADMIN, "workbook", "k1")


def test_regrouping_a_new_year_leaves_the_past_year_as_it_was() -> None:
    past = opened(year=2023)
    new = OrganisationYear.open(2024, past.content, ADMIN, "copy", "k", copied_from=2023)
    merged = Group("c1", "Cụm 1 mới", Scope.CLUSTER, ("u1", "u2", "u3", "u4"), head="u3")
    new.set_group(merged, ADMIN, "provinces merged", "k1")
    assert past.content.group("c1") == small().groups[0]
    assert new.content.group("c1") == merged


def test_a_removed_unit_must_have_no_people_or_groups_left() -> None:
    year = opened()
    with pytest.raises(InvalidInput, match="still has people or groups"):
        year.remove_unit("u1", ADMIN, "merged", "k1")
    assert year.remove_unit("u4", ADMIN, "merged", "k2")
    assert year.content.unit("u4") is None


def test_a_replayed_year_has_the_same_content() -> None:
    year = opened()
    year.elect("c1", "u2", "u1", ADMIN, "conference", "k1")
    year.remove_person("p7", ADMIN, "left", "k2")
    rebuilt = None
    for event in year.collect_events():
        rebuilt = event.mutate(rebuilt)
    assert isinstance(rebuilt, OrganisationYear)
    assert rebuilt.content == year.content


@pytest.mark.parametrize("year", [2022, 2023, 2024])
def test_the_demo_years_break_no_rule(year: int) -> None:
    assert violations(demo_year(year)) == []


def test_the_demo_cluster_6_heads_follow_the_record() -> None:
    assert demo_year(2022).group("cum-6").head == "lhh-quang-ngai"  # type: ignore[union-attr]
    cum6 = demo_year(2023).group("cum-6")
    assert cum6 is not None and (cum6.head, cum6.deputy) == ("lhh-binh-dinh", "lhh-phu-yen")
    assert "invented" in (demo_year(2024).group("cum-6") or cum6).note
