"""A proposal's whole life through the pages alone, as every role, in a real browser."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect

from e2e.browsing import picture, sign_in

pytestmark = pytest.mark.integration

PDF = b"%PDF-1.4\n% ho so thi dua\n"
# Before the box is sealed, a receipt is not in it yet; the last ballot closes the vote.
COUNCIL_CHECKS = {1: "Hòm phiếu được niêm phong khi kết thúc", 5: "có trong hòm phiếu"}
# A Certificate: a proposer lodges it directly (a Flag comes from the cluster's conference).
TITLE = "Đề nghị tặng Bằng khen năm 2026 (thử trên trình duyệt)"


async def as_user(browser: Browser, site: str, username: str) -> tuple[BrowserContext, Page]:
    context = await browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    context.set_default_timeout(15_000)
    return context, await sign_in(context, site, username)


async def until_listed(page: Page, url: str, text: str, attempts: int = 75) -> None:
    """The inbox and the list are read models a moment behind: reload until it shows."""
    for _ in range(attempts):
        await page.goto(url)
        if await page.get_by_text(text).count():
            return
        await page.wait_for_timeout(200)
    raise AssertionError(f"{text!r} never appeared on {url}")


async def attach(page: Page, kind_label: str, name: str) -> None:
    await page.get_by_label("Loại tài liệu").select_option(label=kind_label)
    await page.get_by_label(re.compile("^Tệp")).set_input_files(
        files=[{"name": name, "mimeType": "application/pdf", "buffer": PDF + name.encode()}]
    )
    await page.get_by_role("button", name="Đính kèm").click()
    await expect(page.get_by_role("status")).to_have_text("Đã đính kèm tài liệu vào hồ sơ.")


async def nominate(browser: Browser, site: str) -> str:
    context, page = await as_user(browser, site, "ninh-binh.proposer")
    await page.get_by_role("link", name="Lập đề nghị mới").click()
    await expect(page.get_by_label("Tên đối tượng đề nghị")).to_have_value(
        "Liên hiệp Hội tỉnh Ninh Bình"
    )
    await picture(page, "nominate")
    await page.get_by_label("Trích yếu đề nghị").fill(TITLE)
    await page.get_by_label("Tóm tắt thành tích").fill("Dẫn đầu Cụm thi đua số 4 năm 2026.")
    await page.get_by_role("button", name="Lưu dự thảo").click()
    await expect(page.get_by_role("status")).to_contain_text("Đã lưu dự thảo")
    proposal_url = page.url.split("?")[0]
    await page.get_by_label(re.compile("^Tệp")).set_input_files(
        files=[{"name": "chay.exe", "mimeType": "application/x-msdownload", "buffer": b"MZ"}]
    )
    await page.get_by_role("button", name="Đính kèm").click()
    await expect(page.get_by_role("alert")).to_contain_text("Không nhận tệp định dạng")
    await attach(page, "Tờ trình", "to-trinh.pdf")
    await expect(page.get_by_role("button", name="Gửi hồ sơ")).to_be_disabled()
    await attach(page, "Báo cáo thành tích", "bao-cao.pdf")
    await expect(page.locator(".checklist .missing")).to_have_count(0)
    await picture(page, "proposal-draft")
    await page.get_by_role("button", name="Gửi hồ sơ").click()
    await expect(page.get_by_role("status")).to_have_text("Đã gửi hồ sơ.")
    await expect(page.locator("#state")).to_have_text("Đang thẩm định")
    await context.close()
    return proposal_url


async def vote(
    browser: Browser, site: str, username: str, url: str, check: str | None = None
) -> None:
    """Casts "Tán thành"; the receipt page and the proposal page never show a choice again.
    With ``check``, the voter checks the receipt and reads that answer."""
    context, page = await as_user(browser, site, username)
    await page.goto(url)
    await page.get_by_label("Tán thành", exact=True).check()
    await page.get_by_role("button", name="Bỏ phiếu").click()
    await expect(
        page.get_by_role("heading", name="Phiếu của anh/chị đã được ghi nhận")
    ).to_be_visible()
    receipt = await page.locator("#receipt").inner_text()
    assert await page.locator("#tracker").inner_text()
    assert "Tán thành" not in await page.locator("main").inner_text()
    if check:
        await picture(page, f"receipt-{username}")
        await page.goto(url)
        await expect(page.locator("[id^=voted-]")).to_contain_text("Anh/chị đã bỏ phiếu")
        await expect(page.locator("form.ballot")).to_have_count(0)
        assert await page.locator("input[name=choice]").count() == 0
        await page.get_by_role("link", name="Kiểm tra biên nhận").click()
        await page.get_by_label("Biên nhận").fill(receipt)
        await page.get_by_role("button", name="Kiểm tra", exact=True).click()
        await expect(page.locator("#receipt-result")).to_contain_text(check)
        assert "Tán thành" not in await page.locator("main").inner_text()
    await context.close()


async def appraise(browser: Browser, site: str, url: str, action: str, reason: str = "") -> None:
    context, page = await as_user(browser, site, "vusta.secretary")
    await until_listed(page, f"{site}/inbox", TITLE)
    await page.locator("#tasks").get_by_role("link", name=TITLE).click()  # not the feed
    await page.get_by_label(action).check()
    if reason:
        await page.get_by_label("Lý do (bắt buộc khi trả lại)").fill(reason)
    await page.get_by_role("button", name="Ghi nhận kết quả thẩm định").click()
    await expect(page.get_by_role("status")).to_have_text("Đã ghi nhận kết quả thẩm định.")
    await context.close()


async def resubmit(browser: Browser, site: str, url: str) -> None:
    context, page = await as_user(browser, site, "ninh-binh.proposer")
    await until_listed(page, f"{site}/inbox", TITLE)
    await page.goto(url)
    await expect(page.locator(".warn-card")).to_contain_text("Thiếu biên bản họp xét")
    await attach(page, "Tài liệu bổ sung", "bien-ban.pdf")
    await page.get_by_role("button", name="Gửi hồ sơ").click()
    await expect(page.locator("#state")).to_have_text("Đang thẩm định")
    await context.close()


async def decide(browser: Browser, site: str, url: str) -> None:
    context, page = await as_user(browser, site, "president")
    await until_listed(page, f"{site}/inbox", TITLE)
    await page.goto(url)
    assert re.fullmatch(
        r"\d{2,}/QĐ-LHHVN", await page.get_by_label(re.compile("^Số quyết định")).input_value()
    )
    await page.get_by_label("Tặng thưởng", exact=True).check()
    await picture(page, "decision")
    await page.get_by_role("button", name="Ghi nhận quyết định").click()
    await expect(page.locator("#state")).to_have_text("Đã có quyết định")
    await context.close()


async def audit(browser: Browser, site: str, url: str) -> None:
    context, page = await as_user(browser, site, "auditor")
    await page.goto(url)
    await page.get_by_role("link", name=re.compile("^Hồ sơ kiểm tra")).click()
    findings = page.locator("#findings")
    await expect(findings).to_contain_text("5 tán thành, 0 không tán thành, 0 phiếu trắng")
    timeline = page.locator(".timeline li")
    assert await timeline.count() > 12
    await expect(page.locator(".timeline")).to_contain_text("(giờ Việt Nam, UTC+07:00)")
    await expect(page.locator(".timeline")).to_contain_text(
        "Thường trực Hội đồng Thi đua – Khen thưởng"
    )
    await picture(page, "audit")
    # The state as of the moment just after the third event: still a draft.
    await page.get_by_label("Ngày giờ (giờ Việt Nam)").fill("2020-01-01T00:00:00")
    await page.get_by_role("button", name="Xem").click()
    await expect(page.get_by_role("alert")).to_contain_text("chưa được lập")
    async with page.expect_download() as download:
        await page.get_by_role("link", name="Tải hồ sơ kiểm tra (PDF)").click()
    assert (await download.value).suggested_filename.endswith(".pdf")
    await page.get_by_role("link", name="Kiểm tra toàn vẹn dữ liệu").click()
    await page.get_by_role("button", name="Kiểm tra ngay").click()
    await expect(page.locator("#verify-result h2")).to_have_text("Toàn vẹn")
    await context.close()


async def test_a_proposal_goes_from_nomination_to_decision_through_the_pages_alone(
    browser: Browser, site: str, account_for: Callable[[str], str]
) -> None:
    for username in [
        "ninh-binh.proposer",
        "vusta.secretary",
        *(f"council.{n}" for n in range(1, 6)),
        "president",
        "auditor",
    ]:
        account_for(username)
    url = await nominate(browser, site)
    await appraise(browser, site, url, "Trả lại để bổ sung", "Thiếu biên bản họp xét của Cụm")
    await resubmit(browser, site, url)
    await appraise(browser, site, url, "Thông qua: trình Hội đồng")
    for n in range(1, 6):
        await vote(browser, site, f"council.{n}", url, check=COUNCIL_CHECKS.get(n))
    await decide(browser, site, url)
    await audit(browser, site, url)
