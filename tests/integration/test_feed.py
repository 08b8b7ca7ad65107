"""The notification feed follows the event log past a bad event, and e-mails each person what
changed on their proposals through a real SMTP server (a local sink): never a choice, never a
receipt."""

from __future__ import annotations

import socket
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from aiosmtpd.controller import Controller
from conftest import side_service
from eventsourcing.persistence import StoredEvent
from journey import call, cluster_units, member_of, submitted, wait_for
from temporalio.testing import WorkflowEnvironment

pytestmark = pytest.mark.integration


class Sink:
    """An SMTP server that keeps every message it is handed."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], str]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((list(envelope.rcpt_tos), envelope.content.decode("utf-8")))
        return "250 OK"

    def to(self, address: str) -> list[str]:
        return [body for rcpt, body in self.messages if address in rcpt]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def test_the_feed_tells_each_person_of_their_proposals_and_mails_it(
    tmp_path: Path,
    fresh_database: str,
    temporal_env: WorkflowEnvironment,
    executor: ThreadPoolExecutor,
) -> None:
    sink = Sink()
    port = _free_port()
    smtp = Controller(sink, hostname="127.0.0.1", port=port)
    smtp.start()
    try:
        async with side_service(
            tmp_path,
            fresh_database,
            temporal_env.client,
            "awards-feed",
            executor,
            smtp_host="127.0.0.1",
            smtp_port=port,
            smtp_from="thi-dua@vusta.vn",
        ) as (runtime, api):
            [broken] = runtime.app.recorder.insert_events(
                [StoredEvent(uuid4(), 2, "domain.proposal:Proposal.Vanished", b"{}")]
            ) or [0]
            for username in ("ninh-binh.proposer", "thanh-hoa.member", "khanh-hoa.member"):
                runtime.feed.set_address(username, f"{username}@example.vn")
            pid = await submitted(api)
            receipts = []
            for unit in cluster_units("cum-4"):
                if unit == "lhh-ninh-binh":
                    continue
                answer = await call(
                    api,
                    "POST",
                    f"/api/proposals/{pid}/cluster-votes",
                    member_of(unit),
                    json={"choice": "no" if unit == "lhh-thanh-hoa" else "yes"},
                )
                receipts.append(answer["receipt"])

            proposer = "ninh-binh.proposer@example.vn"
            await wait_for(lambda: len(sink.to(proposer)) >= 3, timeout=30)
            proposer_user = runtime.directory.user("ninh-binh.proposer")
            assert proposer_user is not None
            kinds = [item.kind for item in runtime.feed.items(proposer_user)]
            assert {"Submitted", "VoteOpened"} <= set(kinds)
            assert kinds.index("VoteOpened") < kinds.index("Submitted")  # newest first
            member = runtime.directory.user("thanh-hoa.member")
            assert member is not None
            await wait_for(lambda: bool(sink.to("thanh-hoa.member@example.vn")))
            assert "Submitted" not in [i.kind for i in runtime.feed.items(member)]
            assert not sink.to("khanh-hoa.member@example.vn")  # another cluster: told nothing
            everything = "\n".join(body for _, body in sink.messages)
            assert all(receipt not in everything for receipt in receipts)
            assert "From: thi-dua@vusta.vn" in everything
            status = runtime.summaries.status("feed")
            assert [f.notification_id for f in status.failures] == [broken]
    finally:
        smtp.stop()
