"""A session's list ballots stay secret once the session is counted: no column of any table,
no decoded payload of the session's Temporal history and no API answer holds a line's plain
choice, and the sealed ballots are kept under receipt hashes only, never beside a name."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import psycopg
import pytest
from journey import call
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment
from test_audit import _payloads
from test_council_session_stack import PRESENT, SECRETARY, appraised_for_session, attend, convened

from infra.codec import EncryptionCodec
from workflows.council_session_messages import session_workflow_id

pytestmark = pytest.mark.integration
VOTERS = (*PRESENT, "council.4")
COLUMNS = """
    SELECT c.table_schema, c.table_name, c.column_name, c.data_type
    FROM information_schema.columns c
    JOIN information_schema.tables t USING (table_schema, table_name)
    WHERE c.table_schema NOT IN ('pg_catalog', 'information_schema')
      AND t.table_type = 'BASE TABLE'
      AND c.data_type IN ('text', 'character varying', 'json', 'jsonb', 'bytea')
"""


def plain_choice(lines: list[str]) -> re.Pattern[str]:
    """A line's choice written out: `"<line>": "yes"`, or any request's `"choices"`."""
    ids = "|".join(re.escape(line) for line in lines)
    return re.compile(rf'"(?:{ids})"\s*:\s*"(?:yes|no|abstain)"|"choices"')


def json_values(text: str) -> Iterator[Any]:
    """The JSON a stored or carried text holds, if it is JSON."""
    try:
        yield json.loads(text)
    except ValueError:
        return


def beside_a_ballot(value: Any) -> Iterator[dict[str, Any]]:
    """Every mapping anywhere in `value` that holds a sealed list ballot."""
    if isinstance(value, dict):
        if isinstance(value.get("ballot"), dict) and "lines" in value["ballot"]:
            yield value
        for item in value.values():
            yield from beside_a_ballot(item)
    elif isinstance(value, list):
        for item in value:
            yield from beside_a_ballot(item)


def check_kept_secret(texts: list[str], lines: list[str], where: str) -> int:
    """No plain choice; each sealed ballot only under its receipt hash. Answers how many
    sealed ballots were seen."""
    choice = plain_choice(lines)
    assert not [t[:200] for t in texts if choice.search(t)], f"a plain choice in {where}"
    seen = 0
    for value in (v for t in texts for v in json_values(t)):
        for entry in beside_a_ballot(value):
            seen += 1
            assert set(entry) <= {"receipt", "ballot", "tracker"}, (where, sorted(entry))
            assert re.fullmatch("[0-9a-f]{64}", entry["receipt"]), where
            assert not set(map(str, entry.values())) & set(VOTERS), where
    return seen


def database_texts(database_url: str) -> list[str]:
    """Every text, JSON and byte column of every table, as text."""
    texts = []
    with psycopg.connect(database_url) as conn:
        for schema, table, column, kind in conn.execute(COLUMNS).fetchall():
            rows = conn.execute(
                f'SELECT "{column}" FROM "{schema}"."{table}" WHERE "{column}" IS NOT NULL'
            ).fetchall()
            for (value,) in rows:
                if kind == "bytea":
                    value = bytes(value).decode("utf-8", "replace")
                texts.append(value if isinstance(value, str) else json.dumps(value))
    return texts


async def counted_session(api: httpx.AsyncClient) -> tuple[str, list[str], list[dict[str, Any]]]:
    """The demo council's session of two lines, counted; the API's answers on the way."""
    lines = [await appraised_for_session(api), await appraised_for_session(api)]
    sid = await convened(api, *lines)
    await attend(api, sid, dict.fromkeys(PRESENT, "present") | {"council.4": "absent_written"})
    await call(api, "POST", f"/api/sessions/{sid}/open", SECRETARY)
    written = {"choices": {lines[0]: "no", lines[1]: "abstain"}}
    path = f"/api/sessions/{sid}/written-votes"
    answers = [await call(api, "POST", path, "council.4", json=written)]
    answers.append(await call(api, "POST", f"/api/sessions/{sid}/voting", SECRETARY))
    for n, member in enumerate(PRESENT):
        choices = {lines[0]: "yes", lines[1]: ("no", "yes", "abstain")[n % 3]}
        path = f"/api/sessions/{sid}/ballots"
        answers.append(await call(api, "POST", path, member, json={"choices": choices}))
    return sid, lines, answers


async def test_no_table_history_or_answer_links_a_member_to_a_lines_choice(
    api: httpx.AsyncClient,
    database_url: str,
    temporal_env: WorkflowEnvironment,
    payload_keys: list[tuple[str, bytes]],
) -> None:
    sid, lines, answers = await counted_session(api)
    state = await call(api, "GET", f"/api/sessions/{sid}", "auditor")
    assert state["stage"] == "closed" and set(state["result"]) == set(lines)
    receipt = answers[0]["receipt"]  # the written vote's, council.4's
    answers += [
        state,
        await call(api, "GET", f"/api/sessions/{sid}/count", "auditor"),
        await call(api, "POST", f"/api/sessions/{sid}/records", SECRETARY),
        await call(
            api,
            "POST",
            f"/api/sessions/{sid}/receipts/check",
            "council.4",
            json={"receipt": receipt},
        ),
    ]
    check_kept_secret([json.dumps(a) for a in answers], lines, "the API's answers")

    # The database, every table: the box is there, sealed, under receipts only.
    assert check_kept_secret(database_texts(database_url), lines, "the database") >= len(VOTERS)

    # Temporal, decoded with the payload keys: the ballots it carried are sealed. (A member's
    # cast update carries its name with its sealed ballot, to record who voted: the choice
    # stays sealed under the election key, so only the plain choices are looked for here.)
    plain = await Client.connect(temporal_env.client.service_client.config.target_host)
    history = await plain.get_workflow_handle(session_workflow_id(sid)).fetch_history()
    payloads = [p for event in history.events for p in _payloads(event)]
    decoded = await EncryptionCodec(payload_keys).decode(payloads)
    carried = [p.data.decode("utf-8", "replace") for p in decoded]
    assert sum('"lines"' in text for text in carried) >= len(VOTERS)
    assert not [t[:200] for t in carried if plain_choice(lines).search(t)]
