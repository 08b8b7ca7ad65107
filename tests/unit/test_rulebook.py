"""The rulebook's versions: selection by date, what makes one complete, the file and its schema,
and the store's additions and corrections on eventsourcing's in-memory persistence."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from domain.kernel.actor import Actor, Role
from domain.kernel.errors import DomainError, InvalidInput
from domain.rulebook.defaults import DECREE_152, DEFAULT_VERSIONS, LAW_06_DECREE_98, find_version
from domain.rulebook.validation import VersionNotFound, check_no_overlap, check_version
from domain.rulebook.version import ProposalStep, Scope
from services.application.proposals import AwardsApplication
from services.application.rulebook import Rulebook
from services.application.rulebook_file import (
    RulebookFileInvalid,
    document,
    read_data,
    read_text,
    schema,
)

DOCS = Path(__file__).resolve().parents[2] / "docs"
ADMIN = Actor("admin", Role.ADMIN)
DAY = date(2026, 11, 20)


def test_rule_version_in_force_is_chosen_by_the_lodging_day() -> None:
    assert find_version(DEFAULT_VERSIONS, date(2025, 6, 30)) is LAW_06_DECREE_98
    assert find_version(DEFAULT_VERSIONS, date(2025, 7, 1)) is DECREE_152
    assert find_version(DEFAULT_VERSIONS, date(2027, 2, 28)) is DECREE_152


def test_no_version_in_force_is_refused_naming_the_day() -> None:
    with pytest.raises(VersionNotFound, match="2027-03-01"):
        find_version(DEFAULT_VERSIONS, date(2027, 3, 1))


def test_default_versions_are_complete_and_never_overlap() -> None:
    for version in DEFAULT_VERSIONS:
        check_version(version)
    check_no_overlap(DEFAULT_VERSIONS)


def test_rule_decree_152_differs_in_publication_documents_and_appraisal() -> None:
    assert LAW_06_DECREE_98.publication_window.working_days == 5
    assert DECREE_152.publication_window.working_days == 10
    assert "publication_record" not in LAW_06_DECREE_98.form("labour_order").required_documents
    assert "publication_record" in DECREE_152.form("labour_order").required_documents
    appraisal = ProposalStep.APPRAISAL
    assert LAW_06_DECREE_98.deadlines_proposal[appraisal].working_days == 25
    assert DECREE_152.deadlines_proposal[appraisal].working_days == 20


def test_rule_emulation_fighter_needs_nine_tenths_of_all_members() -> None:
    rule = DECREE_152.ballot_rule("council", "vusta_emulation_fighter")
    assert (rule.threshold, rule.comparison, rule.base) == ("9/10", "at_least", "all")
    assert DECREE_152.ballot_rule("council", "vusta_certificate").threshold == "7/10"


def test_rule_one_vusta_flag_per_cluster_and_year() -> None:
    assert DECREE_152.quota("vusta_flag", Scope.CLUSTER) == 1
    assert DECREE_152.quota("vusta_certificate", Scope.CLUSTER) is None


def test_catalogue_holds_the_state_level_forms_vusta_forwards() -> None:
    forwarded = {form.code for form in DECREE_152.catalogue if form.forwarded}
    assert forwarded == {
        "government_flag",
        "pm_certificate",
        "labour_order",
        "national_emulation_fighter",
    }


def test_step_without_a_default_ballot_rule_is_refused() -> None:
    broken = replace(DECREE_152, ballot_rules={**DECREE_152.ballot_rules, "council": {}})
    with pytest.raises(InvalidInput, match=r"ballot_rules\.council lacks default"):
        check_version(broken)


def test_missing_deadline_is_refused_naming_the_step() -> None:
    deadlines = dict(DECREE_152.deadlines_proposal)
    del deadlines[ProposalStep.PUBLICATION]
    with pytest.raises(InvalidInput, match="deadlines_proposal lacks publication"):
        check_version(replace(DECREE_152, deadlines_proposal=deadlines))


def test_quota_of_a_form_outside_the_catalogue_is_refused() -> None:
    quotas = (*DECREE_152.quotas, replace(DECREE_152.quotas[0], form="nobel"))
    with pytest.raises(InvalidInput, match=r"quotas\.2\.form names nobel"):
        check_version(replace(DECREE_152, quotas=quotas))


def test_overlapping_versions_are_refused_naming_both() -> None:
    late = replace(DECREE_152, code="amending-law-2026", effective_from=date(2026, 10, 1))
    with pytest.raises(DomainError, match=r"decree-152-2025 and amending-law-2026.*2026-10-01"):
        check_no_overlap([*DEFAULT_VERSIONS, late])


def test_schema_file_is_the_generated_schema() -> None:
    """Regenerate with `awards rules schema > docs/rulebook.schema.json`."""
    assert json.loads((DOCS / "rulebook.schema.json").read_text()) == schema()


def test_example_files_are_valid_and_are_the_defaults() -> None:
    examples = {v.code: v for v in DEFAULT_VERSIONS}
    files = sorted((DOCS / "rulebook").glob("*.yaml"))
    assert len(files) == len(examples)
    for path in files:
        version = read_text(path.read_text())
        assert version == examples[version.code]


def test_file_error_names_the_field_path() -> None:
    data = document(DECREE_152)
    data["deadlines_proposal"]["appraisal"]["working_days"] = 0
    with pytest.raises(RulebookFileInvalid) as refused:
        read_data(data)
    assert refused.value.errors[0]["loc"] == ("deadlines_proposal", "appraisal", "working_days")
    assert "deadlines_proposal.appraisal.working_days" in str(refused.value)


def test_file_with_an_unknown_field_is_refused() -> None:
    data = {**document(DECREE_152), "deadline": 3}
    with pytest.raises(RulebookFileInvalid, match="deadline"):
        read_data(data)


def test_file_that_is_not_yaml_is_refused() -> None:
    with pytest.raises(InvalidInput, match="not YAML"):
        read_text("code: [unclosed")


# ---- the store, on in-memory persistence ------------------------------------------------


@pytest.fixture
def rulebook() -> Rulebook:
    store = Rulebook(
        AwardsApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}), lambda: DAY
    )
    store.ensure_defaults()
    return store


def test_defaults_are_stored_once(rulebook: Rulebook) -> None:
    rulebook.ensure_defaults()
    assert [v.code for v in rulebook.versions()] == [v.code for v in DEFAULT_VERSIONS]
    assert rulebook.in_force(date(2025, 7, 1)) == DECREE_152


def test_added_version_with_the_same_key_is_added_once(rulebook: Rulebook) -> None:
    later = replace(DECREE_152, code="later", effective_from=date(2027, 3, 1), effective_to=None)
    assert rulebook.add(later, ADMIN, "successor", "k1") is True
    assert rulebook.add(later, ADMIN, "successor", "k1") is False
    assert rulebook.version("later") == later
    with pytest.raises(DomainError, match="exists already"):
        rulebook.add(later, ADMIN, "again", "k2")


def test_correction_of_a_version_in_force_may_only_move_its_end(rulebook: Rulebook) -> None:
    stricter = replace(DECREE_152, publication_forms=("labour_order",))
    with pytest.raises(DomainError, match="only its end may move"):
        rulebook.correct(stricter, ADMIN, "fewer published forms", "c1")
    ended = replace(DECREE_152, effective_to=date(2026, 12, 31))
    assert rulebook.correct(ended, ADMIN, "successor announced", "c2") is True
    assert rulebook.version(DECREE_152.code).effective_to == date(2026, 12, 31)
    with pytest.raises(DomainError, match="only its end may move"):
        rulebook.correct(replace(DECREE_152, effective_to=date(2026, 11, 1)), ADMIN, "x", "c3")


def test_correction_of_a_version_not_yet_in_force_may_change_anything(rulebook: Rulebook) -> None:
    later = replace(DECREE_152, code="later", effective_from=date(2027, 3, 1), effective_to=None)
    rulebook.add(later, ADMIN, "successor", "k1")
    changed = replace(later, publication_forms=("labour_order",))
    assert rulebook.correct(changed, ADMIN, "draft fixed", "c1") is True
    assert rulebook.version("later").publication_forms == ("labour_order",)
    assert [c.what for c in rulebook.history("later")] == ["VersionAdded", "VersionCorrected"]


def test_change_without_a_reason_is_refused(rulebook: Rulebook) -> None:
    later = replace(DECREE_152, code="later", effective_from=date(2027, 3, 1), effective_to=None)
    with pytest.raises(InvalidInput, match="reason"):
        rulebook.add(later, ADMIN, " ", "k1")
