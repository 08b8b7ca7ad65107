"""`awards ballot seal-list` seals a list on the voter's machine and checks what the service
recorded; `awards ballot verify-list` recounts a published list vote with no secret."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
from sealing import ELECTION_KEY, KEY, SHARES
from typer.testing import CliRunner

from domain.voting.list_box import ListBox
from domain.voting.vote import Sealing
from infra.trustee_keys import Custody
from services.application.list_voting import (
    ListBallotInput,
    cast_list,
    count_view,
    service_shares,
)
from services.cli.main import app as cli

SECRET = b"list-cli-test-secret"
LINES = ("flag:binh-dinh", "cert:phu-yen")
BOX = ListBox.opened(
    "cluster-year/cum-6/2024/conference",
    LINES,
    ("binh-dinh", "phu-yen", "khanh-hoa"),
    {"binh-dinh": ["flag:binh-dinh"], "phu-yen": ["cert:phu-yen"]},
    ELECTION_KEY,
)


class _ListVoteApi(BaseHTTPRequestHandler):
    """A stand-in API for one open list vote: its count, and a cast route for Khanh Hoa."""

    def _answer(self, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self._answer(count_view(BOX).to_json())

    def do_POST(self) -> None:
        sent = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        cast = cast_list(
            SECRET, BOX, "khanh-hoa.head", "khanh-hoa", ListBallotInput(sealed=sent["ballot"]), None
        )
        self._answer({"tracker": cast.tracker, "receipt": cast.receipt})

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def api() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _ListVoteApi)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_seal_list_casts_a_list_sealed_here_and_checks_its_tracker(api: str) -> None:
    args = ["ballot", "seal-list", f"{api}/count", "flag:binh-dinh=yes", "cert:phu-yen=no"]
    result = CliRunner().invoke(cli, [*args, "--cast", f"{api}/ballots", "--token", "t"])
    assert result.exit_code == 0, result.output
    assert "cast 2 lines, sealed on this machine" in result.output and "receipt " in result.output


def test_seal_list_without_cast_prints_the_sealed_list(api: str) -> None:
    args = ["ballot", "seal-list", f"{api}/count", "cert:phu-yen=abstain", "--token", "t"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert list(json.loads(result.stdout)["lines"]) == ["cert:phu-yen"]


def test_seal_list_refuses_a_key_other_than_the_published_one(api: str) -> None:
    args = ["ballot", "seal-list", f"{api}/count", "cert:phu-yen=no", "--expect-key", "00"]
    result = CliRunner().invoke(cli, [*args, "--token", "t"])
    assert result.exit_code == 1 and "not the published key" in result.stderr


def _counted_view() -> dict[str, Any]:
    box = BOX
    entries = []
    for n, voter in enumerate(box.electorate):
        choices = dict.fromkeys(box.expected(voter), "yes")
        cast = cast_list(SECRET, box, voter, voter, ListBallotInput(choices), None)
        entries.append({"receipt": f"{n:064x}", "ballot": cast.ballot})
        box = box.with_ballot(voter)
    box = box.with_box(entries, Sealing("closed", datetime(2025, 1, 5, tzinfo=UTC)))
    for share in service_shares(box, Custody(KEY, tuple(SHARES[:2]))):
        box = box.with_share(share)
    return count_view(box.with_result(box.count())).to_json()


def test_verify_list_recounts_a_saved_count(tmp_path: Path) -> None:
    view = _counted_view()
    saved = tmp_path / "count.json"
    saved.write_text(json.dumps(view))
    result = CliRunner().invoke(cli, ["ballot", "verify-list", str(saved)])
    assert result.exit_code == 0, result.output
    assert "flag:binh-dinh: 2 yes, 0 no, 0 abstain" in result.output
    view["result"]["flag:binh-dinh"]["yes"] = 3
    saved.write_text(json.dumps(view))
    result = CliRunner().invoke(cli, ["ballot", "verify-list", str(saved)])
    assert result.exit_code == 1 and "the record says" in result.stderr
