"""Processes that start together against one store: every one of them comes up (bug 10), and an
environment that would fork the hash chain is refused before anything is written (bug 4)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from temporalio.testing import WorkflowEnvironment

from infra.postgres import UnsafeEnvironment, eventsourcing_env, refuse_unsafe_environment
from services.runtime import build_application

pytestmark = pytest.mark.integration

# Each process imports everything first, says "ready", then waits for the word to start, so
# that the schema work of all of them collides as closely as it can.
_START_UP = """
import asyncio, sys
from pathlib import Path
from infra.settings import Settings
from infra.temporal import connect
from services.runtime import Runtime

url, address, data_dir = sys.argv[1:4]
settings = Settings(data_dir=Path(data_dir), secret_key="s", payload_keys=None)

async def main() -> None:
    client = await connect(address, "default", settings.resolved_payload_keys())
    print("ready", flush=True)
    sys.stdin.readline()
    Runtime.build(settings, url, client).close()
    print("built", flush=True)

asyncio.run(main())
"""

ROUNDS, PROCESSES = 5, 4


def test_processes_starting_together_all_come_up(
    fresh_database: str, temporal_env: WorkflowEnvironment, tmp_path: Path
) -> None:
    address = temporal_env.client.service_client.config.target_host
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWARDS_")}
    # The first round creates the store; the others start against an existing one.
    for round_ in range(ROUNDS):
        processes = [
            subprocess.Popen(
                [sys.executable, "-c", _START_UP, fresh_database, address, str(tmp_path)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
            )
            for _ in range(PROCESSES)
        ]
        for process in processes:
            assert process.stdout is not None
            assert process.stdout.readline().strip() == "ready", process.communicate()[1]
        for process in processes:
            assert process.stdin is not None
            process.stdin.write("go\n")
            process.stdin.flush()
        for process in processes:
            out, err = process.communicate(timeout=120)
            assert process.returncode == 0, f"round {round_}: {err[-3000:]}"
            assert out.strip() == "built"


@pytest.mark.parametrize(
    "name", ["POSTGRES_ENABLE_DB_FUNCTIONS", "AWARDS_POSTGRES_ENABLE_DB_FUNCTIONS"]
)
@pytest.mark.parametrize("value", ["y", "yes", "TRUE", "1", "on"])
def test_db_functions_mode_is_refused_with_the_variable_named(name: str, value: str) -> None:
    with pytest.raises(UnsafeEnvironment, match=f"{name}={value}") as refused:
        refuse_unsafe_environment({name: value})
    assert "Không khởi động" in str(refused.value)
    assert "hash chain" in str(refused.value)


@pytest.mark.parametrize("value", ["", "n", "no", "false", "0", "off"])
def test_db_functions_mode_switched_off_is_accepted(value: str) -> None:
    refuse_unsafe_environment({"POSTGRES_ENABLE_DB_FUNCTIONS": value})


def test_the_event_store_refuses_to_open_in_db_functions_mode(
    fresh_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POSTGRES_ENABLE_DB_FUNCTIONS", "y")
    with pytest.raises(UnsafeEnvironment, match="POSTGRES_ENABLE_DB_FUNCTIONS"):
        build_application(fresh_database)
    with pytest.raises(UnsafeEnvironment):
        eventsourcing_env(fresh_database)


def test_awards_refuses_to_start_in_db_functions_mode_with_a_readable_message(
    fresh_database: str, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWARDS_")}
    env.update(
        POSTGRES_ENABLE_DB_FUNCTIONS="y",
        AWARDS_DATABASE_URL=fresh_database,
        AWARDS_DATA_DIR=str(tmp_path),
        AWARDS_TEMPORAL_ADDRESS="127.0.0.1:1",
    )
    awards = Path(sys.executable).with_name("awards")
    done = subprocess.run(
        [str(awards), "worker"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "POSTGRES_ENABLE_DB_FUNCTIONS=y" in done.stderr
