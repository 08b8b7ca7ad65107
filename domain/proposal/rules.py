"""Step deadlines passed into the process as data, and the ballot rules tests start from (the
process takes its rules from the rulebook version a proposal was lodged under)."""

from __future__ import annotations

from dataclasses import dataclass

from domain.voting.ballot import BallotRule, Base, Comparison


@dataclass(frozen=True)
class Deadlines:
    """Days allowed for each timed step; fractions of a day are allowed for tests and drills."""

    cluster_vote_days: float = 7
    appraisal_days: float = 20
    council_vote_days: float = 7
    # A forwarded proposal waits this long for the state body before a reminder is recorded.
    external_outcome_days: float = 60


# Cluster vote: one vote per member unit, no vote on its own nomination, majority of members.
CLUSTER_DEFAULT = BallotRule(
    quorum="2/3", threshold="1/2", comparison=Comparison.MORE_THAN, base=Base.ALL
)
# Precedent (DOMAIN.md §4): ≥ 70% of all council members for flags and certificates, 2/3 quorum.
COUNCIL_DEFAULT = BallotRule(
    quorum="2/3", threshold="7/10", comparison=Comparison.AT_LEAST, base=Base.ALL
)
