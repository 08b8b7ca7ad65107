"""Stand-in for the rulebook in force, until [rules] lands ``runtime.rulebook`` and
``domain.rulebook.defaults``: two versions split on 01/07/2025 with DOMAIN.md §4's numbers
(one VUSTA Flag per cluster or block and year; the Certificate's prerequisites).

Delete this module when ``runtime.rulebook.in_force(day)`` exists; its one caller is
``services.application.eligibility.rulebook_in_force``."""

from __future__ import annotations

from datetime import date

from domain.kernel.errors import DomainError
from domain.proposal.forms import DEFAULT_CATALOGUE
from domain.rulebook.version import (
    CertificatePrerequisites,
    ConferenceRules,
    Quota,
    RulebookVersion,
    Scope,
)

SPLIT = date(2025, 7, 1)


def stand_in(code: str, start: date, end: date | None) -> RulebookVersion:
    return RulebookVersion(
        code=code,
        title=code,
        effective_from=start,
        effective_to=end,
        catalogue=DEFAULT_CATALOGUE,
        ballot_rules={},
        deadlines_year={},
        deadlines_proposal={},
        quotas=(
            Quota("vusta_flag", Scope.CLUSTER, 1),
            Quota("vusta_flag", Scope.BLOCK, 1),
        ),
        conference=ConferenceRules(),
        certificate_prerequisites=CertificatePrerequisites(),
        publication_forms=(),
        criteria_templates=(),
    )


VERSIONS = (
    stand_in("law-06-2022+decree-98-2023", date(2024, 1, 1), SPLIT),
    stand_in("decree-152-2025", SPLIT, None),  # open-ended in the stand-in: no successor yet
)


def in_force(day: date) -> RulebookVersion:
    for version in VERSIONS:
        if version.in_force_on(day):
            return version
    raise DomainError("no rulebook version is in force on {day}", day=day.isoformat())
