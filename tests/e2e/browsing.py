"""What the browser tests do again and again: sign in as someone, and take a picture of a page."""

from __future__ import annotations

import os
from pathlib import Path

from playwright.async_api import BrowserContext, Page

PASSWORD = "mật-khẩu-thử-2026"  # every test account's; Vietnamese letters on purpose


async def sign_in(
    context: BrowserContext, site: str, username: str, password: str = PASSWORD
) -> Page:
    """A page signed in as ``username``, on the inbox."""
    page = await context.new_page()
    await page.goto(f"{site}/signin")
    await page.get_by_label("Tên đăng nhập").fill(username)
    await page.get_by_label("Mật khẩu").fill(password)
    await page.get_by_role("button", name="Đăng nhập").click()
    await page.wait_for_url(f"{site}/inbox")
    return page


async def sign_out(page: Page) -> None:
    await page.get_by_role("button", name="Đăng xuất").click()
    await page.wait_for_url("**/signin")


async def picture(page: Page, name: str) -> None:
    """With AWARDS_SCREENSHOTS=folder, keep a full-page picture to look at."""
    folder = os.environ.get("AWARDS_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
