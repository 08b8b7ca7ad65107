"""The Flags that go to a cluster's or block's leader: the Government Flag only for a
collective that led its group that year (Law 06/2022 Art 25), and the VUSTA Flag within its
quota per group and year."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from domain.eligibility.refusal import Refusal
from domain.kernel.message import Message
from domain.rulebook.version import RulebookVersion, Scope

GOVERNMENT_FLAG = "government_flag"


def government_flag_needs_leader(
    form: str, unit: str, group: str, year: int, leaders: Mapping[str, str], version: str
) -> Refusal | None:
    """``leaders``: group id → the unit that led it in ``year``."""
    if form != GOVERNMENT_FLAG:
        return None
    leader = leaders.get(group)
    if leader == unit:
        return None
    facts = (
        f"{group} {year}: led by {leader}" if leader else f"{group} {year}: no leader recorded",
    )
    return Refusal(
        "government_flag_needs_leader",
        version,
        facts,
        Message(
            "the Government Flag goes only to the collective that led {group} in {year};"
            " {unit} did not",
            group=group,
            year=year,
            unit=unit,
        ),
    )


def vusta_flag_quota(
    form: str,
    group: str,
    scope: Scope,
    year: int,
    taken: Sequence[str],
    version: RulebookVersion,
) -> Refusal | None:
    """``taken``: the Flags of ``group`` and ``year`` already awarded or proposed."""
    if form != version.conference.flag_form:
        return None
    quota = next((q.per_year for q in version.quotas if q.form == form and q.scope == scope), None)
    if quota is None or len(taken) < quota:
        return None
    return Refusal(
        "vusta_flag_quota",
        version.code,
        (f"quota {quota} per {scope.value} and year", *taken),
        Message(
            "{group} has used its quota of {quota} VUSTA Flag(s) for {year}",
            group=group,
            quota=quota,
            year=year,
        ),
    )
