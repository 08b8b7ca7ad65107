"""Auditors: replay, state as of a moment, integrity, seals; and no path reveals a named vote."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import httpx
import psycopg
import pytest
from conftest import side_service
from google.protobuf.message import Message
from journey import (
    call,
    cluster_votes,
    council_approved,
    next_decision_number,
    submitted,
    token,
)
from temporalio.api.common.v1 import Payload
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from infra.codec import EncryptionCodec
from infra.signing import read_seal
from services.runtime import EVENTS_TABLE

pytestmark = pytest.mark.integration


async def test_an_auditor_replays_a_decided_proposal_step_by_step(api: httpx.AsyncClient) -> None:
    pid = await council_approved(api)
    await call(
        api,
        "POST",
        f"/api/proposals/{pid}/decision",
        "president",
        json={"outcome": "awarded", "number": next_decision_number()},
    )
    record = await call(api, "GET", f"/api/audit/proposals/{pid}", "auditor")
    events = record["events"]
    assert [e["state_after"]["state"] for e in events][:4] == [
        "draft",
        "draft",
        "draft",
        "submitted",
    ]
    assert events[-1]["state_after"]["state"] == "decided"
    assert events[-1]["state_after"]["state_label"]["vi"] == "Đã có quyết định"
    assert all(e["actor"] and e["role"] and e["time"] for e in events)
    assert len(events[3]["data"]["document_hashes"]) == 2
    integrity = record["integrity"]
    assert (integrity["events_verified"], integrity["ok"], integrity["failure"]) == (
        len(events),
        True,
        None,
    )
    assert [t["consistent"] for t in record["tallies"]] == [True, True]


async def test_the_record_reads_in_words_for_an_auditor(api: httpx.AsyncClient) -> None:
    pid = await council_approved(api)
    number = next_decision_number()
    await call(
        api,
        "POST",
        f"/api/proposals/{pid}/decision",
        "president",
        json={"outcome": "awarded", "number": number},
    )
    record = await call(api, "GET", f"/api/audit/proposals/{pid}", "auditor")
    day = date.fromisoformat(record["decision"]["decided_on"]).strftime("%d/%m/%Y")
    assert record["decision"]["text"]["vi"] == f"Quyết định số {number} ngày {day}: tặng thưởng"
    assert record["proposing_unit_name"] == "Liên hiệp Hội tỉnh Ninh Bình"
    events = record["events"]
    assert all("(giờ Việt Nam, UTC+07:00)" in e["time_vietnam"]["vi"] for e in events)
    ballots = [e for e in events if e["type"] == "BallotRecorded"]  # the raw type is kept
    assert "Liên hiệp Hội tỉnh Thanh Hóa đã bỏ phiếu kín (bình xét cấp Cụm)" in [
        e["description"]["vi"] for e in ballots
    ]
    president = await call(api, "GET", "/api/me", "president")
    assert events[-1]["actor"] == "president"
    assert events[-1]["actor_label"]["vi"].startswith(president["full_name"] + " (")
    assert "Chủ tịch Liên hiệp Hội Việt Nam" in events[-1]["actor_label"]["vi"]
    cluster = record["tallies"][0]
    assert cluster["recounted_text"]["vi"] == "6 tán thành, 0 không tán thành, 0 phiếu trắng"
    assert cluster["recounted"] == {"yes": 6, "no": 0, "abstain": 0}  # kept for tools
    english = await api.get(
        f"/api/audit/proposals/{pid}/export",
        headers={**token("auditor"), "Accept-Language": "en-GB,en;q=0.9"},
    )
    assert json.loads(english.content)["language"] == "en"


async def test_audit_is_for_auditors_only(api: httpx.AsyncClient) -> None:
    pid = await submitted(api)
    await call(api, "GET", f"/api/audit/proposals/{pid}", "ninh-binh.proposer", 403)
    await call(api, "GET", "/api/audit/verify", "president", 403)


async def test_the_audit_as_of_needs_a_zone(api: httpx.AsyncClient) -> None:
    pid = await submitted(api)
    await call(
        api,
        "GET",
        f"/api/audit/proposals/{pid}/as-of",
        "auditor",
        422,
        params={"time": "2026-11-20T09:00:00"},
    )
    history = await call(api, "GET", f"/api/proposals/{pid}/history", "auditor")
    past = await call(
        api,
        "GET",
        f"/api/audit/proposals/{pid}/as-of",
        "auditor",
        params={"time": history["events"][0]["time"]},
    )
    assert past["state"] == "draft"


async def test_the_whole_store_verifies_and_can_be_sealed(api: httpx.AsyncClient) -> None:
    pid = await submitted(api)
    report = await call(api, "GET", "/api/audit/verify", "auditor")
    assert report["ok"] and report["events_verified"] > 0
    seal = await call(api, "POST", "/api/audit/seals", "auditor", 201)
    body = read_seal(seal)
    assert body["up_to"] >= report["head"]["notification_id"]
    again = await call(api, "GET", "/api/audit/verify", "auditor")
    assert again["ok"] and again["seals_checked"] >= 1
    assert again["seal"]["up_to"] == body["up_to"]
    assert again["unsealed_events"] == again["events_verified"] - again["seal"]["sealed_events"]
    one = await call(api, "GET", "/api/audit/verify", "auditor", params={"proposal": pid})
    assert one["head"] is None and one["stream"]["versions"] == [1, one["events_verified"]]
    assert "from version 1 to" in one["summary"][0]["en"]


def _payloads(message: Message) -> Iterator[Payload]:
    """Every payload anywhere in a history event, however deeply nested."""
    for field, value in message.ListFields():
        if field.message_type is None:
            continue
        if field.message_type.GetOptions().map_entry:
            items = list(value.values())
        elif isinstance(value, Message):
            items = [value]
        else:
            items = list(value)
        for item in items:
            if isinstance(item, Payload):
                yield item
            elif isinstance(item, Message):
                yield from _payloads(item)


CHOICE_MARKS = (b'"choice"', b'"yes"', b'"no"', b'"abstain"')


async def test_no_path_links_a_voter_to_a_choice(
    api: httpx.AsyncClient,
    database_url: str,
    temporal_env: WorkflowEnvironment,
    payload_keys: list[tuple[str, bytes]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    pid = await submitted(api)
    body = await cluster_votes(api, pid, ["no", "abstain", "no", "no", "no", "no"])
    assert body["votes"]["cluster"]["result"]["tally"] == {"yes": 0, "no": 5, "abstain": 1}

    electorate = body["votes"]["cluster"]["electorate"]
    members = electorate + [unit.removeprefix("lhh-") + ".member" for unit in electorate]

    # The database: no stored event holds a choice. The sealed box names no voter and is
    # sorted by receipt, not by the order of voting; only the totals were ever opened.
    with psycopg.connect(database_url) as conn:
        states = [
            bytes(row[0]).decode()
            for row in conn.execute(
                f"SELECT state FROM {EVENTS_TABLE} WHERE originator_id = %s", (pid,)
            ).fetchall()
        ]
    assert not [state for state in states if '"choice"' in state]
    [sealed] = [state for state in states if '"selections"' in state]
    assert not any(member in sealed for member in members)
    assert not any(f'"{choice}"' in sealed for choice in ("yes", "no", "abstain"))

    # The API: the box holds receipt hashes and trackers only, in receipt order.
    answers = [
        await call(api, "GET", f"/api/proposals/{pid}", "auditor"),
        await call(api, "GET", f"/api/proposals/{pid}/history", "auditor"),
        await call(api, "GET", f"/api/audit/proposals/{pid}", "auditor"),
        await call(api, "GET", f"/api/proposals/{pid}/votes/cluster/count", "auditor"),
    ]
    box = answers[0]["votes"]["cluster"]["ballot_box"]
    assert all(set(ballot) == {"receipt", "tracker"} for ballot in box)
    assert [b["receipt"] for b in box] == sorted(b["receipt"] for b in box)
    for answer in answers:
        assert '"choice"' not in json.dumps(answer)

    # The logs of the whole exchange.
    assert not [r for r in caplog.records if "choice" in r.getMessage()]

    # Temporal, read as its UI or database would be: without the key, nothing is readable.
    plain = await Client.connect(temporal_env.client.service_client.config.target_host)
    history = await plain.get_workflow_handle(pid).fetch_history()
    raw = history.to_json()
    assert "choice" not in raw and "abstain" not in raw
    assert "binary/encrypted" in raw or "YmluYXJ5L2VuY3J5cHRlZA" in raw
    # Temporal read by someone who also holds AWARDS_PAYLOAD_KEYS: the ballots it carried
    # are sealed under the election key, so even decrypted they hold no choice.
    payloads = [p for event in history.events for p in _payloads(event)]
    decoded = await EncryptionCodec(payload_keys).decode(payloads)
    ballots = [p.data for p in decoded if b'"selections"' in p.data]
    assert len(ballots) >= len(electorate)
    assert not [p.data for p in decoded if any(mark in p.data for mark in CHOICE_MARKS)]


async def test_a_voter_confirms_with_the_receipt_that_the_ballot_was_counted(
    api: httpx.AsyncClient,
) -> None:
    pid = await submitted(api)
    proposal = await call(api, "GET", f"/api/proposals/{pid}", "auditor")
    electorate = proposal["votes"]["cluster"]["electorate"]
    receipts, trackers = [], []
    for index, unit in enumerate(electorate):
        answer = await call(
            api,
            "POST",
            f"/api/proposals/{pid}/cluster-votes",
            unit.removeprefix("lhh-") + ".member",
            json={"choice": "no" if index == 0 else "yes"},
        )
        receipts.append(answer["receipt"])
        trackers.append(answer["tracker"])
        if index == 0:
            pending = await call(
                api,
                "POST",
                f"/api/proposals/{pid}/receipts",
                unit.removeprefix("lhh-") + ".member",
                json={"receipt": receipts[0]},
            )
            assert pending["counted"] is False and pending["in_box"] is False
    first = await call(
        api,
        "POST",
        f"/api/proposals/{pid}/receipts",
        electorate[0].removeprefix("lhh-") + ".member",
        json={"receipt": receipts[0]},
    )
    assert first["counted"] is True and first["stage"] == "cluster" and "choice" not in first
    assert first["tracker"] == trackers[0]
    await call(
        api,
        "POST",
        f"/api/proposals/{pid}/receipts",
        "auditor",
        404,
        json={"receipt": "not-a-receipt"},
    )
    box = (await call(api, "GET", f"/api/proposals/{pid}", "auditor"))["votes"]["cluster"]
    assert len(box["ballot_box"]) == len(electorate)
    assert sorted(ballot["tracker"] for ballot in box["ballot_box"]) == sorted(trackers)


async def test_a_repeated_ballot_gets_the_same_receipt(api: httpx.AsyncClient) -> None:
    pid = await submitted(api)
    proposal = await call(api, "GET", f"/api/proposals/{pid}", "auditor")
    voter = proposal["votes"]["cluster"]["electorate"][0].removeprefix("lhh-") + ".member"
    answers = [
        await call(
            api,
            "POST",
            f"/api/proposals/{pid}/cluster-votes",
            voter,
            json={"choice": "yes"},
            headers={"Idempotency-Key": "once"},
        )
        for _ in range(2)
    ]
    assert answers[0]["receipt"] == answers[1]["receipt"]
    assert answers[0]["tracker"] == answers[1]["tracker"]


async def test_an_auditor_recounts_every_tally_from_the_ballot_box(
    api: httpx.AsyncClient,
) -> None:
    pid = await council_approved(api)
    record = await call(api, "GET", f"/api/audit/proposals/{pid}", "auditor")
    cluster, council = record["tallies"]
    assert cluster["ballots_in_box"] == cluster["recorded_voters"] == 6
    assert cluster["recounted"] == {"yes": 6, "no": 0, "abstain": 0}
    assert council["outcome_recomputed"] == "approved"
    assert cluster["consistent"] and council["consistent"] and not council["problems"]


async def test_the_record_exports_as_json_and_as_a_pdf(api: httpx.AsyncClient) -> None:
    pid = await council_approved(api)
    headers = token("auditor")
    as_json = await api.get(f"/api/audit/proposals/{pid}/export", headers=headers)
    assert as_json.status_code == 200
    assert json.loads(as_json.content)["proposal_id"] == pid
    as_pdf = await api.get(
        f"/api/audit/proposals/{pid}/export", params={"format": "pdf"}, headers=headers
    )
    assert as_pdf.status_code == 200, as_pdf.text
    assert as_pdf.headers["content-type"] == "application/pdf"
    assert as_pdf.content.startswith(b"%PDF") and len(as_pdf.content) > 2000
    bad = await api.get(
        f"/api/audit/proposals/{pid}/export", params={"format": "doc"}, headers=headers
    )
    assert bad.status_code == 422


async def test_a_rewritten_tally_or_ballot_is_reported_by_the_recount(
    fresh_database: str,
    temporal_env: WorkflowEnvironment,
    executor: ThreadPoolExecutor,
    tmp_path: Path,
) -> None:
    # A database of its own: this test breaks the chain on purpose.
    async with side_service(
        tmp_path, fresh_database, temporal_env.client, "awards-rewrite", executor
    ) as (_, api):
        pid = await council_approved(api)
        rewrite_tally_and_box(fresh_database, pid)
        record = await call(api, "GET", f"/api/audit/proposals/{pid}", "auditor")
    assert record["integrity"]["ok"] is False  # the chain names the first edited event
    cluster, council = record["tallies"]
    assert not cluster["consistent"] and "same sealed ballot twice" in cluster["problems"][0]
    assert not council["consistent"]
    assert council["recounted"] == {"yes": 5, "no": 0, "abstain": 0}
    assert "the record says {'yes': 4" in council["problems"][0]


def rewrite_tally_and_box(database: str, pid: str) -> None:
    with psycopg.connect(database, autocommit=True) as conn:
        # Someone with write access to the database changes the council's recorded tally...
        edited = conn.execute(
            f"UPDATE {EVENTS_TABLE} SET state = convert_to(replace(convert_from(state, 'UTF8'),"
            ' \'"tally":{"yes":5\', \'"tally":{"yes":4\'), \'UTF8\')'
            " WHERE originator_id = %s AND topic LIKE '%%VoteClosed'"
            " AND convert_from(state, 'UTF8') LIKE '%%\"stage\":\"council\"%%'",
            (pid,),
        ).rowcount
        # ...and swaps one sealed cluster ballot for another ballot of the same box.
        boxes = conn.execute(
            f"SELECT notification_id, convert_from(state, 'UTF8') FROM {EVENTS_TABLE}"
            " WHERE originator_id = %s AND topic LIKE '%%BallotBoxSealed' ORDER BY 1",
            (pid,),
        ).fetchall()
        notification, text = boxes[0]
        state = json.loads(text)
        state["box"][0]["ballot"] = state["box"][1]["ballot"]
        conn.execute(
            f"UPDATE {EVENTS_TABLE} SET state = convert_to(%s, 'UTF8') WHERE notification_id = %s",
            (json.dumps(state, separators=(",", ":")), notification),
        )
    assert edited == 1
