"""Every eligibility rule at once, over the facts gathered for one nomination."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from domain.eligibility.achievement import one_achievement_one_form
from domain.eligibility.blocking import no_proposal_under_hold
from domain.eligibility.certificate import certificate_prerequisites
from domain.eligibility.holds import Hold
from domain.eligibility.leadership import government_flag_needs_leader, vusta_flag_quota
from domain.eligibility.refusal import Refusal
from domain.eligibility.register import AwardEntry, Source
from domain.rulebook.version import RulebookVersion, Scope


@dataclass(frozen=True)
class NominationFacts:
    """What the rules need to know of one nomination and its nominee."""

    form: str
    nominee: str  # domain.eligibility.identity.nominee_key
    individual: bool
    unit: str  # the nominated unit, or the unit an individual belongs to
    group: str  # the cluster or block the nomination is made in
    year: int
    achievement: str  # the proposal's title
    claims: tuple[AwardEntry, ...] = ()  # register entries and proposals under way
    holds: tuple[Hold, ...] = ()
    leaders: Mapping[str, str] = field(default_factory=dict)  # group → leading unit, that year
    flags_taken: tuple[str, ...] = ()  # the group's Flags of that year, held or proposed
    scope: Scope = Scope.CLUSTER


def check_all(facts: NominationFacts, version: RulebookVersion) -> tuple[Refusal, ...]:
    held = tuple(claim for claim in facts.claims if claim.source != Source.PROPOSED)
    found = (
        one_achievement_one_form(
            facts.nominee, facts.year, facts.achievement, facts.claims, version.code
        ),
        no_proposal_under_hold(facts.holds, facts.year, version.code),
        government_flag_needs_leader(
            facts.form, facts.unit, facts.group, facts.year, facts.leaders, version.code
        ),
        vusta_flag_quota(
            facts.form, facts.group, facts.scope, facts.year, facts.flags_taken, version
        ),
        certificate_prerequisites(facts.form, facts.individual, facts.year, held, version),
    )
    return tuple(refusal for refusal in found if refusal is not None)
