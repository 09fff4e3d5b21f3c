"""A clerk's day in a real browser (issue 15): Debian's chromium, headless, JavaScript off,
driven by Playwright as a clerk works, against `vanbang serve` on a real port: sign in, upload
the decision's workbook with three mistakes, read them by row and column, fix them, confirm,
find the decision's graduate, record a handover, correct one diploma, revoke another, print
the decision's list. Every screen on the way is in Vietnamese, fits a phone and passes
axe-core's WCAG 2.1 AA rules; VANBANG_SCREENSHOTS=DIR keeps each (docs/screenshots)."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, expect

from service.domain.clock import VIETNAM
from tests.browsing import (
    accessibility_violations,
    desktop_page,
    path_of,
    screen,
    type_sign_in,
)
from tests.conftest import EXAMPLES
from tests.running import Running
from tests.staff import CLERK_LOGIN

pytestmark = pytest.mark.asyncio(loop_scope="module")

GRADUATES = 30  # in docs/examples/graduation-decision.xlsx


@pytest_asyncio.fixture(loop_scope="module")
async def page(browser: Browser, server: Running) -> AsyncIterator[Page]:
    """A desktop browser set to Vietnamese, JavaScript off: the console works without it."""
    async with desktop_page(browser, server.base, accept_downloads=True) as opened:
        yield opened


def filled_template(template: bytes, mistakes: dict[tuple[int, str], Any]) -> bytes:
    """The downloaded template filled in as a clerk does: the example decision's rows copied
    under its headings (matched by name, a required one's " *" aside), then `mistakes` typed
    over the cells they name: (graduate's row, counting from 1; heading) -> value."""
    example = openpyxl.load_workbook(EXAMPLES / "graduation-decision.xlsx").worksheets[0]
    rows = list(example.iter_rows(values_only=True))
    book = openpyxl.load_workbook(io.BytesIO(template))
    sheet = book["Danh sách"]
    headings = [str(c.value or "").removesuffix("*").strip() for c in sheet[1]]
    for r, values in enumerate(rows[1:], start=2):
        for header, value in zip(rows[0], values, strict=True):
            if value is not None:
                sheet.cell(row=r, column=headings.index(str(header)) + 1).value = value
    for (row, header), value in mistakes.items():
        sheet.cell(row=row + 1, column=headings.index(header) + 1).value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def upload(page: Page, tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "danh-sach-tot-nghiep.xlsx"
    path.write_bytes(data)
    await page.locator("input#file").set_input_files(path)
    async with page.expect_navigation():
        await page.get_by_role("region", name="Tệp danh sách").locator("button").click()


async def check_and_sign(page: Page, name: str | None = None) -> None:
    """A lifecycle form's two steps: the check, then the confirmation that signs it (looked
    at as screen `name`, when named)."""
    async with page.expect_navigation():
        await page.get_by_role("button", name="Kiểm tra", exact=True).click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Kiểm tra lại trước khi ký")
    if name:
        await screen(page, name)
    async with page.expect_navigation():
        await page.get_by_role("button", name="Xác nhận và ký").click()


async def test_a_clerks_day(page: Page, tmp_path: Path) -> None:
    today = datetime.now(VIETNAM).strftime("%d/%m/%Y")  # the date the form fills in (Vietnam)
    await page.goto("/dang-nhap")
    await type_sign_in(page, *CLERK_LOGIN)
    assert path_of(page) == "/quan-ly"
    await screen(page, "console-home")

    # The workbook with three mistakes: a date that does not exist, a gender as no one
    # writes it, a name left out.
    await page.get_by_role("link", name="Đăng ký quyết định").first.click()
    await screen(page, "console-register")
    async with page.expect_download() as downloading:
        await page.get_by_role("link", name="Tải tệp mẫu Excel").click()
    template = Path(await (await downloading.value).path()).read_bytes()
    wrong = {(3, "Ngày sinh"): "31/02/2007", (5, "Giới tính"): "Nam giới", (8, "Họ và tên"): None}
    await upload(page, tmp_path, filled_template(template, wrong))
    errors = page.locator("table.errors tbody tr")
    await expect(errors).to_have_count(3)
    rows = [await row.locator("td").all_inner_texts() for row in await errors.all()]
    assert [(r[0], r[1]) for r in rows] == [
        ("4", "Ngày sinh *"),
        ("6", "Giới tính *"),
        ("9", "Họ và tên *"),
    ], rows  # the rows as the workbook numbers them, the columns as its headings say
    assert "Nam" in rows[1][4]
    assert "Nữ" in rows[1][4]  # the choices, in Vietnamese
    await screen(page, "console-register-errors")

    # Fixed, checked again: the preview, then the registration.
    await upload(page, tmp_path, filled_template(template, {}))
    assert path_of(page).startswith("/quan-ly/dang-ky/")
    await expect(page.get_by_role("heading", level=1)).to_be_visible()
    await screen(page, "console-preview")
    async with page.expect_navigation():
        await page.get_by_role("button", name=f"Xác nhận đăng ký {GRADUATES} văn bằng").click()
    assert path_of(page).startswith("/quan-ly/quyet-dinh/")
    await expect(page.locator("table tbody tr")).to_have_count(GRADUATES)
    await screen(page, "console-decision")
    decision = path_of(page).split("?")[0]

    # The check sheet and the print onto the blanks: real PDFs.
    blank_href = await page.get_by_role("link", name="In lên phôi (PDF)").get_attribute("href")
    assert blank_href
    assert "document=blank" in blank_href
    on_blanks = await page.request.get(blank_href)
    assert on_blanks.headers["content-type"] == "application/pdf"
    href = await page.get_by_role("link", name="Phiếu kiểm tra (PDF)").get_attribute("href")
    assert href
    printed = await page.request.get(href)  # the browser's session: what the link opens
    assert printed.headers["content-type"] == "application/pdf"
    assert (await printed.body()).startswith(b"%PDF-")

    # A graduate comes for the diploma, and the clerk types the name as it comes, without
    # diacritics: found, and handed over, as Art. 13 records it.
    await page.get_by_role("link", name="Tra cứu văn bằng").click()
    await page.get_by_label("Họ tên, số hiệu hoặc số vào sổ").fill("tran duc anh")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Tìm", exact=True).click()
    await expect(page.locator("main tbody tr")).to_have_count(1)
    await screen(page, "console-search")
    await page.get_by_role("link", name="HN25-012302").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Văn bằng số hiệu HN25-012302")
    await screen(page, "console-diploma")
    # One diploma printed on its own: onto the blank, by the kind's layout.
    blank = await page.get_by_role("link", name="In lên phôi").first.get_attribute("href")
    assert blank
    assert "layout=pho-thong" in blank
    on_blank = await page.request.get(blank)
    assert on_blank.headers["content-type"] == "application/pdf"
    assert (await on_blank.body()).startswith(b"%PDF-")
    await page.get_by_role("link", name="Ghi nhận bàn giao văn bằng").click()
    await expect(page.get_by_label("Ngày nhận")).to_have_value(today)
    await page.get_by_label("Họ và tên người nhận").fill("Trần Đức Anh")
    await page.get_by_label("Người nhận là").select_option(label="Chính người được cấp văn bằng")
    await page.get_by_label("Cán bộ bàn giao").fill("Nguyễn Thị Lan")
    await screen(page, "console-handover")
    await check_and_sign(page)
    await expect(page.get_by_role("status")).to_contain_text("Ghi nhận bàn giao văn bằng")
    await expect(page.locator("main")).to_contain_text(f"Bàn giao cho Trần Đức Anh ngày {today}")

    # One diploma's name is corrected, by the department's decision.
    await page.goto(decision)
    await page.get_by_role("link", name="HN25-012303").click()
    await page.get_by_role("link", name="Chỉnh sửa văn bằng").click()
    await page.get_by_label("Số quyết định").fill("15/QĐ-SGDĐT")
    await page.get_by_label("Ngày quyết định").fill("01/10/2025")
    await page.get_by_label("Người ký quyết định").fill("Nguyễn Văn Minh")
    await page.get_by_label("Chức vụ người ký").fill("Giám đốc")
    await page.get_by_label("Căn cứ theo quy định").select_option(index=1)
    await page.get_by_label("Nội dung, lý do cụ thể").fill("Cải chính họ tên theo trích lục")
    await page.get_by_label("Họ và tên mới").fill("Lê Hoàng Bảo Trâm")
    await check_and_sign(page, "console-correction-confirm")
    await expect(page.locator("main")).to_contain_text("Lê Hoàng Bảo Trâm")
    await expect(page.locator("main")).to_contain_text("Chỉnh sửa theo quyết định 15/QĐ-SGDĐT")
    change = page.locator("ol.history tr", has_text="Họ và tên")
    await expect(change.locator("td")).to_have_text(["Lê Hoàng Bảo Châu", "Lê Hoàng Bảo Trâm"])
    await screen(page, "console-corrected")

    # Another is revoked: from then on it offers nothing more.
    await page.goto(decision)
    await page.get_by_role("link", name="HN25-012304").click()
    await page.get_by_role("link", name="Thu hồi, hủy bỏ văn bằng").click()
    await page.get_by_label("Số quyết định").fill("9/QĐ-SGDĐT")
    await page.get_by_label("Ngày quyết định").fill("01/10/2025")
    await page.get_by_label("Cơ quan ra quyết định").fill("Sở Giáo dục và Đào tạo Hà Nội")
    await page.get_by_label("Căn cứ theo quy định").select_option(index=1)
    await page.get_by_label("Nội dung, lý do cụ thể").fill("Gian lận trong thi cử")
    await check_and_sign(page)
    await expect(page.locator("main")).to_contain_text("Đã thu hồi")
    await expect(page.get_by_role("link", name="Ghi nhận bàn giao văn bằng")).to_have_count(0)
    await screen(page, "console-revoked")


async def test_the_accessibility_check_finds_what_is_wrong(page: Page) -> None:
    """The check above is not vacuous: a page with an unlabelled field and an image without
    a text alternative fails it, each rule named."""
    await page.goto("data:text/html,<html lang=vi><title>x</title><img src=a.png><input></html>")
    found = await accessibility_violations(page)
    assert any(v.startswith("image-alt:") for v in found), found
    assert any(v.startswith("label:") for v in found), found


async def test_blanks_received_through_the_console(page: Page) -> None:
    await page.goto("/dang-nhap")
    await type_sign_in(page, *CLERK_LOGIN)
    await page.get_by_role("link", name="Phôi văn bằng").click()
    await screen(page, "console-blanks-empty")
    await page.get_by_role("link", name="Nhận phôi văn bằng").click()
    await page.get_by_label("Loại văn bằng").select_option(
        label="Bằng tốt nghiệp trung học phổ thông"
    )
    await page.get_by_label("Số hiệu đầu").fill("T000001")
    await page.get_by_label("Số hiệu cuối").fill("T000500")
    await page.get_by_label("Phiếu giao, quyết định kèm theo").fill("12/PGP-SGDĐT")
    await screen(page, "console-blanks-receive")
    await check_and_sign(page)
    assert path_of(page).startswith("/quan-ly/phoi?da-ghi=nhan-phoi")
    row = page.locator("tbody tr", has_text="Bằng tốt nghiệp trung học phổ thông")
    await expect(row.locator("td").nth(2)).to_have_text("500")  # received
    await screen(page, "console-blanks")
