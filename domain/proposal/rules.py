"""Voting rules and step deadlines passed into the process as data (the rulebook's defaults)."""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.voting.ballot import BallotRule, Base, Comparison


@dataclass(frozen=True)
class Deadlines:
    """Days allowed for each timed step; fractions of a day are allowed for tests and drills."""

    cluster_vote_days: float = 7
    appraisal_days: float = 20
    council_vote_days: float = 7
    # A forwarded proposal waits this long for the state body before a reminder is recorded
    # (the rulebook's ProposalStep.EXTERNAL_OUTCOME once it is wired into the process).
    external_outcome_days: float = 60


# Cluster vote: one vote per member unit, no vote on its own nomination, majority of members.
CLUSTER_DEFAULT = BallotRule(
    quorum="2/3", threshold="1/2", comparison=Comparison.MORE_THAN, base=Base.ALL
)
# Precedent (DOMAIN.md §4): ≥ 70% of all council members for flags and certificates, 2/3 quorum.
COUNCIL_DEFAULT = BallotRule(
    quorum="2/3", threshold="7/10", comparison=Comparison.AT_LEAST, base=Base.ALL
)


def _default_council_rules() -> dict[str, BallotRule]:
    return {"default": COUNCIL_DEFAULT}


@dataclass(frozen=True)
class VotingRules:
    cluster: BallotRule = CLUSTER_DEFAULT
    council: dict[str, BallotRule] = field(default_factory=_default_council_rules)

    def council_rule(self, form_code: str) -> BallotRule:
        return self.council.get(form_code, self.council["default"])
