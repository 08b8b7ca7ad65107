"""The individual VUSTA Certificate's prerequisites (Law 06/2022 Art 74.1(d)): grassroots
emulation fighter N years running, or "excellent completion" N years running with M applied
initiatives in those years. The run must end in the nomination year or the year before
(an earlier run was rewarded, or not, in its time)."""

from __future__ import annotations

from collections.abc import Sequence

from domain.eligibility.refusal import Refusal
from domain.eligibility.register import AwardEntry, Title
from domain.kernel.message import Message
from domain.rulebook.version import RulebookVersion

VUSTA_CERTIFICATE = "vusta_certificate"


def _years(entries: Sequence[AwardEntry], code: str) -> set[int]:
    return {entry.year for entry in entries if entry.code == code}


def _run_ending(years: set[int], last: int, length: int) -> range | None:
    """The ``length`` consecutive years ending in ``last`` or ``last - 1``, when all held."""
    for end in (last, last - 1):
        run = range(end - length + 1, end + 1)
        if all(year in years for year in run):
            return run
    return None


def certificate_prerequisites(
    form: str,
    individual: bool,
    year: int,
    entries: Sequence[AwardEntry],
    version: RulebookVersion,
) -> Refusal | None:
    """``entries``: the individual's register entries."""
    if form != VUSTA_CERTIFICATE or not individual:
        return None
    needs = version.certificate_prerequisites
    if _run_ending(_years(entries, Title.GRASSROOTS_FIGHTER), year, needs.fighter_years_running):
        return None
    excellent = _run_ending(
        _years(entries, Title.EXCELLENT_COMPLETION), year, needs.excellent_years
    )
    initiatives = [
        e for e in entries if e.code == Title.INITIATIVE and excellent and e.year in excellent
    ]
    if excellent and len(initiatives) >= needs.initiatives:
        return None
    facts = tuple(
        entry.describe()
        for entry in entries
        if entry.code in (Title.GRASSROOTS_FIGHTER, Title.EXCELLENT_COMPLETION, Title.INITIATIVE)
    )
    return Refusal(
        "certificate_prerequisites",
        version.code,
        facts or ("no grassroots fighter, excellent completion or initiative recorded",),
        Message(
            "an individual VUSTA Certificate needs grassroots emulation fighter {fighter} years"
            " running, or excellent completion {excellent} years running with {initiatives}"
            " applied initiatives, up to {year}",
            fighter=needs.fighter_years_running,
            excellent=needs.excellent_years,
            initiatives=needs.initiatives,
            year=year,
        ),
    )
