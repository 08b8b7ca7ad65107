"""Which steps a page offers its viewer: the domain's table of steps by state, narrowed to the
role they act in and, for a ballot, to the electorate. The use cases still decide."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.proposal.lifecycle import Step, allowed_steps
from services.application.directory import User


@dataclass(frozen=True)
class Offers:
    upload: bool = False
    submit: bool = False
    withdraw: bool = False
    ballot: str | None = None  # the stage whose ballot the viewer may cast now
    voted: tuple[str, ...] = ()  # stages in which the viewer (or their unit) has voted
    appraise: bool = False
    hold: bool = False
    release: bool = False
    decide: bool = False
    audit: bool = False


def _voter(user: User, stage: str) -> str:
    # A cluster's electorate lists member units, the council's lists people.
    return (user.unit_id or "") if stage == "cluster" else user.username


def offers(user: User, view: dict[str, Any]) -> Offers:
    """``view`` is services.application.views.proposal_view's answer; ``user`` acts in one role."""
    steps = set(allowed_steps(view["state"], bool(view.get("forwarded"))))
    own = user.has("proposer") and user.unit_id == view["proposing_unit"]
    role_stage = {"cluster_member": "cluster", "council_member": "council"}
    stage = next((role_stage[role] for role in user.roles if role in role_stage), None)
    ballot = None
    voted: tuple[str, ...] = ()
    if stage is not None and stage in view["votes"]:
        vote = view["votes"][stage]
        voter = _voter(user, stage)
        ballot_step = Step.CLUSTER_BALLOT if stage == "cluster" else Step.COUNCIL_BALLOT
        if vote["open"] and voter in vote["electorate"] and voter not in vote["voted"]:
            ballot = stage if ballot_step in steps else None
        if voter in vote["voted"]:
            voted = (stage,)
    keeper = user.has("council_secretary", "admin")
    return Offers(
        upload=own and Step.ATTACH_DOCUMENT in steps,
        submit=own and bool(steps & {Step.SUBMIT, Step.RESUBMIT}),
        withdraw=own and Step.WITHDRAW in steps,
        ballot=ballot,
        voted=voted,
        appraise=user.has("council_secretary") and Step.APPROVE_APPRAISAL in steps,
        hold=keeper and Step.HOLD in steps,
        release=keeper and Step.RELEASE in steps,
        decide=user.has("president") and Step.DECIDE in steps,
        audit=user.has("auditor", "admin"),
    )
