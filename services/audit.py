"""Replay for auditors: each event of a proposal with the state after it, and its full record."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from domain.ballot import BallotRule, check_box, decide, tally_box
from domain.errors import BallotError
from domain.proposal import Proposal
from infra import chain
from infra.postgres import Pool
from services.application import AwardsApplication, describe_event
from services.labels import state_label


def _state_after(proposal: Proposal) -> dict[str, Any]:
    votes = {
        stage: {
            "voted": len(vote["voted"]),
            "electorate": len(vote["electorate"]),
            "result": vote["result"],
        }
        for stage, vote in proposal.votes.items()
    }
    return {
        "state": proposal.state,
        "state_label": state_label(proposal.state),
        "dossier_version": proposal.dossier_version,
        "documents": [
            {
                "name": d["name"],
                "kind": d["kind"],
                "sha256": d["sha256"],
                "dossier_version": d["dossier_version"],
            }
            for d in proposal.documents
        ],
        "votes": votes,
        "decision": proposal.decision,
    }


def replay(app: AwardsApplication, proposal_id: UUID) -> list[dict[str, Any]]:
    """Every event in order, each with who, role, when, why, and the state it left."""
    steps = []
    aggregate: Any = None
    for event in app.domain_events(proposal_id):
        aggregate = event.mutate(aggregate)  # type: ignore[attr-defined]
        steps.append({**describe_event(event), "state_after": _state_after(aggregate)})
    return steps


def tally_checks(proposal: Proposal) -> list[dict[str, Any]]:
    """Recount each closed vote from its anonymised ballot box and judge it again."""
    checks = []
    for stage, vote in proposal.votes.items():
        result = vote.get("result")
        if result is None:
            continue
        box = vote.get("box")
        if box is None:
            checks.append(
                {
                    "stage": stage,
                    "recorded_voters": len(vote["voted"]),
                    "ballots_in_box": 0,
                    "recounted": None,
                    "outcome_recomputed": None,
                    "consistent": False,
                    "problems": [
                        "no ballot box was recorded for this vote: it cannot be recounted"
                    ],
                }
            )
            continue
        problems = []
        try:
            check_box(box, len(vote["voted"]))
        except BallotError as error:
            problems.append(str(error))
        recount = tally_box(box)
        recounted = {"yes": recount.yes, "no": recount.no, "abstain": recount.abstain}
        if recounted != result["tally"]:
            problems.append(f"the box counts {recounted}, the record says {result['tally']}")
        outcome = decide(BallotRule(**vote["rule"]), len(vote["electorate"]), recount)
        if outcome != result["outcome"]:
            problems.append(f"the rule gives {outcome.value}, the record says {result['outcome']}")
        checks.append(
            {
                "stage": stage,
                "recorded_voters": len(vote["voted"]),
                "ballots_in_box": len(box),
                "recounted": recounted,
                "outcome_recomputed": outcome.value,
                "consistent": not problems,
                "problems": problems,
            }
        )
    return checks


def record(
    app: AwardsApplication, pool: Pool, events_table: str, proposal_id: UUID
) -> dict[str, Any]:
    """The whole record of one proposal, as an auditor would file it."""
    proposal = app.proposal(proposal_id)
    report = chain.verify(pool, events_table, originator=proposal_id)
    return {
        "proposal_id": str(proposal_id),
        "exported_at": datetime.now().astimezone().isoformat(),
        "state": _state_after(proposal),
        "title": proposal.title,
        "form": proposal.form,
        "year": proposal.year,
        "nominee": proposal.nominee,
        "proposing_unit": proposal.proposing_unit,
        "events": replay(app, proposal_id),
        "integrity": {
            "events_verified": report.events,
            "ok": report.ok,
            "failure": str(report.failure) if report.failure else None,
        },
        "tallies": tally_checks(proposal),
    }


def story(steps: list[dict[str, Any]]) -> list[str]:
    """The replay as lines an auditor can read and sign."""
    lines = []
    for step in steps:
        after = step["state_after"]
        why = step["data"].get("reason") or step["data"].get("comment") or ""
        line = (
            f"#{step['sequence']:>3} {step['time'].isoformat(timespec='seconds')}"
            f"  {step['type']:<24} by {step['actor']} ({step['role']})"
            f"  → {after['state_label']['vi']} / {after['state_label']['en']}"
        )
        lines.append(line + (f"  — {why}" if why else ""))
        document = step["data"].get("document")
        if document:
            lines.append(
                f"      {document['kind']}: {document['name']} sha256={document['sha256']}"
            )
        for digest in step["data"].get("document_hashes", []):
            lines.append(f"      dossier document sha256={digest}")
    return lines
