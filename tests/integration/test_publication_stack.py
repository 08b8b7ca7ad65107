"""Publication, complaints and revocation on the real stack: a complaint in the window holds a
published nominee and its dismissal releases it; an upheld complaint rejects it; the council
is refused while the window runs; the public list shows only the allowed fields; an award is
revoked by a new decision and its recovery recorded, the register showing both."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any
from uuid import UUID

import httpx
import pytest
from journey import approve_appraisal, call, council_approved, eventually, token
from test_state_level import nomination

from domain.eligibility.identity import nominee_key
from domain.eligibility.register import Source
from domain.kernel.actor import SYSTEM
from domain.kernel.calendar import VIETNAM, today
from domain.kernel.errors import DomainError
from domain.proposal.commands import OpenVote
from domain.proposal.publication import check_window_ended
from domain.proposal.states import VoteStage
from services.application.conference_nominations import nominate_from_conference
from services.application.session import agenda_item
from services.runtime import Runtime

pytestmark = pytest.mark.integration
WHERE = {"where": "Cổng thông tin điện tử Liên hiệp Hội Việt Nam"}
PUBLIC_FIELDS = {
    "proposal_id",
    "nominee",
    "nominee_kind",
    "form",
    "form_name",
    "title",
    "summary",
    "proposing_unit",
    "published_on",
    "window_end",
}


async def published(api: httpx.AsyncClient, runtime: Runtime, achievement: str) -> str:
    """A Government Flag appraised and published today: its window is open."""
    made = nomination(runtime, achievement)
    pid = str(await nominate_from_conference(runtime, made, SYSTEM, f"publish{achievement}"))

    async def read() -> dict[str, Any]:
        return await call(api, "GET", f"/api/proposals/{pid}", "auditor")

    await eventually(read, lambda b: b["state"] == "appraisal")
    assert (await approve_appraisal(api, pid))["state"] == "appraised"
    answer = await call(api, "POST", f"/api/proposals/{pid}/publish", "vusta.secretary", json=WHERE)
    assert answer["state"] == "published"
    return pid


async def state_of(api: httpx.AsyncClient, pid: str) -> str:
    return str((await call(api, "GET", f"/api/proposals/{pid}", "auditor"))["state"])


async def test_a_complaint_in_the_window_holds_the_nominee_and_its_dismissal_releases_it(
    api: httpx.AsyncClient, runtime: Runtime
) -> None:
    pid = await published(api, runtime, " (khiếu nại bác bỏ)")
    complaint = {"kind": "complaint", "text": "Thành tích nêu trong báo cáo chưa đúng thực tế"}
    path = f"/api/proposals/{pid}/complaints"
    # Any signed-in user may complain about a published nominee, even one of another cluster.
    lodged = await call(api, "POST", path, "can-tho.member", json=complaint)
    assert lodged["held"] is True
    assert await state_of(api, pid) == "on_hold"

    # Who complained is kept from the nominee's side: not in the proposal's history.
    history = await api.get(f"/api/proposals/{pid}/history", headers=token("ninh-binh.proposer"))
    assert history.status_code == 200 and "can-tho.member" not in history.text
    await call(api, "GET", path, "ninh-binh.proposer", 403)
    listed = await call(api, "GET", path, "vusta.secretary")
    [found] = listed["complaints"]
    assert found["complainant"] == "can-tho.member" and found["holding"] is True

    resolve = {"resolution": "dismissed", "reason": "Đã xác minh: thành tích đúng thực tế"}
    resolved = await call(
        api, "POST", f"{path}/{lodged['complaint_id']}/resolution", "vusta.secretary", json=resolve
    )
    assert (resolved["effect"], resolved["state"]) == ("release", "published")
    history = await call(api, "GET", f"/api/proposals/{pid}/history", "auditor")
    assert [e["type"] for e in history["events"]][-2:] == ["PutOnHold", "Released"]


async def test_rule_publication_window_refuses_the_council_until_the_window_has_ended(
    api: httpx.AsyncClient, runtime: Runtime
) -> None:
    pid = await published(api, runtime, " (chưa hết hạn công khai)")
    proposal = await asyncio.to_thread(runtime.app.proposal, UUID(pid))
    with pytest.raises(DomainError, match="publication window runs until"):
        check_window_ended(proposal, today())  # what a session's agenda asks
    opening = OpenVote(
        actor=SYSTEM,
        key=f"early-council-vote:{pid}",
        stage=VoteStage.COUNCIL,
        rule={"quorum": "2/3", "threshold": "7/10", "comparison": "at_least", "base": "all"},
        deadline=datetime.now(VIETNAM),
        electorate=["council.1"],
        election_key={},
    )
    with pytest.raises(DomainError, match="publication window runs until"):
        await asyncio.to_thread(runtime.app.apply, UUID(pid), [opening])
    with pytest.raises(DomainError, match="publication window runs until"):
        await asyncio.to_thread(agenda_item, runtime, pid)  # a session's agenda line
    assert await state_of(api, pid) == "published"


async def test_rule_publication_window_keeps_an_unpublished_state_level_nominee_off_an_agenda(
    api: httpx.AsyncClient, runtime: Runtime
) -> None:
    made = nomination(runtime, " (chưa công khai)")
    pid = str(await nominate_from_conference(runtime, made, SYSTEM, "publish-unpublished"))

    async def read() -> dict[str, Any]:
        return await call(api, "GET", f"/api/proposals/{pid}", "auditor")

    await eventually(read, lambda b: b["state"] == "appraisal")
    assert (await approve_appraisal(api, pid))["state"] == "appraised"
    with pytest.raises(DomainError, match="must be published"):
        await asyncio.to_thread(agenda_item, runtime, pid)


async def test_an_upheld_complaint_by_letter_rejects_the_nominee_and_unlists_it(
    api: httpx.AsyncClient, runtime: Runtime
) -> None:
    pid = await published(api, runtime, " (tố cáo có cơ sở)")
    letter = {
        "kind": "denunciation",
        "text": "Biên bản bình xét bị sửa chữa",
        "source": "letter",
        "sender": "Ông Nguyễn Văn Bình",
    }
    path = f"/api/proposals/{pid}/complaints"
    await call(api, "POST", path, "can-tho.member", 409, json=letter)  # letters: secretary only
    lodged = await call(api, "POST", path, "vusta.secretary", json=letter)
    assert lodged["held"] is True
    uphold = {"resolution": "upheld", "reason": "Đã xác minh: biên bản bị sửa chữa"}
    resolved = await call(
        api, "POST", f"{path}/{lodged['complaint_id']}/resolution", "vusta.secretary", json=uphold
    )
    assert (resolved["effect"], resolved["state"]) == ("reject", "rejected")
    public = (await api.get("/api/public/nominees")).json()["nominees"]
    assert pid not in {n["proposal_id"] for n in public}
    history = await call(api, "GET", f"/api/proposals/{pid}/history", "auditor")
    assert "Nguyễn Văn Bình" not in str(history)


async def test_the_public_list_needs_no_sign_in_and_shows_only_the_allowed_fields(
    api: httpx.AsyncClient, runtime: Runtime
) -> None:
    pid = await published(api, runtime, " (danh sách công khai)")
    answer = await api.get("/api/public/nominees", headers={"Authorization": ""})
    assert answer.status_code == 200, answer.text
    [nominee] = [n for n in answer.json()["nominees"] if n["proposal_id"] == pid]
    assert set(nominee) == PUBLIC_FIELDS
    assert nominee["nominee"] == "Liên hiệp Hội tỉnh Ninh Bình"
    assert nominee["proposing_unit"] != "lhh-ninh-binh"  # the unit's name, not its id
    for hidden in ("gender", "position", "unit_id", "vusta.secretary", "rulebook", "complain"):
        assert hidden not in answer.text
    # Everything else still needs a sign-in.
    assert (
        await api.get(f"/api/proposals/{pid}", headers={"Authorization": ""})
    ).status_code == 401


async def test_an_award_is_revoked_by_a_new_decision_and_its_recovery_recorded(
    api: httpx.AsyncClient, runtime: Runtime
) -> None:
    pid = await council_approved(api)
    decision = {"outcome": "awarded", "number": "61/QĐ-LHHVN"}
    await call(api, "POST", f"/api/proposals/{pid}/decision", "president", json=decision)
    revocation = {
        "ground": "forged_papers",
        "number": "62/QĐ-LHHVN",
        "reason": "Giấy chứng nhận sáng kiến bị làm giả",
        "prize_money": 2_000_000,
    }
    path = f"/api/proposals/{pid}/revocation"
    await call(api, "POST", path, "vusta.secretary", 403, json=revocation)
    revoked = await call(api, "POST", path, "president", json=revocation)
    assert (revoked["state"], revoked["cites_number"]) == ("revoked", "61/QĐ-LHHVN")
    again = await call(
        api, "POST", path, "president", 409, json={**revocation, "number": "63/QĐ-LHHVN"}
    )
    assert again["status"] == 409
    recovery = {"certificate_returned": True, "money_recovered": 2_000_000, "note": "Đã nộp"}
    recovered = await call(
        api, "POST", f"/api/proposals/{pid}/recovery", "vusta.secretary", json=recovery
    )
    assert recovered["recovered"] is True

    history = await call(api, "GET", f"/api/proposals/{pid}/history", "auditor")
    types = [event["type"] for event in history["events"]]
    assert types[-3:] == ["Decided", "Revoked", "RecoveryRecorded"]  # nothing rewritten
    nominee = nominee_key(
        {"kind": "collective", "name": "Liên hiệp Hội tỉnh Ninh Bình", "unit_id": "lhh-ninh-binh"},
        "lhh-ninh-binh",
    )
    await asyncio.to_thread(runtime.register.follower.catch_up)
    entries = await asyncio.to_thread(runtime.register.entries_for, nominee)
    sources = {(e.source, e.reference) for e in entries}
    assert (Source.DECIDED, "61/QĐ-LHHVN") in sources
    assert (Source.REVOKED, "62/QĐ-LHHVN (revokes 61/QĐ-LHHVN)") in sources


async def test_the_public_page_lists_the_nominee_without_a_sign_in(
    api: httpx.AsyncClient, runtime: Runtime
) -> None:
    pid = await published(api, runtime, " (trang công khai)")
    answer = await api.get("/public/nominees", headers={"Accept-Language": "vi"})
    assert answer.status_code == 200, answer.text
    assert f'id="nominee-{pid}"' in answer.text
    assert "Danh sách công khai lấy ý kiến" in answer.text
    assert "Đăng nhập để gửi khiếu nại, tố cáo" in answer.text  # the form needs a sign-in
    assert "vusta.secretary" not in answer.text
