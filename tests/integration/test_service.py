"""`awards up` as an operator runs it: started, then stopped by SIGTERM (systemd, docker stop),
it takes down every server it started and leaves nothing running."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from infra.temporal import free_port

pytestmark = pytest.mark.integration


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_sigterm_stops_awards_up_and_every_server_it_started(tmp_path: Path) -> None:
    api, grpc, ui = free_port(), free_port(), free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("AWARDS_DATABASE_URL", "AWARDS_TEMPORAL_ADDRESS")
    }
    env.update(
        AWARDS_DATA_DIR=str(tmp_path),
        AWARDS_API_PORT=str(api),
        AWARDS_TEMPORAL_PORT=str(grpc),
        AWARDS_TEMPORAL_UI_PORT=str(ui),
    )
    awards = Path(sys.executable).with_name("awards")
    log = tmp_path / "awards-up.log"
    # A file, not a pipe: a pipe nobody reads would fill up and stall the service.
    service = subprocess.Popen(
        [str(awards), "up"], env=env, stdout=subprocess.DEVNULL, stderr=log.open("w")
    )
    try:
        deadline = time.monotonic() + 180
        while True:
            assert service.poll() is None, log.read_text()[-2000:]
            try:
                if httpx.get(f"http://127.0.0.1:{api}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "awards up did not become healthy"
            time.sleep(0.5)
        postmaster = tmp_path / "postgres" / "postmaster.pid"
        assert postmaster.exists() and _listening(grpc)

        service.send_signal(signal.SIGTERM)
        service.wait(timeout=90)
        errors = log.read_text()
        assert "Traceback" not in errors, errors[-2000:]
        assert not _listening(api) and not _listening(grpc) and not _listening(ui)
        assert not postmaster.exists()
    finally:
        if service.poll() is None:
            service.kill()
