"""Replay for auditors: each event of a proposal with the state after it, and its full record."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from domain.ballot import Tally, decide, rule_from
from domain.election_key import ElectionKey, PartialDecryption, check_partial
from domain.errors import DomainError
from domain.proposal import Proposal
from domain.sealed_ballot import check_box, count, count_context, totals, tracker_of
from domain.states import VoteStage
from infra import chain
from infra.postgres import Pool
from services.application import AwardsApplication, describe_event
from services.labels import state_label


def _state_after(proposal: Proposal) -> dict[str, Any]:
    votes = {
        stage: {
            "voted": len(vote["voted"]),
            "electorate": len(vote["electorate"]),
            "counting": vote.get("sealed") is not None and vote["result"] is None,
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


def _recount(proposal: Proposal, stage: VoteStage, problems: list[str]) -> Tally | None:
    """Check every sealed ballot's proofs and every trustee share, then open the totals."""
    vote = proposal.votes[stage]
    key = proposal.election_key(stage)
    context = proposal.ballot_context(stage)
    try:
        ballots = check_box(vote["box"], len(vote["voted"]), key, context)
    except DomainError as error:
        problems.append(str(error))
        return None
    if not ballots:
        return Tally()
    encrypted = totals(ballots)
    parts = []
    for share in vote["shares"]:
        try:
            part = PartialDecryption.from_json(share)
            check_partial(key, encrypted, part, count_context(context))
        except DomainError as error:
            problems.append(f"trustee {share.get('trustee')}: {error}")
            continue
        parts.append(part)
    try:
        return count(key, encrypted, parts, len(ballots), context)
    except DomainError as error:
        problems.append(str(error))
        return None


def tally_checks(proposal: Proposal) -> list[dict[str, Any]]:
    """Recount each closed vote from its box of sealed ballots, with no secret: check each
    ballot's proofs, multiply the box into encrypted totals, check each trustee's decryption
    share against them, open the totals, and judge the result again under the recorded rule."""
    checks = []
    for stage, vote in proposal.votes.items():
        result = vote.get("result")
        if result is None:
            continue
        problems: list[str] = []
        recount = _recount(proposal, VoteStage(stage), problems)
        recounted = None
        outcome = None
        if recount is not None:
            recounted = {"yes": recount.yes, "no": recount.no, "abstain": recount.abstain}
            if recounted != result["tally"]:
                problems.append(f"the box counts {recounted}, the record says {result['tally']}")
            outcome = decide(rule_from(vote["rule"]), len(vote["electorate"]), recount).value
            if outcome != result["outcome"]:
                problems.append(f"the rule gives {outcome}, the record says {result['outcome']}")
        checks.append(
            {
                "stage": stage,
                "recorded_voters": len(vote["voted"]),
                "ballots_in_box": len(vote.get("box") or []),
                "election_key": proposal.election_key(VoteStage(stage)).fingerprint,
                "trustee_shares": sorted(share.get("trustee") for share in vote["shares"]),
                "recounted": recounted,
                "outcome_recomputed": outcome,
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


def _ballot_lines(kind: str, data: dict[str, Any]) -> list[str]:
    """What an auditor needs beside a vote's events: its key, its box, its trustees."""
    if kind == "VoteOpened" and data.get("election_key"):
        key = ElectionKey.from_json(data["election_key"])
        return [
            f"      election key {key.fingerprint[:16]}…, opened by any {key.threshold}"
            f" of {key.trustees} trustees"
        ]
    if kind == "BallotBoxSealed":
        trackers = sorted(tracker_of(entry["ballot"]) for entry in data["box"])
        shown = ", ".join(t[:12] for t in trackers[:6]) + (" …" if len(trackers) > 6 else "")
        return [f"      sealed box: {len(trackers)} ballot(s); trackers {shown or '—'}"]
    if kind == "TallyShareSubmitted":
        return [f"      decryption share of trustee {data['share']['trustee']} (proof checked)"]
    return []


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
        if any(vote.get("counting") for vote in after.get("votes", {}).values()):
            line += " (đang kiểm phiếu / counting)"
        lines.append(line + (f"  — {why}" if why else ""))
        document = step["data"].get("document")
        if document:
            lines.append(
                f"      {document['kind']}: {document['name']} sha256={document['sha256']}"
            )
        for digest in step["data"].get("document_hashes", []):
            lines.append(f"      dossier document sha256={digest}")
        lines.extend(_ballot_lines(step["type"], step["data"]))
    return lines
