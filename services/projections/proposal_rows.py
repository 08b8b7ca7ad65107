"""One proposal's list row, and how each stored event changes it (no aggregate is reloaded)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.proposal.states import State, VoteStage
from domain.voting.ballot import Outcome

_VOTING = {VoteStage.CLUSTER: State.CLUSTER_VOTING, VoteStage.COUNCIL: State.COUNCIL_VOTING}
_APPROVED = {VoteStage.CLUSTER: State.CLUSTER_APPROVED, VoteStage.COUNCIL: State.COUNCIL_APPROVED}
VOTING_STATES = frozenset(_VOTING.values())
# What PostgreSQL text and jsonb cannot hold is shown as the Unicode symbol for it; the
# event store keeps the exact value.
_NUL_SYMBOL = "\u2400"


def storable(text: str) -> str:
    """Text PostgreSQL can store: U+0000 as ␀, lone surrogates as U+FFFD."""
    cleaned = text.replace("\x00", _NUL_SYMBOL)
    return cleaned.encode("utf-8", "replace").decode("utf-8") if not cleaned.isascii() else cleaned


@dataclass(slots=True)
class ProposalRow:
    """What the list and the inboxes need of a proposal; `electorate`, `voted` and
    `vote_sealed` belong to the vote opened last, which is the one a voting state is in."""

    id: UUID
    title: str
    form: str
    year: int
    cluster: str
    proposing_unit: str
    nominee: str
    cluster_vote: bool
    state: str
    version: int
    updated_at: datetime
    electorate: list[str] = field(default_factory=list)
    voted: list[str] = field(default_factory=list)
    vote_sealed: bool = False

    @property
    def counting(self) -> bool:
        """A vote whose box is sealed and waits for the trustees' decryption shares."""
        return self.state in VOTING_STATES and self.vote_sealed


def _nominated(event: Any) -> ProposalRow:
    return ProposalRow(
        id=event.originator_id,
        title=storable(str(event.title)),
        form=storable(str(event.form)),
        year=int(event.year),
        cluster=storable(str(event.cluster)),
        proposing_unit=storable(str(event.proposing_unit)),
        nominee=storable(str(event.nominee.get("name", ""))),
        cluster_vote=bool(event.cluster_vote_required),
        state=State.DRAFT.value,
        version=event.originator_version,
        updated_at=event.timestamp,
    )


def _to(state: State) -> Callable[[ProposalRow, Any], None]:
    def change(row: ProposalRow, event: Any) -> None:
        row.state = state.value

    return change


def _vote_opened(row: ProposalRow, event: Any) -> None:
    row.state = _VOTING[VoteStage(event.stage)].value
    row.electorate = [storable(str(member)) for member in event.electorate]
    row.voted = []
    row.vote_sealed = False


def _ballot_recorded(row: ProposalRow, event: Any) -> None:
    row.voted.append(storable(str(event.voter)))


def _box_sealed(row: ProposalRow, event: Any) -> None:
    row.vote_sealed = True


def _vote_closed(row: ProposalRow, event: Any) -> None:
    row.vote_sealed = False
    approved = event.outcome == Outcome.APPROVED
    row.state = (_APPROVED[VoteStage(event.stage)] if approved else State.REJECTED).value


def _released(row: ProposalRow, event: Any) -> None:
    row.state = str(event.resumed_state)


# Event class name → its change to the row; any other event only moves version and time.
CHANGES: dict[str, Callable[[ProposalRow, Any], None]] = {
    "Submitted": _to(State.SUBMITTED),
    "Resubmitted": _to(State.SUBMITTED),
    "VoteOpened": _vote_opened,
    "BallotRecorded": _ballot_recorded,
    "BallotBoxSealed": _box_sealed,
    "VoteClosed": _vote_closed,
    "AppraisalOpened": _to(State.APPRAISAL),
    "AppraisalApproved": _to(State.APPRAISED),
    "ReturnedForSupplements": _to(State.RETURNED),
    "PutOnHold": _to(State.ON_HOLD),
    "Released": _released,
    "Withdrawn": _to(State.WITHDRAWN),
    "Decided": _to(State.DECIDED),
    "ConferenceVoteHeld": _to(State.CLUSTER_APPROVED),
    "Forwarded": _to(State.FORWARDED),
    "ExternalOutcomeRecorded": _to(State.EXTERNALLY_DECIDED),
    # --- publish ---
    "Published": _to(State.PUBLISHED),
    "ComplaintUpheld": _to(State.REJECTED),
    "Revoked": _to(State.REVOKED),
    "DecidedByDecision": _to(State.DECIDED),  # --- decide ---
}
CREATED = "Nominated"


def apply(row: ProposalRow | None, event: Any) -> ProposalRow | None:
    """The row after the event; None for an event of no proposal (or of one never listed)."""
    name = type(event).__name__
    if name == CREATED:
        return _nominated(event)
    if row is None or event.originator_version <= row.version:
        return row  # not a proposal's event, or one already applied
    change = CHANGES.get(name)
    if change is not None:
        change(row, event)
    row.version = event.originator_version
    row.updated_at = event.timestamp
    return row
