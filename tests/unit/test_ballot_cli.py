"""`awards ballot`: a refusal from the API is one readable line, never raw JSON."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from typer.testing import CliRunner

from services.cli.main import app as cli

PROBLEM = {
    "type": "urn:awards:problem:forbidden",
    "title": "Forbidden",
    "status": 403,
    "detail": "this step needs the role council_member; thanh-hoa.member has cluster_member",
}


class _Refusing(BaseHTTPRequestHandler):
    """A stand-in API that refuses everything with a problem body."""

    def do_GET(self) -> None:
        body = json.dumps(PROBLEM).encode()
        self.send_response(403)
        self.send_header("Content-Type", "application/problem+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def refusing_api() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _Refusing)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_a_refused_cast_prints_one_line_with_detail_and_type(refusing_api: str) -> None:
    args = ["ballot", "cast", "4b3f", "council", "yes", "--api", refusing_api, "--token", "t"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines == [f"403 forbidden: {PROBLEM['detail']}"]
    assert "{" not in result.output


def test_the_key_of_a_refused_vote_is_one_line_too(refusing_api: str) -> None:
    args = ["ballot", "key", "4b3f", "cluster", "--api", refusing_api, "--token", "t"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"403 forbidden: {PROBLEM['detail']}"


def test_the_service_key_fingerprint_is_printed_whole(tmp_path: object) -> None:
    result = CliRunner().invoke(cli, ["ballot", "key"], env={"AWARDS_DATA_DIR": str(tmp_path)})
    assert result.exit_code == 0, result.output
    fingerprint = result.stdout.strip()
    assert len(fingerprint) == 64 and int(fingerprint, 16) >= 0
