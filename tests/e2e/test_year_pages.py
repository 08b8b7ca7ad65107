"""The pages of the organisation year and the cluster's year, in a real browser: the admin's
organisation page with a refused workbook shown row by row; a cluster year launched, its
pledge signed and a score self-scored with evidence, then adjusted by the head with a reason;
a conference list ballot cast from the page, answered by its receipt and never its choices."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect

from e2e.browsing import picture, sign_in
from services.application import cluster_year as years
from services.application.directory import User
from services.application.org_export import write_workbook
from services.application.seed import demo_year
from services.runtime import Runtime
from services.web import year_steps as build

pytestmark = pytest.mark.integration

# The cluster years of these tests: 2025 is no demo year, and no other test launches them.
YEAR = 2025
PDF = b"%PDF-1.4\n% minh chung\n"
EIGHT = ["ben-tre", "vinh-long", "tien-giang", "dong-thap", "an-giang", "tra-vinh"]
NINE = ["can-tho", "soc-trang", "bac-lieu", "ca-mau", "hau-giang", "kien-giang"]


async def as_user(browser: Browser, site: str, username: str) -> tuple[BrowserContext, Page]:
    context = await browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    context.set_default_timeout(15_000)
    return context, await sign_in(context, site, username)


def pdf(name: str) -> list[dict[str, object]]:
    return [{"name": name, "mimeType": "application/pdf", "buffer": PDF + name.encode()}]


async def test_the_admin_reads_the_organisation_and_sees_a_refused_workbook_row_by_row(
    browser: Browser, site: str, account_for: Callable[[str], str]
) -> None:
    context, page = await as_user(browser, site, account_for("admin"))
    await page.get_by_role("link", name="Tổ chức", exact=True).click()
    await page.get_by_label("Năm thi đua").select_option("2024")
    await page.get_by_role("button", name="Xem").click()
    await expect(page.get_by_role("heading", name="Tổ chức năm 2024")).to_be_visible()
    cluster_6 = page.locator("#group-cum-6")
    await expect(cluster_6).to_contain_text("Liên hiệp Hội tỉnh Phú Yên")  # the head
    await expect(cluster_6).to_contain_text("Liên hiệp Hội tỉnh Bình Thuận")  # a member
    await expect(page.get_by_role("heading", name="Người dùng và vai trò")).to_be_visible()
    async with page.expect_download() as exported:
        await page.get_by_role("link", name="Xuất tệp Excel năm 2024").click()
    assert (await exported.value).suggested_filename == "to-chuc-2024.xlsx"
    async with page.expect_download() as template:
        await page.get_by_role("link", name="Tải tệp mẫu trống").click()
    assert (await template.value).suggested_filename == "to-chuc-mau.xlsx"
    content = demo_year(2024)
    bad = content.with_group(replace(content.groups[1], head="lhh-can-tho"))  # not a member
    await page.get_by_label("Tệp Excel (.xlsx) năm 2024").set_input_files(
        files=[{"name": "to-chuc.xlsx", "mimeType": "application/octet-stream",
                "buffer": write_workbook(2024, bad)}]
    )  # fmt: skip
    await page.get_by_label("Lý do").fill("thử nhập tệp sai")
    await page.get_by_role("button", name="Nhập tệp Excel").click()
    await expect(page.get_by_role("alert")).to_contain_text("Tệp Excel không được nhập")
    rows = page.locator("#refused-rows tbody tr")
    await expect(rows).to_have_count(1)
    await expect(rows.first.locator("td")).to_have_text(
        [re.compile("Cụm-Khối"), "6", "D", re.compile(".+")]
    )
    await picture(page, "organisation-refused")
    await expect(cluster_6).to_contain_text("Liên hiệp Hội tỉnh Phú Yên")  # nothing changed
    await context.close()


async def test_a_member_signs_and_self_scores_and_the_head_adjusts_with_a_reason(
    browser: Browser, site: str, account_for: Callable[[str], str]
) -> None:
    url = f"{site}/years/{YEAR}/clusters/cum-8"
    context, page = await as_user(browser, site, account_for("vusta.secretary"))
    await page.goto(url)
    await expect(page.locator("#stage")).to_contain_text("chưa được phát động")
    await page.get_by_label(re.compile("^Kế hoạch năm")).set_input_files(files=pdf("ke-hoach.pdf"))
    await page.get_by_label("Cụm trưởng").select_option("lhh-ben-tre")
    await page.get_by_label("Cụm phó").select_option("lhh-vinh-long")
    await page.get_by_role("button", name="Phát động năm thi đua").click()
    await expect(page.get_by_role("status")).to_have_text("Đã phát động năm thi đua.")
    await context.close()

    context, head = await as_user(browser, site, account_for("ben-tre.member"))
    await head.goto(url)
    await head.get_by_label("Lý do").fill("theo mẫu của Liên hiệp Hội")
    await head.get_by_role("button", name="Ban hành tiêu chí").click()
    await expect(head.get_by_role("status")).to_have_text("Đã ban hành tiêu chí.")
    await head.get_by_role("button", name=re.compile("^Mở chấm điểm")).click()
    await expect(head.locator("#stage")).to_have_text("chấm điểm")

    member_context, member = await as_user(browser, site, account_for("tien-giang.member"))
    await member.get_by_role("link", name="Năm thi đua của Cụm", exact=True).click()
    await expect(member).to_have_url(url)
    await member.get_by_role("button", name="Ký giao ước cho đơn vị").click()
    await expect(member.get_by_role("status")).to_have_text("Đơn vị đã ký giao ước.")
    await expect(member.locator("#pledges")).to_contain_text("tien-giang.member")
    await member.get_by_label("Tiêu chí", exact=True).select_option("A1")
    await member.get_by_role("spinbutton", name="Điểm", exact=True).fill("25")
    await member.get_by_label("Tệp minh chứng").set_input_files(files=pdf("minh-chung.pdf"))
    await member.get_by_role("button", name="Ghi điểm tự chấm").click()
    await expect(member.get_by_role("status")).to_have_text("Đã ghi điểm tự chấm của đơn vị.")
    score = member.locator("#score-lhh-tien-giang-A1")
    await expect(score).to_contain_text("minh-chung.pdf")

    await head.goto(url)
    await head.locator("#adjust-member").select_option("lhh-tien-giang")
    await head.locator("#adjust-criterion").select_option("A1")
    await head.get_by_label("Điểm điều chỉnh").fill("18")
    await head.get_by_label("Lý do điều chỉnh").fill("thiếu minh chứng quý IV")
    await head.get_by_role("button", name="Điều chỉnh", exact=True).click()
    await expect(head.get_by_role("status")).to_have_text("Đã ghi nhận điều chỉnh kèm lý do.")
    adjusted = head.locator("#score-lhh-tien-giang-A1")
    await expect(adjusted).to_contain_text("18 — thiếu minh chứng quý IV")
    await expect(adjusted.locator("td").first).to_have_text("Liên hiệp Hội tỉnh Tiền Giang")
    await picture(head, "cluster-year-adjusted")
    await member.reload()  # the member sees both values and may contest once
    await expect(member.get_by_role("button", name="Đề nghị xem xét lại")).to_be_visible()
    await member_context.close()
    await context.close()


async def _to_voting(runtime: Runtime) -> tuple[str, str]:
    """Cụm 9's year brought to its conference through the use cases: answers the Flag and
    the Certificate candidates (the first two of the ranking)."""

    def user(name: str) -> User:
        found = runtime.directory.user(name)
        assert found is not None
        return found

    units = [f"lhh-{slug}" for slug in NINE]
    head = user("can-tho.member")
    plan = {"document_id": "ke-hoach", "sha256": "e" * 64}
    await years.launch(
        runtime, user("vusta.secretary"), YEAR, "cum-9", plan, units[0], units[1], "e2e:launch"
    )
    template = build.criteria_templates(runtime)[0].code
    steps: list[tuple[User, years.Build, str]] = [
        (head, build.criteria(runtime, template, "mẫu"), "criteria"),
        (head, build.open_scoring(), "scoring"),
    ]
    evidence = [{"document_id": "bao-cao", "sha256": "e" * 64}]
    for n, slug in enumerate(NINE):
        steps.append((user(f"{slug}.member"), build.self_score("A1", 10 + n, evidence), slug))
    year_end = years.year_end_command(runtime, YEAR, "cum-9", [], "tổng kết")
    steps.append((head, year_end, "year-end"))
    for who, step, key in steps:
        await years.take_step(runtime, who, YEAR, "cum-9", step, f"e2e:{key}")
    flag, certificate = units[-1], units[-2]  # the highest self-scores
    propose = build.candidates(flag, [certificate], "hội nghị")
    await years.take_step(runtime, head, YEAR, "cum-9", propose, "e2e:candidates")
    return flag, certificate


async def test_a_conference_ballot_cast_from_the_page_answers_with_its_receipt_only(
    browser: Browser, site: str, runtime: Runtime, account_for: Callable[[str], str]
) -> None:
    flag, certificate = await _to_voting(runtime)  # the session's database is fresh
    context, page = await as_user(browser, site, account_for("bac-lieu.member"))
    await page.goto(f"{site}/years/{YEAR}/clusters/cum-9")
    await expect(page.locator("#stage")).to_have_text("bỏ phiếu tại hội nghị")
    ballot = page.locator("form.ballot")
    await expect(ballot.locator("fieldset")).to_have_count(2)
    await (
        ballot.get_by_role("group", name=re.compile("^Cờ thi đua"))
        .get_by_label("Tán thành", exact=True)
        .check()
    )
    await (
        ballot.get_by_role("group", name=re.compile("^Bằng khen"))
        .get_by_label("Không tán thành")
        .check()
    )
    await picture(page, "conference-ballot")
    await page.get_by_role("button", name="Bỏ phiếu").click()
    await expect(
        page.get_by_role("heading", name="Phiếu của anh/chị đã được ghi nhận")
    ).to_be_visible()
    assert len(await page.locator("#receipt").inner_text()) > 20
    main = await page.locator("main").inner_text()
    assert "Tán thành" not in main and "Không tán thành" not in main
    await page.get_by_role("link", name="Quay lại năm thi đua của Cụm").click()
    await expect(page.get_by_text("Đơn vị đã bỏ phiếu.")).to_be_visible()
    await expect(page.locator("form.ballot")).to_have_count(0)
    assert flag != certificate
    await context.close()

    context, own = await as_user(browser, site, account_for("kien-giang.member"))
    await own.goto(f"{site}/years/{YEAR}/clusters/cum-9")  # the Flag candidate's own unit
    await expect(own.locator("form.ballot fieldset")).to_have_count(1)
    await context.close()

    context, outsider = await as_user(browser, site, account_for("thanh-hoa.member"))
    answer = await outsider.goto(f"{site}/years/{YEAR}/clusters/cum-9")  # Cụm 4's member
    assert answer is not None and answer.status == 404
    await context.close()
