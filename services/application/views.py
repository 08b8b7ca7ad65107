"""How a proposal is shown to API clients: its state, dossier, votes (counts only) and decision."""

from __future__ import annotations

from typing import Any

from domain.proposal.aggregate import Proposal
from domain.voting.ballot import BallotRule, yes_votes_needed
from domain.voting.sealed_ballot import tracker_of
from services.i18n.labels import state_label


def _vote_view(vote: dict[str, Any]) -> dict[str, Any]:
    # Who voted is public to the process; how anyone voted is never stored, so never shown.
    result = vote.get("result")
    box = vote.get("box")
    rule = BallotRule(**vote["rule"])
    return {
        "rule_text": rule.describe(),
        "yes_needed": yes_votes_needed(rule, len(vote["electorate"]), len(vote["voted"])),
        "electorate": vote["electorate"],
        "voted": vote["voted"],
        "ballots_cast": len(vote["voted"]),
        "deadline": vote["deadline"],
        "rule": vote["rule"],
        "open": result is None and not vote.get("sealed"),
        "sealed": vote.get("sealed") is not None,
        "counting": vote.get("sealed") is not None and result is None,
        "shares_from": sorted(share["trustee"] for share in vote.get("shares", [])),
        "result": result,
        # Anonymous: receipt hashes and trackers of sealed ballots, sorted by receipt; the
        # sealed ballots themselves are in GET …/votes/{stage}/count and the audit record.
        "ballot_box": None
        if box is None
        else [{"receipt": e["receipt"], "tracker": tracker_of(e["ballot"])} for e in box],
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
        "nominee": proposal.nominee,
        "proposing_unit": proposal.proposing_unit,
        "cluster": proposal.cluster,
        "created_by": proposal.created_by,
        "created_on": proposal.created_on,
        "modified_on": proposal.modified_on,
        "dossier_version": proposal.dossier_version,
        "documents": proposal.documents,
        "missing_documents": proposal.missing_documents(),
        "votes": {stage: _vote_view(vote) for stage, vote in proposal.votes.items()},
        "appraisal": proposal.appraisal or None,
        "returns": proposal.returns,
        "held_from": proposal.held_from,
        "decision": proposal.decision,
        "closing_reason": proposal.closing_reason,
    }
