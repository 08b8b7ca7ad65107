"""Replay for auditors: each event of a proposal with the state after it, and its full record."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from domain.kernel.errors import DomainError
from domain.proposal.aggregate import Proposal
from domain.proposal.forms import catalogue_by_code
from domain.proposal.states import VoteStage
from domain.rulebook.defaults import KNOWN_FORMS
from domain.voting.ballot import Tally, decide
from domain.voting.election_key import ElectionKey, PartialDecryption, check_partial
from domain.voting.sealed_ballot import check_box, count, count_context, totals, tracker_of
from infra import chain
from infra.postgres import Pool
from services.application.proposals import AwardsApplication, describe_event
from services.audit.event_descriptions import EventFacts, People, actor_words, describe, unit_words
from services.audit.integrity import IntegrityCheck
from services.i18n.labels import (
    Lang,
    Words,
    decision_words,
    stage_words,
    state_label,
    state_words,
    tally_words,
    vietnam_time,
    vote_outcome_words,
)


def _state_after(proposal: Proposal) -> dict[str, Any]:
    votes = {
        stage: {
            "voted": len(vote.voted),
            "electorate": len(vote.electorate),
            "counting": vote.counting,
            "result": None if vote.result is None else vote.result.to_json(),
        }
        for stage, vote in proposal.votes.items()
    }
    return {
        "state": proposal.state,
        "state_label": state_label(proposal.state),
        "dossier_version": proposal.dossier_version,
        "documents": [
            {
                "name": d.name,
                "kind": d.kind,
                "sha256": d.sha256,
                "dossier_version": d.dossier_version,
            }
            for d in proposal.dossier.documents
        ],
        "votes": votes,
        "decision": None if proposal.decision is None else proposal.decision.to_json(),
    }


def replay(app: AwardsApplication, proposal_id: UUID, people: People) -> list[dict[str, Any]]:
    """Every event in order, each with who, role, when, why, and the state it left: the
    machine-readable fields (type, data) beside the same in words."""
    steps = []
    aggregate: Any = None
    for event in app.domain_events(proposal_id):
        aggregate = event.mutate(aggregate)  # type: ignore[attr-defined]
        step = describe_event(event)
        facts = EventFacts(step["type"], step["actor"], step["role"], step["data"])
        steps.append(
            {
                **step,
                "time_vietnam": vietnam_time(step["time"]).as_json(),
                "actor_label": actor_words(step["actor"], step["role"], people).as_json(),
                "description": describe(facts, people).as_json(),
                "state_after": _state_after(aggregate),
            }
        )
    return steps


def _recount(proposal: Proposal, stage: VoteStage, problems: list[str]) -> Tally | None:
    """Check every sealed ballot's proofs and every trustee share, then open the totals."""
    vote = proposal.vote(stage)
    key = vote.key()
    context = proposal.ballot_context(stage)
    try:
        box = [entry.to_json() for entry in vote.box or ()]
        ballots = check_box(box, len(vote.voted), key, context)
    except DomainError as error:
        problems.append(str(error))
        return None
    if not ballots:
        return Tally()
    encrypted = totals(ballots)
    parts = []
    for share in vote.shares:
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
        if vote.result is None:
            continue
        result = vote.result.to_json()
        problems: list[str] = []
        recount = _recount(proposal, VoteStage(stage), problems)
        recounted = None
        outcome = None
        if recount is not None:
            recounted = {"yes": recount.yes, "no": recount.no, "abstain": recount.abstain}
            if recounted != result["tally"]:
                problems.append(f"the box counts {recounted}, the record says {result['tally']}")
            outcome = decide(vote.rule, len(vote.electorate), recount).value
            if outcome != result["outcome"]:
                problems.append(f"the rule gives {outcome}, the record says {result['outcome']}")
        checks.append(
            {
                "stage": stage,
                "stage_label": stage_words(stage).as_json(),
                "recounted_text": None if recounted is None else tally_words(**recounted).as_json(),
                "outcome_label": None if outcome is None else vote_outcome_words(outcome).as_json(),
                "recorded_voters": len(vote.voted),
                "ballots_in_box": vote.ballots,
                "election_key": vote.key().fingerprint,
                "trustee_shares": sorted(vote.trustees),
                "recounted": recounted,
                "outcome_recomputed": outcome,
                "consistent": not problems,
                "problems": problems,
            }
        )
    return checks


def _decision(proposal: Proposal) -> dict[str, Any] | None:
    if proposal.decision is None:
        return None
    decision = proposal.decision.to_json()
    text = decision_words(decision["number"], decision["decided_on"], decision["outcome"])
    return {**decision, "text": text.as_json()}


def record(
    app: AwardsApplication,
    pool: Pool,
    events_table: str,
    proposal_id: UUID,
    people: People,
) -> dict[str, Any]:
    """The whole record of one proposal, as an auditor would file it: every machine-readable
    field, and beside each the words an official reads (Vietnamese and English)."""
    proposal = app.stored_proposal(proposal_id)
    report = chain.verify(pool, events_table, originator=proposal_id)
    form = catalogue_by_code(KNOWN_FORMS).get(proposal.form)
    return {
        "proposal_id": str(proposal_id),
        "exported_at": datetime.now(UTC).isoformat(),
        "exported_at_vietnam": vietnam_time(datetime.now(UTC)).as_json(),
        "state": _state_after(proposal),
        "title": proposal.title,
        "form": proposal.form,
        "form_label": (
            Words(form.name_vi, form.name_en) if form else Words(*[proposal.form] * 2)
        ).as_json(),
        "year": proposal.year,
        "nominee": proposal.nominee.to_json(),
        "proposing_unit": proposal.proposing_unit,
        "proposing_unit_name": unit_words(proposal.proposing_unit, people),
        "decision": _decision(proposal),
        "events": replay(app, proposal_id, people),
        "integrity": {
            "events_verified": report.events,
            "ok": report.ok,
            "failure": str(report.failure) if report.failure else None,
            "text": IntegrityCheck(report, proposal_id, None).lines()[0].as_json(),
        },
        "tallies": tally_checks(proposal),
    }


def _ballot_lines(kind: str, data: dict[str, Any], lang: Lang) -> list[str]:
    """What an auditor needs beside a vote's events: its key, its box, its trustees."""
    if kind == "VoteOpened" and data.get("election_key"):
        key = ElectionKey.from_json(data["election_key"])
        return [
            Words(
                f"khóa bầu cử {key.fingerprint[:16]}…, mở được bởi {key.threshold} trong"
                f" {key.trustees} người giữ khóa",
                f"election key {key.fingerprint[:16]}…, opened by any {key.threshold}"
                f" of {key.trustees} trustees",
            ).read(lang)
        ]
    if kind == "BallotBoxSealed":
        trackers = sorted(tracker_of(entry["ballot"]) for entry in data["box"])
        shown = ", ".join(t[:12] for t in trackers[:6]) + (" …" if len(trackers) > 6 else "")
        return [Words(f"mã theo dõi phiếu: {shown or '—'}", f"trackers: {shown or '—'}").read(lang)]
    return []


# Labels of the record's own lines, in the reader's language.
_SAID: dict[str, Words] = {
    "by": Words("người thực hiện", "by"),
    "after": Words("trạng thái sau", "state after"),
    "counting": Words("đang kiểm phiếu", "counting"),
    "document": Words("tài liệu", "document"),
    "dossier": Words("tài liệu trong hồ sơ", "dossier document"),
    "proposal": Words("Mã đề nghị", "Proposal"),
    "form": Words("Hình thức", "Form"),
    "year": Words("Năm", "Year"),
    "unit": Words("Đơn vị đề nghị", "Proposing unit"),
    "nominee": Words("Đối tượng", "Nominee"),
    "state": Words("Trạng thái", "State"),
    "decision": Words("Quyết định", "Decision"),
    "no_decision": Words("chưa có quyết định", "no decision yet"),
    "exported": Words("Xuất lúc", "Exported at"),
    "integrity": Words("Tính toàn vẹn", "Integrity"),
    "tally": Words("Kiểm phiếu lại", "Recount"),
    "consistent": Words("khớp với kết quả đã ghi", "consistent with the record"),
    "mismatch": Words("KHÔNG KHỚP", "MISMATCH"),
}


def _said(key: str, lang: Lang) -> str:
    return _SAID[key].read(lang)


def heading(record: dict[str, Any], lang: Lang) -> list[str]:
    """Who and what the record is about, and where it stands."""
    decision = record.get("decision")
    decided = decision["text"][lang] if decision else _said("no_decision", lang)
    return [
        f"{_said('proposal', lang)}: {record['proposal_id']}",
        f"{_said('form', lang)}: {record['form_label'][lang]} · {_said('year', lang)}:"
        f" {record['year']}",
        f"{_said('nominee', lang)}: {record['nominee']['name']}",
        f"{_said('unit', lang)}: {record['proposing_unit_name']}",
        f"{_said('state', lang)}: {record['state']['state_label'][lang]}",
        f"{_said('decision', lang)}: {decided}",
        f"{_said('exported', lang)}: {record['exported_at_vietnam'][lang]}",
    ]


def story(steps: list[dict[str, Any]], lang: Lang) -> list[str]:
    """The replay as lines an auditor can read and sign: each event in words, who did it in
    which role and unit, when in Vietnam time, and the state it left."""
    lines = []
    for step in steps:
        after = step["state_after"]
        state = state_words(after["state"]).read(lang)
        if any(vote.get("counting") for vote in after.get("votes", {}).values()):
            state += f" ({_said('counting', lang)})"
        lines.append(f"#{step['sequence']:>3}  {step['time_vietnam'][lang]}")
        lines.append(f"      {step['description'][lang]}")
        lines.append(
            f"      {_said('by', lang)}: {step['actor_label'][lang]} · {_said('after', lang)}:"
            f" {state}"
        )
        document = step["data"].get("document")
        if document:
            lines.append(f"      {_said('document', lang)}: sha256={document['sha256']}")
        for digest in step["data"].get("document_hashes", []):
            lines.append(f"      {_said('dossier', lang)}: sha256={digest}")
        lines.extend(f"      {text}" for text in _ballot_lines(step["type"], step["data"], lang))
    return lines


def findings(record: dict[str, Any], lang: Lang) -> list[str]:
    """The integrity of the proposal's events and the recount of each closed vote."""
    lines = [f"{_said('integrity', lang)}: {record['integrity']['text'][lang]}"]
    for check in record["tallies"]:
        verdict = (
            _said("consistent", lang)
            if check["consistent"]
            else f"{_said('mismatch', lang)}: " + "; ".join(check["problems"])
        )
        counted = check["recounted_text"][lang] if check["recounted_text"] else "—"
        outcome = check["outcome_label"][lang] if check["outcome_label"] else "—"
        ballots = Words(
            f"{check['ballots_in_box']} phiếu trong hòm cho {check['recorded_voters']} người đã"
            " bỏ phiếu",
            f"{check['ballots_in_box']} ballots in the box for {check['recorded_voters']}"
            " recorded voters",
        ).read(lang)
        lines.append(
            f"{_said('tally', lang)} ({check['stage_label'][lang]}): {ballots}; {counted};"
            f" {outcome} ({verdict})"
        )
    return lines
