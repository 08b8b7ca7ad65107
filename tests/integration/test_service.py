"""`awards up` as an operator runs it: stopped by SIGTERM (systemd, docker stop) or SIGHUP (the
terminal closed), it takes down every server it started and leaves nothing running; a Temporal
dev server that dies under it is started again."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from infra.temporal import free_port

pytestmark = pytest.mark.integration


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _wait_for(condition: Callable[[], bool], what: str, timeout_s: float = 180) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.3)


@dataclass
class Service:
    process: subprocess.Popen[bytes]
    data_dir: Path
    api: int
    grpc: int
    ui: int
    log: Path

    def healthy(self) -> bool:
        assert self.process.poll() is None, self.log.read_text()[-3000:]
        try:
            return httpx.get(f"http://127.0.0.1:{self.api}/health", timeout=2).status_code == 200
        except httpx.TransportError:
            return False

    def temporal_pid(self) -> int:
        return int((self.data_dir / "temporal.pid").read_text())

    def postmaster_pid(self) -> int:
        return int((self.data_dir / "postgres" / "postmaster.pid").read_text().split()[0])

    def assert_stopped_cleanly(self, temporal_pid: int, postmaster_pid: int) -> None:
        self.process.wait(timeout=90)
        errors = self.log.read_text()
        assert "Traceback" not in errors, errors[-3000:]
        assert not _listening(self.api) and not _listening(self.grpc) and not _listening(self.ui)
        assert not (self.data_dir / "postgres" / "postmaster.pid").exists()
        _wait_for(lambda: not _alive(temporal_pid), "Temporal outlived awards up", 10)
        _wait_for(lambda: not _alive(postmaster_pid), "PostgreSQL outlived awards up", 10)


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Service]:
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
    # A file, not a pipe: a pipe nobody reads would fill up and stall the service. A session
    # of its own, as a terminal gives it: the signals sent below reach only this process.
    process = subprocess.Popen(
        [str(awards), "up"],
        env=env,
        stdout=(tmp_path / "awards-up.out").open("w"),
        stderr=log.open("w"),
        start_new_session=True,
    )
    running = Service(process, tmp_path, api, grpc, ui, log)
    try:
        _wait_for(running.healthy, "awards up did not become healthy")
        yield running
    finally:
        if process.poll() is None:
            # As an operator would: SIGTERM stops the dev server too (a kill would orphan it).
            process.terminate()
            try:
                process.wait(timeout=90)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_stop_signal_stops_awards_up_and_every_server_it_started(
    service: Service, stop: signal.Signals
) -> None:
    temporal, postmaster = service.temporal_pid(), service.postmaster_pid()
    assert _alive(temporal) and _alive(postmaster) and _listening(service.grpc)
    # The election key's fingerprint is printed whole: `ballot cast --expect-key` takes it.
    out = (service.data_dir / "awards-up.out").read_text()
    assert any(
        len(word) == 64
        for line in out.splitlines()
        if "Election key" in line
        for word in line.split()
    )

    service.process.send_signal(stop)
    service.assert_stopped_cleanly(temporal, postmaster)


def test_the_temporal_dev_server_runs_in_a_session_of_its_own(service: Service) -> None:
    # So a terminal's hangup, sent to the terminal's process group, never reaches it directly.
    assert os.getsid(service.temporal_pid()) != os.getsid(service.process.pid)


def test_a_temporal_dev_server_killed_under_awards_up_is_started_again(
    service: Service,
) -> None:
    killed = service.temporal_pid()
    os.kill(killed, signal.SIGKILL)
    _wait_for(lambda: service.temporal_pid() != killed, "Temporal was not started again", 60)
    _wait_for(service.healthy, "awards up did not become healthy again", 120)
    assert "starting it again" in service.log.read_text()

    temporal, postmaster = service.temporal_pid(), service.postmaster_pid()
    service.process.send_signal(signal.SIGTERM)
    service.assert_stopped_cleanly(temporal, postmaster)


def test_awards_up_stops_cleanly_with_a_message_when_its_postgres_dies(
    service: Service,
) -> None:
    temporal, postmaster = service.temporal_pid(), service.postmaster_pid()
    os.kill(postmaster, signal.SIGKILL)
    service.process.wait(timeout=90)
    assert service.process.returncode == 1
    errors = service.log.read_text()
    assert "The embedded PostgreSQL stopped unexpectedly" in errors
    assert "Traceback" not in errors, errors[-3000:]
    _wait_for(lambda: not _alive(temporal), "Temporal outlived awards up", 10)
    assert not _listening(service.api) and not _listening(service.grpc)
