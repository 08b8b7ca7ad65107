"""The process runs by the rulebook version its proposal was lodged under, its working days
turned into timers on the stored calendar; settings still override a deadline."""

from __future__ import annotations

from datetime import date

import pytest

from domain.rulebook.defaults import DECREE_152, LAW_06_DECREE_98
from services.application.process_terms import DeadlineOverrides, ProcessTerms
from services.application.proposals import AwardsApplication
from services.application.rulebook import Rulebook
from services.application.working_calendar import WorkingCalendars

START = date(2026, 10, 5)  # a Monday: 20 working days are 28 calendar days, 25 are 35


@pytest.fixture
def terms() -> ProcessTerms:
    app = AwardsApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    rulebook = Rulebook(app, lambda: date(2026, 11, 20))
    rulebook.ensure_defaults()
    return ProcessTerms(rulebook, WorkingCalendars(app))


def test_rule_version_in_force_on_lodging_judges_the_proposal(terms: ProcessTerms) -> None:
    before = terms.version_for(None, date(2025, 6, 30))
    after = terms.version_for(None, date(2025, 7, 1))
    assert (before.code, after.code) == (LAW_06_DECREE_98.code, DECREE_152.code)
    old = terms.terms("vusta_certificate", False, before, START)
    new = terms.terms("vusta_certificate", False, after, START)
    assert (old.version, new.version) == (LAW_06_DECREE_98.code, DECREE_152.code)
    assert old.deadlines.appraisal_days == 35  # 25 working days under Decree 98
    assert new.deadlines.appraisal_days == 28  # 20 working days under Decree 152


def test_recorded_version_wins_over_the_lodging_day(terms: ProcessTerms) -> None:
    assert terms.version_for(LAW_06_DECREE_98.code, date(2026, 1, 5)) == LAW_06_DECREE_98


def test_emulation_fighter_council_rule_comes_from_the_version(terms: ProcessTerms) -> None:
    found = terms.terms("vusta_emulation_fighter", False, DECREE_152, START)
    assert found.council_rule.threshold == "9/10"
    assert found.cluster_rule == DECREE_152.ballot_rule("cluster", "default")


def test_later_steps_count_from_the_earlier_steps_deadline(terms: ProcessTerms) -> None:
    found = terms.terms("vusta_flag", True, DECREE_152, START)
    assert found.deadlines.cluster_vote_days == 7  # 5 working days from a Monday
    assert found.deadlines.appraisal_days == 28


def test_settings_override_a_deadline_in_calendar_days(terms: ProcessTerms) -> None:
    overridden = ProcessTerms(
        terms.rulebook, WorkingCalendars(AwardsApplication(env={})), DeadlineOverrides(0.01)
    )
    found = overridden.terms("vusta_flag", True, DECREE_152, START)
    assert found.deadlines.cluster_vote_days == 0.01
    assert found.deadlines.appraisal_days == 28
