"""The rulebook over the API and the command line: versions and the one in force for anyone
signed in; a new version, a correction and the working calendar for admin only (403 for
others), a bad file refused with 422 naming the field, overlapping days with 409."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from journey import SECRET, call, token
from typer.testing import CliRunner

from domain.rulebook.defaults import DECREE_152, DEFAULT_VERSIONS, LAW_06_DECREE_98
from services.application.rulebook_file import document, to_yaml
from services.cli.main import app as cli
from services.runtime import Runtime

pytestmark = pytest.mark.integration
DOCS = Path(__file__).resolve().parents[2] / "docs"


def future(code: str, start: int) -> dict[str, Any]:
    """A version far after the shipped ones, so no other test's day is judged by it."""
    version = replace(
        DECREE_152, code=code, effective_from=date(start, 1, 1), effective_to=date(start + 1, 1, 1)
    )
    return document(version)


async def test_any_user_reads_the_version_in_force_on_a_day(api: httpx.AsyncClient) -> None:
    listed = await api.get("/api/rulebook/versions", headers=token("ninh-binh.proposer"))
    codes = [v["code"] for v in listed.json()]
    assert codes[:2] == [v.code for v in DEFAULT_VERSIONS]
    for day, expected in (("2025-06-30", LAW_06_DECREE_98), ("2025-07-01", DECREE_152)):
        found = await call(
            api, "GET", "/api/rulebook/in-force", "thanh-hoa.member", params={"on": day}
        )
        assert found["code"] == expected.code
        assert found == document(expected)


async def test_no_version_in_force_is_404(api: httpx.AsyncClient) -> None:
    found = await call(
        api, "GET", "/api/rulebook/in-force", "auditor", 404, params={"on": "2001-01-01"}
    )
    assert "2001-01-01" in found["detail"]


async def test_schema_is_served_as_published(api: httpx.AsyncClient) -> None:
    served = await api.get("/api/rulebook/schema", headers=token("auditor"))
    assert served.json() == json.loads((DOCS / "rulebook.schema.json").read_text())


async def test_admin_adds_a_version_once_per_idempotency_key(api: httpx.AsyncClient) -> None:
    body = {"reason": "the successor decree", "version": future("api-2030", 2030)}
    key = {"Idempotency-Key": "add-api-2030"}
    await call(api, "POST", "/api/rulebook/versions", "admin", 201, json=body, headers=key)
    again = await call(api, "POST", "/api/rulebook/versions", "admin", 200, json=body, headers=key)
    assert again["code"] == "api-2030"
    stored = await call(api, "GET", "/api/rulebook/versions/api-2030", "ninh-binh.proposer")
    assert stored == body["version"]


async def test_others_may_not_add_a_version(api: httpx.AsyncClient) -> None:
    body = {"reason": "not mine to add", "version": future("api-2040", 2040)}
    await call(api, "POST", "/api/rulebook/versions", "vusta.secretary", 403, json=body)


async def test_bad_version_is_422_naming_the_field(api: httpx.AsyncClient) -> None:
    version = future("api-2050", 2050)
    version["deadlines_proposal"]["appraisal"]["working_days"] = 0
    body = {"reason": "typo", "version": version}
    refused = await call(api, "POST", "/api/rulebook/versions", "admin", 422, json=body)
    locs = [e["loc"] for e in refused["errors"]]
    assert ["body", "version", "deadlines_proposal", "appraisal", "working_days"] in locs


async def test_incomplete_version_is_422_naming_the_section(api: httpx.AsyncClient) -> None:
    version = future("api-2060", 2060)
    version["ballot_rules"]["council"].pop("default")
    body = {"reason": "no default", "version": version}
    refused = await call(api, "POST", "/api/rulebook/versions", "admin", 422, json=body)
    assert "ballot_rules.council" in refused["detail"]


async def test_overlapping_version_is_409(api: httpx.AsyncClient) -> None:
    version = future("api-overlap", 2026)  # inside Decree 152's days
    body = {"reason": "overlaps", "version": version}
    refused = await call(api, "POST", "/api/rulebook/versions", "admin", 409, json=body)
    assert "decree-152-2025" in refused["detail"]


async def test_admin_records_a_day_off_the_calendar_then_counts(
    api: httpx.AsyncClient, runtime: Runtime
) -> None:
    body = {"day": "2031-03-14", "kind": "day_off", "reason": "swap announced"}
    await call(api, "POST", "/api/calendar/days", "admin", 201, json=body)
    await call(api, "POST", "/api/calendar/days", "admin", 200, json=body)
    await call(api, "POST", "/api/calendar/days", "auditor", 403, json=body)
    saturday = {"day": "2031-03-16", "kind": "working_saturday", "reason": "a Sunday"}
    refused = await call(api, "POST", "/api/calendar/days", "admin", 422, json=saturday)
    assert "Saturday" in refused["detail"]
    year = await api.get("/api/calendar/2031", headers=token("ninh-binh.proposer"))
    recorded = [d for d in year.json() if d["source"] == "recorded"]
    assert recorded == [
        {
            "day": "2031-03-14",
            "working": False,
            "source": "recorded",
            "reason": "swap announced",
            "actor": "admin",
        }
    ]
    assert not runtime.calendars.calendar().is_working_day(date(2031, 3, 14))


def test_defaults_are_stored_once_across_starts(runtime: Runtime) -> None:
    before = [v.code for v in runtime.rulebook.versions()]
    runtime.rulebook.ensure_defaults()
    assert [c.what for c in runtime.rulebook.history(DECREE_152.code)] == ["VersionAdded"]
    assert [v.code for v in runtime.rulebook.versions()] == before


# ---- the command line ------------------------------------------------------------------


def _awards(database_url: str, tmp_path: Path, *args: str, expect: int = 0) -> str:
    env = {
        "AWARDS_DATABASE_URL": database_url,
        "AWARDS_SECRET_KEY": SECRET,
        "AWARDS_DATA_DIR": str(tmp_path),
        "COLUMNS": "200",
    }
    result = CliRunner().invoke(cli, list(args), env=env)
    assert result.exit_code == expect, result.output
    return result.output


def test_cli_shows_the_version_in_force_as_json(
    runtime: Runtime, database_url: str, tmp_path: Path
) -> None:
    shown = _awards(database_url, tmp_path, "rules", "show", "--on", "2025-07-01", "--json")
    assert json.loads(shown) == document(DECREE_152)


def test_cli_adds_a_file_once(runtime: Runtime, database_url: str, tmp_path: Path) -> None:
    version = replace(
        DECREE_152, code="cli-2035", effective_from=date(2035, 1, 1), effective_to=None
    )
    path = tmp_path / "cli-2035.yaml"
    path.write_text(to_yaml(version))
    args = ("rules", "add", str(path), "--reason", "successor", "--as", "admin")
    assert "added" in _awards(database_url, tmp_path, *args)
    assert "added before" in _awards(database_url, tmp_path, *args)
    assert "cli-2035" in _awards(database_url, tmp_path, "rules", "show")


def test_cli_refuses_a_bad_file_naming_the_field(
    runtime: Runtime, database_url: str, tmp_path: Path
) -> None:
    data = future("cli-bad", 2045)
    data["quotas"][0]["per_year"] = 0
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    args = ("rules", "add", str(path), "--reason", "bad")
    shown = _awards(database_url, tmp_path, *args, expect=1)
    assert "quotas.0.per_year" in shown
    assert "không hợp lệ" in shown  # Vietnamese first


def test_cli_refuses_someone_who_is_not_an_admin(
    runtime: Runtime, database_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "v.yaml"
    path.write_text(
        to_yaml(
            replace(DECREE_152, code="cli-x", effective_from=date(2060, 1, 1), effective_to=None)
        )
    )
    args = ("rules", "add", str(path), "--reason", "x", "--as", "vusta.secretary")
    assert "not an admin" in _awards(database_url, tmp_path, *args, expect=1)


def test_cli_calendar_records_a_working_saturday(
    runtime: Runtime, database_url: str, tmp_path: Path
) -> None:
    args = (
        "calendar",
        "add-working-saturday",
        "2031-03-08",
        "--reason",
        "make-up",
        "--as",
        "admin",
    )
    _awards(database_url, tmp_path, *args)
    shown = _awards(database_url, tmp_path, "calendar", "show", "2031")
    assert "2031-03-08" in shown and "make-up" in shown
