"""`awards year show`: the year as plain data and as a person reads it (no I/O)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.cluster_year.aggregate import ClusterYear
from domain.cluster_year.criteria import template_to_json
from domain.kernel.actor import Actor, Role
from domain.rulebook.version import ConferenceRules
from services.application.cluster_year_sources import STAND_IN_RULEBOOK
from services.application.cluster_year_view import overview
from services.cli.year import print_year

MEMBERS = ["binh-dinh", "khanh-hoa", "phu-yen"]
TEMPLATE = STAND_IN_RULEBOOK.criteria_templates[0]


def member(unit: str) -> Actor:
    return Actor(f"{unit}.member", Role.CLUSTER_MEMBER)


def ranked() -> ClusterYear:
    year = ClusterYear.launch(
        group_id="cum-6",
        year=2024,
        scope="cluster",
        members=MEMBERS,
        head="phu-yen",
        deputy="khanh-hoa",
        rulebook_version=STAND_IN_RULEBOOK.code,
        plan={"document_id": "plan", "sha256": "a" * 64},
        actor=Actor("vusta.secretary", Role.COUNCIL_SECRETARY),
        key="launch",
    )
    year.set_criteria("phu-yen", template_to_json(TEMPLATE), "", member("phu-yen"), "c")
    year.open_scoring("phu-yen", member("phu-yen"), "o")
    for points, unit in enumerate(MEMBERS):
        year.self_score(unit, "A1", 10 + points, [], member(unit), f"s-{unit}")
    due = datetime(2024, 12, 20, 16, 59, tzinfo=UTC)
    year.remind("year_end", due, Actor("system", "system"), "r")
    year.rank_year_end("phu-yen", {}, [], ConferenceRules(), "", member("phu-yen"), "end")
    return year


def test_the_overview_holds_stage_deadlines_ranking_and_notices() -> None:
    found = overview(ranked(), STAND_IN_RULEBOOK)
    assert (found["stage"], found["head"]) == ("ranked", "phu-yen")
    assert found["deadlines"]["year_end"]["working_days"] == 230
    assert [s["unit"] for s in found["ranking"]] == ["phu-yen", "khanh-hoa", "binh-dinh"]
    assert found["notices"][0]["kind"] == "reminder"
    assert found["result"] is None and found["records"] == []


def test_show_prints_the_year_for_a_person(capsys: pytest.CaptureFixture[str]) -> None:
    print_year(overview(ranked(), STAND_IN_RULEBOOK))
    out = capsys.readouterr().out
    assert "cum-6 2024 — giai đoạn / stage: ranked" in out
    assert "tổng kết năm\t230\t10" in out  # piped: one tab-separated line per row
    assert "1\tphu-yen\t12" in out
