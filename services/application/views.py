"""How a proposal is shown to API clients: its state, dossier, votes (counts only) and decision."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from domain.proposal.aggregate import Proposal
from domain.voting.ballot import yes_votes_needed
from domain.voting.vote import Vote
from services.i18n.labels import state_label


def _vote_view(vote: Vote) -> dict[str, Any]:
    # Who voted is public to the process; how anyone voted is never stored, so never shown.
    return {
        "rule_text": vote.rule.describe(),
        "yes_needed": yes_votes_needed(vote.rule, len(vote.electorate), len(vote.voted)),
        "electorate": list(vote.electorate),
        "voted": list(vote.voted),
        "ballots_cast": len(vote.voted),
        "deadline": vote.deadline,
        "rule": asdict(vote.rule),
        "open": vote.is_open,
        "sealed": vote.is_sealed,
        "counting": vote.counting,
        "shares_from": sorted(vote.trustees),
        "result": None if vote.result is None else vote.result.to_json(),
        # Anonymous: receipt hashes and trackers of sealed ballots, sorted by receipt; the
        # sealed ballots themselves are in GET …/votes/{stage}/count and the audit record.
        "ballot_box": None
        if vote.box is None
        else [{"receipt": e.receipt, "tracker": e.tracker} for e in vote.box],
    }


def proposal_view(proposal: Proposal) -> dict[str, Any]:
    return {
        "id": str(proposal.id),
        "version": proposal.version,
        "state": proposal.state,
        "state_label": state_label(proposal.state),
        "form": proposal.form,
        "year": proposal.year,
        "title": proposal.title,
        "summary": proposal.summary,
        "nominee": proposal.nominee.to_json(),
        "proposing_unit": proposal.proposing_unit,
        "cluster": proposal.cluster,
        "created_by": proposal.created_by,
        "created_on": proposal.created_on,
        "modified_on": proposal.modified_on,
        "dossier_version": proposal.dossier.version,
        "documents": [document.to_json() for document in proposal.dossier.documents],
        "missing_documents": proposal.dossier.missing,
        "votes": {stage: _vote_view(vote) for stage, vote in proposal.votes.items()},
        "appraisal": None if proposal.appraisal is None else proposal.appraisal.to_json(),
        "returns": [r.to_json() for r in proposal.returns],
        "held_from": proposal.held_from,
        "decision": None if proposal.decision is None else proposal.decision.to_json(),
        "closing_reason": proposal.closing_reason,
        "rulebook_version": proposal.rulebook_version,
        "forwarded": proposal.forwarded,
        "conference": None
        if proposal.conference_id is None
        else {
            "id": proposal.conference_id,
            "records": [r.to_json() for r in proposal.conference_records],
        },
        "forwarding": None if proposal.forwarding is None else proposal.forwarding.to_json(),
        "external_outcome": None
        if proposal.external_outcome is None
        else proposal.external_outcome.to_json(),
    }
