"""The states a proposal passes through, the vote stages and decision outcomes."""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CLUSTER_VOTING = "cluster_voting"
    CLUSTER_APPROVED = "cluster_approved"
    APPRAISAL = "appraisal"
    RETURNED = "returned"
    APPRAISED = "appraised"
    COUNCIL_VOTING = "council_voting"
    COUNCIL_APPROVED = "council_approved"
    DECIDED = "decided"
    FORWARDED = "forwarded"  # a state-level form sent on to the state body that decides it
    EXTERNALLY_DECIDED = "externally_decided"  # that body's decision, recorded by VUSTA
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    ON_HOLD = "on_hold"
    # --- publish ---
    PUBLISHED = "published"  # a state-level nominee in its public feedback window
    REVOKED = "revoked"  # an award revoked by a later decision (Law 06/2022 Art 93)


TERMINAL = frozenset(
    {State.DECIDED, State.EXTERNALLY_DECIDED, State.REJECTED, State.WITHDRAWN, State.REVOKED}
)
EDITABLE = frozenset({State.DRAFT, State.RETURNED})


class VoteStage(StrEnum):
    CLUSTER = "cluster"
    COUNCIL = "council"


class DecisionOutcome(StrEnum):
    AWARDED = "awarded"
    REJECTED = "rejected"
