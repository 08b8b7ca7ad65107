"""A rule change by a new rulebook version, on the real stack: two proposals lodged on either
side of 01/07/2025 are judged by the version in force on their day (DOMAIN.md §9)."""

from __future__ import annotations

import asyncio
from uuid import uuid4

import httpx
import pytest
from journey import attach, call

from domain.kernel.actor import Actor, Role
from domain.rulebook.defaults import DECREE_152, LAW_06_DECREE_98
from services.application.proposals import proposal_id_for
from services.runtime import Runtime

pytestmark = pytest.mark.integration

PROPOSER = "ninh-binh.proposer"
NOMINEE = {"kind": "individual", "name": "Trần Văn C", "unit_id": "lhh-ninh-binh"}
# What both dossiers hold: a state-level form's documents under Decree 98.
DOSSIER = ("request_letter", "achievement_report", "review_minutes", "ballot_count", "consultation")


async def lodged_before_decree_152(runtime: Runtime) -> str:
    """A Labour Order proposal lodged before 01/07/2025 (the API lodges today): its first
    event records the version in force then, as the draft use case does on its day."""
    actor = Actor(PROPOSER, Role.PROPOSER)
    key = f"lodged-2025-06-{uuid4()}"
    proposal, _ = await asyncio.to_thread(
        lambda: runtime.app.nominate(
            proposal_id=proposal_id_for(actor, key),
            form=LAW_06_DECREE_98.form("labour_order"),
            year=2024,
            proposing_unit="lhh-ninh-binh",
            cluster="cum-4",
            nominee=NOMINEE,
            title="Huân chương Lao động hạng Ba (giai đoạn 2020-2024)",
            summary="Hồ sơ nộp trước 01/07/2025",
            actor=actor,
            key=f"create:{key}",
            rulebook_version=LAW_06_DECREE_98.code,
        )
    )
    await runtime.process.start_for(proposal)
    return str(proposal.id)


async def test_rule_change_by_new_version_judges_proposals_lodged_either_side(
    api: httpx.AsyncClient, runtime: Runtime
) -> None:
    before = await lodged_before_decree_152(runtime)
    draft = {
        "form": "labour_order",
        "year": 2025,
        "nominee": NOMINEE,
        "title": "Huân chương Lao động hạng Ba (giai đoạn 2021-2025)",
    }
    after = str((await call(api, "POST", "/api/proposals", PROPOSER, 201, json=draft))["id"])
    for pid in (before, after):
        for kind in DOSSIER:
            await attach(api, pid, kind, PROPOSER)
    old = await call(api, "GET", f"/api/proposals/{before}", "auditor")
    new = await call(api, "GET", f"/api/proposals/{after}", "auditor")
    assert (old["rulebook_version"], new["rulebook_version"]) == (
        LAW_06_DECREE_98.code,
        DECREE_152.code,
    )
    # Decree 152 Art 44.2: a Labour Order nominee is published before the council meets.
    assert old["missing_documents"] == [] and new["missing_documents"] == ["publication_record"]
    submit = {"comment": "gửi hồ sơ"}
    accepted = await call(api, "POST", f"/api/proposals/{before}/submit", PROPOSER, json=submit)
    assert accepted["state"] in {"submitted", "appraisal"}
    refused = await call(api, "POST", f"/api/proposals/{after}/submit", PROPOSER, 409, json=submit)
    assert "publication_record" in refused["detail"]
