"""A Government Flag on the real stack: created by the conference's result, appraised, voted by
the council, forwarded with its generated letter and closed by the state body's outcome; a
direct Flag proposal is refused."""

from __future__ import annotations

import hashlib
from datetime import datetime

import httpx
import pytest
from journey import (
    PDF,
    approve_appraisal,
    call,
    council_votes,
    eventually,
    import_register,
    register_xlsx,
    token,
)

from domain.eligibility.register import AwardEntry, Source, Title
from domain.kernel.actor import SYSTEM
from domain.kernel.calendar import VIETNAM
from services.application.conference_nominations import (
    ConferenceNomination,
    RecordRef,
    nominate_from_conference,
)
from services.projections.award_register import write_entries
from services.runtime import Runtime

pytestmark = pytest.mark.integration


def _stored(runtime: Runtime, kind: str) -> RecordRef:
    content = PDF[1] + f"biên bản {kind} hội nghị Cụm 4".encode()
    sha256 = runtime.documents.put(content, "application/pdf")
    assert sha256 == hashlib.sha256(content).hexdigest()
    return RecordRef(kind, sha256, f"cum-4-2026-{kind}")


def nomination(runtime: Runtime, achievement: str = "") -> ConferenceNomination:
    """Ninh Bình's Government Flag; the register says it led Cụm 4 in 2026 (rule
    government_flag_needs_leader), as the cluster year's ranking would."""
    leader = AwardEntry(
        "unit:lhh-ninh-binh", 2026, Title.CLUSTER_LEADER, "", Source.IMPORTED, "BB-04", "cum-4"
    )
    with runtime.pool.connection() as conn:
        write_entries(conn, [leader])
    return ConferenceNomination(
        conference_id=f"cum-4:2026:hoi-nghi-tong-ket{achievement}",
        form="government_flag",
        year=2026,
        cluster="cum-4",
        proposing_unit="lhh-ninh-binh",
        nominee={
            "kind": "collective",
            "name": "Liên hiệp Hội tỉnh Ninh Bình",
            "unit_id": "lhh-ninh-binh",
        },
        title=f"Đề nghị tặng Cờ thi đua của Chính phủ năm 2026{achievement}",
        summary="Dẫn đầu Cụm thi đua số 4",
        records=(_stored(runtime, "review_minutes"), _stored(runtime, "ballot_count")),
        rulebook_version="decree-152-2025",
    )


async def test_rule_conference_only_refuses_a_direct_flag_in_vietnamese_first(
    api: httpx.AsyncClient,
) -> None:
    draft = {
        "form": "vusta_flag",
        "year": 2026,
        "nominee": {"kind": "collective", "name": "LHH Ninh Bình", "unit_id": "lhh-ninh-binh"},
        "title": "Cờ thi đua",
    }
    headers = {**token("ninh-binh.proposer"), "Accept-Language": "vi"}
    answer = await api.post("/api/proposals", json=draft, headers=headers)
    assert answer.status_code == 409, answer.text
    assert answer.json()["detail"].startswith("Cờ thi đua của Liên hiệp Hội Việt Nam do hội nghị")
    assert "quy tắc conference_only" in answer.json()["detail"]


async def test_a_government_flag_is_forwarded_and_then_externally_decided(
    api: httpx.AsyncClient, runtime: Runtime
) -> None:
    # Ninh Bình led Cụm 4 in 2026 (a title imported into the register): Law 06/2022 Art 25.
    leader = ("collective", "lhh-ninh-binh", "Liên hiệp Hội tỉnh Ninh Bình", "", 2026)
    row = (*leader, "cluster_leader", "dẫn đầu Cụm 4", "BB tổng kết Cụm 4", "cum-4")
    await import_register(api, register_xlsx([row]), 200)
    made = nomination(runtime)
    pid = str(await nominate_from_conference(runtime, made, SYSTEM, "cum-4-2026-gov-flag"))
    again = await nominate_from_conference(runtime, made, SYSTEM, "cum-4-2026-gov-flag")
    assert str(again) == pid  # idempotent on the key

    async def read() -> dict[str, object]:
        return await call(api, "GET", f"/api/proposals/{pid}", "auditor")

    body = await eventually(read, lambda b: b["state"] == "appraisal")
    assert body["conference"]["id"] == made.conference_id  # type: ignore[index]
    assert body["rulebook_version"] == "decree-152-2025" and body["forwarded"] is True
    assert "cluster" not in body["votes"]  # type: ignore[operator]
    body = await approve_appraisal(api, pid)
    assert body["state"] == "appraised"  # a state-level nominee is published first
    # Published in January: its window has long ended, so the council's vote opens at once.
    where = {"where": "Cổng thông tin điện tử VUSTA", "published_on": "2026-01-05"}
    await call(api, "POST", f"/api/proposals/{pid}/publish", "vusta.secretary", json=where)
    await eventually(read, lambda b: b["state"] == "council_voting")
    body = await council_votes(api, pid, ["yes"] * 5)
    assert body["state"] == "council_approved"
    decision = {"outcome": "awarded", "number": "98/QĐ-LHHVN"}
    refused = await call(
        api, "POST", f"/api/proposals/{pid}/decision", "president", 409, json=decision
    )
    assert "state body" in refused["detail"]

    letter = {"letter_number": "05/TTr-LHHVN", "recipient": "Ban Thi đua - Khen thưởng Trung ương"}
    forwarded = await call(
        api, "POST", f"/api/proposals/{pid}/forward", "vusta.secretary", json=letter
    )
    assert forwarded["state"] == "forwarded"
    body = await read()
    sha = body["forwarding"]["letter_sha256"]  # type: ignore[index]
    pdf = await api.get(f"/api/proposals/{pid}/documents/{sha}", headers=token("auditor"))
    assert pdf.content.startswith(b"%PDF") and hashlib.sha256(pdf.content).hexdigest() == sha

    today = datetime.now(VIETNAM).date().isoformat()
    outcome = {
        "outcome": "awarded",
        "number": "123/QĐ-TTg",
        "decided_on": today,
        "issuer": "Thủ tướng Chính phủ",
    }
    files = {"file": ("qd-123-ttg.pdf", PDF[1] + b"QD TTg", PDF[0])}
    path = f"/api/proposals/{pid}/external-outcome"
    decided = await call(api, "POST", path, "vusta.secretary", data=outcome, files=files)
    assert decided["state"] == "externally_decided"
    body = await read()
    assert body["external_outcome"]["number"] == "123/QĐ-TTg"  # type: ignore[index]
    history = await call(api, "GET", f"/api/proposals/{pid}/history", "auditor")
    types = [event["type"] for event in history["events"]]
    assert types[:2] == ["Nominated", "ConferenceVoteHeld"]
    assert types[-2:] == ["Forwarded", "ExternalOutcomeRecorded"]
