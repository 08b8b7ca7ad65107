"""The organisation years over the API: anyone signed in reads them, only an admin writes,
a workbook is imported all or nothing and once, and regrouping a year leaves the past one."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import httpx
import pytest
from journey import token

from domain.kernel.actor import Role
from services.application.accounts import Accounts
from services.application.directory import User
from services.application.org_export import write_workbook
from services.application.seed import demo_year
from services.runtime import Runtime

pytestmark = pytest.mark.integration
BASE = "/api/org/years"
# Years the demo does not hold and that are never in force today: the rest of the session
# still sees the demo's 2024 organisation.
PAST, NEXT = 2001, 2002


async def get(api: httpx.AsyncClient, path: str, user: str, expect: int = 200) -> Any:
    answer = await api.get(f"{BASE}{path}", headers=token(user))
    assert answer.status_code == expect, answer.text
    return answer.json()


async def send(
    api: httpx.AsyncClient, method: str, path: str, user: str, expect: int = 200, **kw: Any
) -> Any:
    headers = {**token(user), **kw.pop("headers", {})}
    answer = await api.request(method, f"{BASE}{path}", headers=headers, **kw)
    assert answer.status_code == expect, answer.text
    return answer.json()


async def upload(api: httpx.AsyncClient, year: int, data: bytes, expect: int = 200) -> Any:
    files = {"file": ("to-chuc.xlsx", data, "application/octet-stream")}
    return await send(api, "POST", f"/{year}/import", "admin", expect, files=files)


async def test_any_signed_in_user_reads_a_years_clusters(api: httpx.AsyncClient) -> None:
    years = await get(api, "", "ben-tre.member")
    assert {2022, 2023, 2024} <= set(years["years"])
    cum6 = await get(api, "/2023/clusters/cum-6", "ben-tre.member")
    assert (cum6["head"], cum6["deputy"]) == ("lhh-binh-dinh", "lhh-phu-yen")
    assert cum6["supervisor"] == "council.2"
    assert cum6["units"][0]["name"] == "Liên hiệp Hội tỉnh Quảng Ngãi"
    assert (await get(api, "/2022/clusters/cum-6", "auditor"))["head"] == "lhh-quang-ngai"
    council = await get(api, "/2022/council", "auditor")
    assert "council.5" not in council["members"]  # joined in 2023: roles are per year
    assert len(await get(api, "/2024/clusters", "auditor")) == 4


async def test_people_are_read_by_admins_and_auditors_only(api: httpx.AsyncClient) -> None:
    await get(api, "/2024/people", "ben-tre.member", expect=403)
    people = await get(api, "/2024/people", "auditor")
    assert {"president", "council.1", "ben-tre.proposer"} <= {p["username"] for p in people}
    assert all(p["invented"] for p in people if p["username"] == "president")


async def test_only_an_admin_writes(api: httpx.AsyncClient) -> None:
    body = {"head": "lhh-phu-yen", "deputy": "lhh-binh-dinh", "reason": "conference"}
    await send(api, "PUT", "/2024/clusters/cum-6/leadership", "president", 403, json=body)
    data = write_workbook(2024, demo_year(2024))
    files = {"file": ("x.xlsx", data, "application/octet-stream")}
    await send(api, "POST", "/2024/import", "auditor", 403, files=files)


async def test_import_export_reimport_records_nothing_new(api: httpx.AsyncClient) -> None:
    first = await upload(api, PAST, write_workbook(PAST, demo_year(2022)))
    assert first["recorded"] is True
    version = (await get(api, f"/{PAST}", "auditor"))["version"]
    exported = await api.get(f"{BASE}/{PAST}/export", headers=token("auditor"))
    assert exported.status_code == 200
    again = await upload(api, PAST, exported.content)
    assert again["recorded"] is False
    assert (await get(api, f"/{PAST}", "auditor"))["version"] == version
    assert (await upload(api, PAST, write_workbook(PAST, demo_year(2022))))["recorded"] is False


async def test_a_bad_workbook_is_refused_whole_with_its_cells(api: httpx.AsyncClient) -> None:
    content = demo_year(2022)
    bad = content.with_group(replace(content.groups[1], head="lhh-can-tho"))  # last row
    answer = await upload(api, 2003, write_workbook(2003, bad), expect=422)
    assert [(p["sheet"], p["row"], p["column"]) for p in answer["problems"]] == [
        ("Cụm-Khối", 6, "D")
    ]
    assert answer["problems"][0]["i18n"]["vi"].startswith("trang Cụm-Khối, dòng 6, cột D")
    await get(api, "/2003", "auditor", expect=404)
    wrong_year = await upload(api, 2004, write_workbook(2003, content), expect=422)
    assert wrong_year["problems"][0]["sheet"] == "Năm"


async def test_regrouping_a_new_year_leaves_the_past_year(
    api: httpx.AsyncClient, runtime: Runtime
) -> None:
    await upload(api, PAST, write_workbook(PAST, demo_year(2022)))
    before = await get(api, f"/{PAST}/clusters/cum-6", "auditor")
    election = {"head": "lhh-phu-yen", "deputy": "lhh-khanh-hoa", "reason": "conference"}
    await send(api, "PUT", f"/{NEXT}/clusters/cum-6/leadership", "admin", json=election)
    reason = {"reason": "moved to Cụm 9"}
    await send(
        api, "POST", f"/{NEXT}/clusters/cum-6/members/lhh-binh-thuan/remove", "admin", json=reason
    )
    move = {"unit_id": "lhh-binh-thuan", "reason": "moved to Cụm 9"}
    headers = {"Idempotency-Key": "move-binh-thuan"}
    added = await send(
        api, "POST", f"/{NEXT}/clusters/cum-9/members", "admin", json=move, headers=headers
    )
    assert added["recorded"] is True
    repeated = await send(
        api, "POST", f"/{NEXT}/clusters/cum-9/members", "admin", json=move, headers=headers
    )
    assert repeated["recorded"] is False
    assert await get(api, f"/{PAST}/clusters/cum-6", "auditor") == before
    regrouped = await get(api, f"/{NEXT}/clusters/cum-6", "auditor")
    assert "lhh-binh-thuan" not in regrouped["members"]
    assert regrouped["head"] == "lhh-phu-yen"
    assert (await get(api, f"/{NEXT}", "auditor"))["copied_from"] == PAST
    in_past = [u.id for u in runtime.directory.cluster_units("cum-6", year=PAST)]
    in_next = [u.id for u in runtime.directory.cluster_units("cum-9", year=NEXT)]
    assert "lhh-binh-thuan" in in_past and "lhh-binh-thuan" in in_next


async def test_a_head_outside_the_cluster_is_refused(api: httpx.AsyncClient) -> None:
    election = {"head": "lhh-can-tho", "deputy": "lhh-phu-yen", "reason": "conference"}
    answer = await send(
        api, "PUT", f"/{NEXT}/clusters/cum-6/leadership", "admin", 422, json=election
    )
    assert "must be one of its members" in answer["i18n"]["en"]


async def test_an_opened_account_joins_the_year_in_force(runtime: Runtime) -> None:
    admin = runtime.directory.user("admin")
    assert admin is not None
    accounts = Accounts(runtime.app, runtime.pool, runtime.directory)
    person = User("org.newcomer", "Người Mới", [Role.PROPOSER], "lhh-ninh-binh")
    accounts.open_account(person, "a-long-first-password", admin, "joined the union")
    found = runtime.directory.user("org.newcomer")
    assert found is not None and found.cluster_id == "cum-4" and found.roles == ["proposer"]


async def test_rows_left_behind_their_events_are_rewritten(runtime: Runtime) -> None:
    with runtime.pool.connection() as conn:
        conn.execute("UPDATE awards_org_years SET version = 0 WHERE year = 2023")
        conn.execute("DELETE FROM awards_org_members WHERE year = 2023")
    assert runtime.organisation.catch_up() >= 1
    assert len(runtime.directory.cluster_units("cum-6", year=2023)) == 6
