"""Every page as every role with no console error; working-day deadlines, the feed, the trustee
page, the recount and a seal file, drag-and-drop upload (and the form without JS); pictures of
the inbox and the proposal page at phone width."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from journey import cluster_votes, create, submitted
from playwright.async_api import Browser, BrowserContext, Page, expect

from e2e.browsing import picture, sign_in
from e2e.test_lifecycle import until_listed
from services.runtime import Runtime

pytestmark = pytest.mark.integration

ROLES = {  # a user for each role, and the pages only that role opens
    "ninh-binh.proposer": ["/proposals/new"],
    "thanh-hoa.member": ["/proposals/{pid}/receipt", "/years/mine"],
    "vusta.secretary": ["/trustee"],
    "council.1": ["/trustee", "/proposals/{pid}/receipt"],
    "president": [],
    "auditor": ["/proposals/{pid}/audit", "/audit/verify"],
    "admin": ["/admin/accounts"],
}
EVERYONE = [
    *("/inbox", "/feed", "/proposals", "/proposals/{pid}", "/password"),
    *("/organisation/2024", "/years/2024/clusters/cum-4"),
]


@pytest_asyncio.fixture(loop_scope="session")
async def api(site: str, runtime: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=site, timeout=30) as client:
        client.runtime = runtime  # type: ignore[attr-defined]  # journey.lodged_flag's
        yield client


@pytest_asyncio.fixture(loop_scope="session")
async def counted(api: httpx.AsyncClient) -> str:
    """A proposal whose cluster vote is closed and counted (the service holds the test key)."""
    pid = await submitted(api)
    await cluster_votes(api, pid, ["yes", "yes", "yes", "no", "abstain", "yes"])
    return pid


def watch_console(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


async def test_every_page_opens_as_every_role_without_a_console_error(
    context: BrowserContext, site: str, account_for: Callable[[str], str], counted: str
) -> None:
    for username, own in ROLES.items():
        page = await sign_in(context, site, account_for(username))
        errors = watch_console(page)
        for path in EVERYONE + own:
            answer = await page.goto(site + path.format(pid=counted))
            assert answer is not None and answer.status == 200, (username, path)
            await expect(page.locator("html")).to_have_attribute("lang", "vi")
        assert not errors, (username, errors)
        await page.context.clear_cookies()
        await page.close()


async def test_the_inbox_counts_working_days_and_the_feed_tells_what_changed(
    context: BrowserContext, site: str, account_for: Callable[[str], str], api: httpx.AsyncClient
) -> None:
    pid = await submitted(api)
    page = await sign_in(context, site, account_for("nghe-an.member"))
    await until_listed(page, f"{site}/inbox", "ngày làm việc")
    task = page.locator(f"li.task:has(a[href='/proposals/{pid}'])")
    await expect(task).to_contain_text(re.compile(r"còn \d+ ngày làm việc"))
    await page.goto(f"{site}/feed")
    await expect(page.locator("#feed")).to_contain_text("bỏ phiếu")
    await page.set_viewport_size({"width": 390, "height": 844})
    await page.goto(f"{site}/inbox")
    await picture(page, "phone-inbox")
    await page.goto(f"{site}/proposals/{pid}")
    await picture(page, "phone-proposal")
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390


async def test_a_file_dropped_on_the_dossier_is_attached(
    context: BrowserContext, site: str, account_for: Callable[[str], str], api: httpx.AsyncClient
) -> None:
    pid = await create(api)
    page = await sign_in(context, site, account_for("ninh-binh.proposer"))
    await page.goto(f"{site}/proposals/{pid}")
    await expect(page.locator("#still-needed")).to_contain_text("còn thiếu 2 tài liệu")
    zone = page.locator("[data-drop]")
    await expect(zone).to_be_visible()
    await zone.evaluate(
        """zone => {
            const files = new DataTransfer();
            files.items.add(new File(['%PDF-1.4 to trinh'], 'to-trinh.pdf',
                                     {type: 'application/pdf'}));
            zone.dispatchEvent(new DragEvent('drop', {dataTransfer: files, bubbles: true,
                                                      cancelable: true}));
        }"""
    )
    await expect(zone).to_contain_text("to-trinh.pdf")
    await page.get_by_role("button", name="Đính kèm").click()
    await expect(page.locator("#still-needed")).to_contain_text("còn thiếu 1 tài liệu")
    await expect(page.get_by_role("cell", name="to-trinh.pdf")).to_be_visible()


async def test_the_upload_form_works_without_javascript(
    browser: Browser, site: str, account_for: Callable[[str], str], api: httpx.AsyncClient
) -> None:
    pid = await create(api)
    plain = await browser.new_context(java_script_enabled=False, locale="vi-VN")
    try:
        page = await sign_in(plain, site, account_for("ninh-binh.proposer"))
        await page.goto(f"{site}/proposals/{pid}")
        await expect(page.locator("[data-drop]")).to_be_hidden()
        await page.get_by_label(re.compile("^Tệp")).set_input_files(
            files=[{"name": "bao-cao.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}]
        )
        await page.get_by_role("button", name="Đính kèm").click()
        await expect(page.get_by_role("cell", name="bao-cao.pdf")).to_be_visible()
    finally:
        await plain.close()


async def test_the_auditor_reads_the_recount_in_words_and_downloads_a_seal(
    context: BrowserContext, site: str, account_for: Callable[[str], str], counted: str
) -> None:
    page = await sign_in(context, site, account_for("auditor"))
    await page.goto(f"{site}/proposals/{counted}/audit")
    recount = page.locator("#recount")
    await expect(recount).to_contain_text("khớp với kết quả đã ghi")
    await expect(recount).to_contain_text("6 phiếu trong hòm cho 6 người đã bỏ phiếu")
    await page.goto(f"{site}/audit/verify")
    async with page.expect_download() as waiting:
        await page.get_by_role("button", name="Niêm phong ngay và tải tệp niêm phong").click()
    download = await waiting.value
    assert re.fullmatch(r"seal-\d{15}\.json", download.suggested_filename)
    seal = json.loads(Path(await download.path()).read_text())
    assert seal["signature"] and seal["log_hash"] and seal["up_to"] >= 1


async def test_a_trustee_is_told_their_key_share_stays_on_their_machine(
    context: BrowserContext, site: str, account_for: Callable[[str], str]
) -> None:
    page = await sign_in(context, site, account_for("council.2"))
    await page.goto(f"{site}/trustee")
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Kết quả kiểm phiếu chờ người giữ khóa"
    )
    await expect(page.get_by_text("không tải lên trang này", exact=False)).to_be_visible()
