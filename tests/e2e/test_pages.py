"""The pages around the steps: English on request, accounts opened by an admin, switching roles,
403 for another role's page, and a phone-sized screen."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.async_api import BrowserContext, expect

from e2e.browsing import picture, sign_in, sign_out

pytestmark = pytest.mark.integration


async def test_english_is_switched_on_by_the_reader_and_stays(
    context: BrowserContext, site: str, account_for: Callable[[str], str]
) -> None:
    page = await sign_in(context, site, account_for("president"))
    await page.get_by_label("Ngôn ngữ").select_option("en")
    await expect(page.get_by_role("heading", name="Inbox")).to_be_visible()
    await expect(page.locator("html")).to_have_attribute("lang", "en")
    await page.get_by_role("link", name="Proposals").click()
    await expect(page.get_by_role("heading", name="Proposals")).to_be_visible()


async def test_an_account_opened_by_an_admin_changes_its_password_then_switches_roles(
    context: BrowserContext, site: str, account_for: Callable[[str], str]
) -> None:
    admin = await sign_in(context, site, account_for("admin"))
    await admin.get_by_role("link", name="Tài khoản").click()
    await admin.get_by_label("Tên đăng nhập").fill("quang-binh.officer")
    await admin.get_by_label("Họ và tên").fill("Phan Thị Hồng")
    await admin.get_by_label("Đơn vị").select_option(label="Liên hiệp Hội tỉnh Quảng Bình")
    await admin.get_by_label("Cán bộ lập đề nghị").check()
    await admin.get_by_label("Thành viên Cụm thi đua").check()
    await admin.get_by_label("Mật khẩu ban đầu", exact=False).fill("tạm-thời-2026")
    await admin.get_by_label("Lý do").fill("cán bộ mới nhận nhiệm vụ")
    await admin.get_by_role("button", name="Mở tài khoản", exact=True).click()
    await expect(admin.get_by_role("status")).to_contain_text("Đã mở tài khoản")
    await sign_out(admin)

    page = await context.new_page()
    await page.goto(f"{site}/signin")
    await page.get_by_label("Tên đăng nhập").fill("quang-binh.officer")
    await page.get_by_label("Mật khẩu").fill("tạm-thời-2026")
    await page.get_by_role("button", name="Đăng nhập").click()
    await page.wait_for_url(f"{site}/password?first=1")
    await page.get_by_label("Mật khẩu hiện tại").fill("tạm-thời-2026")
    await page.get_by_label("Mật khẩu mới (ít nhất 10 ký tự)").fill("mật-khẩu-riêng-2026")
    await page.get_by_label("Nhập lại mật khẩu mới").fill("mật-khẩu-riêng-2026")
    await page.get_by_role("button", name="Đổi mật khẩu").click()
    await expect(page.get_by_role("status")).to_have_text("Đã đổi mật khẩu.")
    await expect(page.get_by_role("link", name="Lập đề nghị mới")).to_be_visible()
    await page.get_by_label("Vai trò đang dùng").select_option("cluster_member")
    await page.get_by_role("button", name="Chuyển").click()
    await expect(page.get_by_label("Vai trò đang dùng")).to_have_value("cluster_member")
    await expect(page.get_by_role("link", name="Lập đề nghị mới")).to_have_count(0)
    await picture(page, "switched-role")


async def test_a_page_of_another_role_answers_403_in_words(
    context: BrowserContext, site: str, account_for: Callable[[str], str]
) -> None:
    page = await sign_in(context, site, account_for("council.2"))
    answer = await page.goto(f"{site}/proposals/new")
    assert answer is not None and answer.status == 403
    await expect(page.get_by_role("alert")).to_have_text("Trang này dành cho vai trò khác")
    answer = await page.goto(f"{site}/admin/accounts")
    assert answer is not None and answer.status == 403


async def test_the_pages_fit_a_phone_screen(
    context: BrowserContext, site: str, account_for: Callable[[str], str]
) -> None:
    page = await sign_in(context, site, account_for("vusta.secretary"))
    await page.set_viewport_size({"width": 390, "height": 844})
    for path in ("/inbox", "/proposals"):
        await page.goto(f"{site}{path}")
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width} px wide on a 390 px phone"
        await picture(page, f"phone{path.replace('/', '-')}")
