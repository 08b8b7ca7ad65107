"""Temporal activities: the only place the proposal workflow touches the event store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from temporalio import activity
from temporalio.exceptions import ApplicationError

from domain.kernel.actor import Actor, Role
from domain.kernel.errors import DomainError, InvalidInput
from domain.proposal.aggregate import Proposal
from domain.proposal.commands import (
    ApproveAppraisal,
    CloseVote,
    Command,
    Decide,
    Hold,
    MissDeadline,
    OpenAppraisal,
    OpenVote,
    RecordBallot,
    Release,
    Resubmit,
    ReturnDossier,
    SealBox,
    Submit,
    SubmitShare,
    Withdraw,
)
from domain.proposal.states import VoteStage
from domain.voting.ballot import BallotRule, electorate
from domain.voting.election_key import partially_decrypt
from domain.voting.sealed_ballot import count_context, totals
from infra.trustee_keys import Custody, secret_exponent
from services.application.directory import Directory
from services.application.proposals import AwardsApplication, ProposalNotFound
from workflows.messages import (
    CountQuery,
    ElectorateQuery,
    StepCommand,
    StepInput,
    StepOutcome,
    StepResult,
    VoteReport,
)
from workflows.proposal import APPLY_STEP, DECRYPT_COUNT, ELECTION_KEY, FIND_ELECTORATE, TAKE_STEP


def _refused(error: DomainError | ProposalNotFound) -> ApplicationError:
    code = getattr(error, "code", "not-found")
    # The template and its parameters travel beside the English text, so the API translates.
    details = {"message": error.message.to_json()} if isinstance(error, DomainError) else {}
    return ApplicationError(str(error), details, type=code, non_retryable=True)


class ProposalActivities:
    """The activities, and what the application asks of the directory and the key custody."""

    def __init__(self, app: AwardsApplication, directory: Directory, custody: Custody) -> None:
        self._app = app
        self._directory = directory
        self._custody = custody

    @activity.defn(name=TAKE_STEP)
    def take_step(self, step: StepInput) -> StepOutcome:
        """Every write of one step, in one transaction; a retried step writes nothing."""
        try:
            proposal = self._app.apply(UUID(step.proposal_id), step.commands, self)
        except (DomainError, ProposalNotFound) as error:
            raise _refused(error) from None
        # Only the votes this step opened, sealed or counted: the workflow reads nothing else,
        # and every report carries a 2048-bit key through the codec and the workflow's sandbox.
        touched = {getattr(command, "stage", None) for command in step.commands}
        votes = {
            stage: VoteReport(
                electorate=list(vote.electorate),
                election_key=vote.election_key,
                trustees=vote.trustees,
            )
            for stage, vote in proposal.votes.items()
            if stage in touched
        }
        return StepOutcome(state=proposal.state, votes=votes)

    # ---- what steps need beyond the proposal (services.application.StepServices) ----------

    def electorate(self, proposal: Proposal, stage: VoteStage, rule: BallotRule) -> list[str]:
        """Member units of the proposer's cluster, or council members, without conflicts, in
        the organisation in force for the PROPOSAL's year (a later regrouping changes nothing)."""
        conflicted = {proposal.proposing_unit, proposal.nominee.unit_id or ""}
        year = proposal.year
        if VoteStage(stage) == VoteStage.CLUSTER:
            units = self._directory.cluster_units(proposal.cluster, year=year)
            members = [unit.id for unit in units]
        else:
            council = self._directory.users_with_role(Role.COUNCIL_MEMBER, year=year)
            members = [user.username for user in council]
            conflicted |= {u.username for u in council if u.unit_id in conflicted}
        return electorate(members, conflicted, rule)

    def election_key(self) -> dict[str, Any]:
        """The public key the next vote's ballots are sealed under."""
        return self._custody.key.to_json()

    def service_shares(self, proposal: Proposal, stage: VoteStage) -> list[dict[str, Any]]:
        """Decryption shares of a sealed vote's totals from the key shares this service holds
        (none when the trustees hold them all); never more than the count needs."""
        vote = proposal.vote(stage)
        fingerprint = vote.key().fingerprint
        held = [
            share
            for share in self._custody.shares
            if share.key == fingerprint and share.trustee not in vote.trustees
        ]
        encrypted = totals(vote.sealed_box())
        context = count_context(proposal.ballot_context(stage))
        return [
            partially_decrypt(share, encrypted, context, secret_exponent).to_json()
            for share in held[: vote.shares_missing]
        ]

    # ---- before the "one-round-trip" patch: kept for workflows that replay the old path ---

    @activity.defn(name=APPLY_STEP)
    def apply_step(self, command: StepCommand) -> StepResult:
        try:
            translated = _legacy_command(command)
            proposal = self._app.apply(UUID(command.proposal_id), [translated], self)
        except (DomainError, ProposalNotFound) as error:
            raise _refused(error) from None
        return StepResult(state=proposal.state)

    @activity.defn(name=FIND_ELECTORATE)
    def find_electorate(self, query: ElectorateQuery) -> list[str]:
        proposal = self._app.proposal(UUID(query.proposal_id))
        return self.electorate(proposal, VoteStage(query.stage), query.rule)

    @activity.defn(name=ELECTION_KEY)
    def election_key_activity(self) -> dict[str, Any]:
        return self.election_key()

    @activity.defn(name=DECRYPT_COUNT)
    def decrypt_count(self, query: CountQuery) -> list[dict[str, Any]]:
        proposal = self._app.proposal(UUID(query.proposal_id))
        return self.service_shares(proposal, VoteStage(query.stage))

    def all(self) -> list[Callable[..., Any]]:
        return [
            self.take_step,
            self.apply_step,
            self.find_electorate,
            self.election_key_activity,
            self.decrypt_count,
        ]


def _legacy_command(command: StepCommand) -> Command:
    """The typed command an old path's action string and arguments stood for."""
    a, actor, key = command.args, Actor(command.actor_id, command.actor_role), command.key

    def at(name: str) -> datetime:
        return datetime.fromisoformat(a[name])

    def stage() -> VoteStage:
        return VoteStage(a["stage"])

    build: dict[str, Callable[[], Command]] = {
        "submit": lambda: Submit(actor=actor, key=key, comment=a.get("comment", "")),
        "resubmit": lambda: Resubmit(actor=actor, key=key, comment=a.get("comment", "")),
        "open_vote": lambda: OpenVote(
            actor=actor,
            key=key,
            stage=stage(),
            rule=a["rule"],
            deadline=at("deadline"),
            electorate=a["electorate"],
            election_key=a["election_key"],
        ),
        "record_ballot": lambda: RecordBallot(
            actor=actor, key=key, stage=stage(), voter=a["voter"]
        ),
        "seal_box": lambda: SealBox(
            actor=actor,
            key=key,
            stage=stage(),
            box=a["box"],
            reason=a["reason"],
            closed_at=at("closed_at"),
        ),
        "submit_share": lambda: SubmitShare(actor=actor, key=key, stage=stage(), share=a["share"]),
        "close_vote": lambda: CloseVote(actor=actor, key=key, stage=stage()),
        "open_appraisal": lambda: OpenAppraisal(actor=actor, key=key, deadline=at("deadline")),
        "approve_appraisal": lambda: ApproveAppraisal(
            actor=actor, key=key, comment=a.get("comment", "")
        ),
        "return": lambda: ReturnDossier(actor=actor, key=key, reason=a["reason"]),
        "miss_deadline": lambda: MissDeadline(
            actor=actor, key=key, step=a["step"], deadline=at("deadline")
        ),
        "hold": lambda: Hold(actor=actor, key=key, reason=a["reason"]),
        "release": lambda: Release(actor=actor, key=key, reason=a.get("reason", "")),
        "withdraw": lambda: Withdraw(actor=actor, key=key, reason=a.get("reason", "")),
        "decide": lambda: Decide(
            actor=actor,
            key=key,
            outcome=a["outcome"],
            number=a["number"],
            decided_on=a["decided_on"],
            reason=a.get("reason", ""),
        ),
    }
    if command.action not in build:
        raise InvalidInput(f"unknown step {command.action!r}")
    return build[command.action]()
