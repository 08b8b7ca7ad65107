"""Signing in and out in a real browser: who is shown, wrong passwords, lock-out, CSRF."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.async_api import BrowserContext, expect

from e2e.browsing import PASSWORD, picture, sign_in, sign_out
from services.application.accounts import Accounts
from services.application.seed import demo_password, seed_accounts
from services.runtime import Runtime

pytestmark = pytest.mark.integration


async def test_the_header_shows_who_is_signed_in_with_unit_and_role(
    context: BrowserContext, site: str, account_for: Callable[[str], str]
) -> None:
    page = await sign_in(context, site, account_for("thanh-hoa.member"))
    await expect(page.locator("html")).to_have_attribute("lang", "vi")
    await expect(page.locator("#who-unit")).to_have_text("Liên hiệp Hội tỉnh Thanh Hóa")
    await expect(page.locator("#who-role")).to_have_text("Thành viên Cụm thi đua")
    await expect(page.get_by_role("heading", name="Việc cần làm")).to_be_visible()
    await picture(page, "inbox-member")


async def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(
    context: BrowserContext, site: str, account_for: Callable[[str], str]
) -> None:
    username = account_for("nghe-an.proposer")
    page = await context.new_page()
    await page.goto(f"{site}/signin")
    await page.get_by_label("Tên đăng nhập").fill(username)
    await page.get_by_label("Mật khẩu").fill("not the password")
    await page.get_by_role("button", name="Đăng nhập").click()
    await expect(page.get_by_role("alert")).to_have_text("Tên đăng nhập hoặc mật khẩu không đúng")
    await page.get_by_label("Mật khẩu").fill("whatever")
    await page.get_by_label("Tên đăng nhập").fill("nobody.at.all")
    await page.get_by_role("button", name="Đăng nhập").click()
    await expect(page.get_by_role("alert")).to_have_text("Tên đăng nhập hoặc mật khẩu không đúng")
    await picture(page, "signin-wrong")


async def test_repeated_failures_lock_the_account_until_an_admin_unlocks_it(
    context: BrowserContext,
    site: str,
    account_for: Callable[[str], str],
    accounts: Accounts,
) -> None:
    username = account_for("ha-tinh.proposer")
    page = await context.new_page()
    await page.goto(f"{site}/signin")
    for _ in range(5):
        await page.get_by_label("Tên đăng nhập").fill(username)
        await page.get_by_label("Mật khẩu").fill("wrong password")
        await page.get_by_role("button", name="Đăng nhập").click()
        await page.wait_for_load_state()
    await expect(page.get_by_role("alert")).to_contain_text("Tài khoản đã bị tạm khóa")
    # The right password does not open a locked account.
    await page.get_by_label("Tên đăng nhập").fill(username)
    await page.get_by_label("Mật khẩu").fill(PASSWORD)
    await page.get_by_role("button", name="Đăng nhập").click()
    await expect(page.get_by_role("alert")).to_contain_text("Tài khoản đã bị tạm khóa")
    await picture(page, "signin-locked")
    status = accounts.status(username)
    assert status is not None and status.locked_until is not None

    admin = await sign_in(context, site, account_for("admin"))
    await admin.goto(f"{site}/admin/accounts/{username}")
    await expect(
        admin.get_by_role("cell", name="Tạm khóa do đăng nhập sai nhiều lần")
    ).to_be_visible()
    await admin.get_by_label("Lý do").first.fill("đã xác minh qua điện thoại")
    await admin.get_by_role("button", name="Mở khóa").click()
    await admin.wait_for_url(f"{site}/admin/accounts?done=unlocked")
    await sign_out(admin)
    unlocked = await sign_in(context, site, username)
    await expect(unlocked.locator("#who-role")).to_have_text("Cán bộ lập đề nghị")
    changes = [change.what for change in accounts.changes(username)]
    assert changes[:2] == ["Unlocked", "LockedOut"]


async def test_a_form_posted_without_its_csrf_token_is_refused(
    context: BrowserContext, site: str, account_for: Callable[[str], str]
) -> None:
    page = await sign_in(context, site, account_for("ninh-binh.proposer"))
    fields = {
        "form": "vusta_certificate",
        "year": "2026",
        "nominee_kind": "individual",
        "nominee_name": "Người do trang khác gửi",
        "title": "Không được tạo",
        "key": "csrf-test",
    }
    refused = await page.request.post(f"{site}/proposals/new", form=fields, max_redirects=0)
    assert refused.status == 403
    assert "Biểu mẫu đã hết hạn" in await refused.text()
    forged = await page.request.post(
        f"{site}/proposals/new", form={**fields, "csrf": "0" * 40}, max_redirects=0
    )
    assert forged.status == 403


async def test_signing_out_ends_the_session_for_good(
    context: BrowserContext, site: str, account_for: Callable[[str], str]
) -> None:
    page = await sign_in(context, site, account_for("auditor"))
    session = [c for c in await context.cookies() if c["name"] == "awards_session"]
    assert session and session[0]["httpOnly"] and session[0]["sameSite"] == "Lax"
    await sign_out(page)
    await context.add_cookies(session)  # a copy of the cookie kept from before
    await page.goto(f"{site}/inbox")
    await expect(page).to_have_url(f"{site}/signin?next=/inbox")


async def test_demo_users_sign_in_with_the_password_awards_up_prints(
    context: BrowserContext, site: str, accounts: Accounts, runtime: Runtime
) -> None:
    seed_accounts(accounts, runtime.secret)
    seed_accounts(accounts, runtime.secret)  # a second start changes nothing
    page = await sign_in(
        context, site, "binh-dinh.member", demo_password(runtime.secret, "binh-dinh.member")
    )
    await expect(page.locator("#who-unit")).to_have_text("Liên hiệp Hội tỉnh Bình Định")
    assert [change.what for change in accounts.changes("binh-dinh.member")] == [
        "PasswordSet",
        "Opened",
    ]
