"""The printer page in a real browser (Debian's chromium, headless, JavaScript off) against
`vanbang serve`: a clerk reads the calibration, sets it with Vietnamese decimals, gets a
message beside the field for a value out of range or not a number, and test-prints the
calibration page, which follows the setting. VANBANG_SCREENSHOTS=DIR keeps the screens."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator

import pdfplumber
import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page

from tests.browsing import (
    accessibility_violations,
    desktop_page,
    screen,
    type_sign_in,
)
from tests.running import Running
from tests.staff import CLERK_LOGIN

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(loop_scope="module")
async def page(browser: Browser, server: Running) -> AsyncIterator[Page]:
    async with desktop_page(browser, server.base) as opened:
        await opened.goto("/dang-nhap")
        await type_sign_in(opened, *CLERK_LOGIN)
        yield opened


async def test_a_clerk_calibrates_the_printer_and_test_prints(page: Page) -> None:
    await page.goto("/quan-ly/may-in")
    body = await page.inner_text("main")
    assert "Căn chỉnh máy in" in body
    assert "Chưa căn chỉnh" in body
    assert "Phôi bằng tốt nghiệp THCS, THPT" in body
    assert await accessibility_violations(page) == []
    await screen(page, "console-printer")

    await page.fill("#offset_x", "2,5")
    await page.fill("#offset_y", "−1")
    await page.fill("#scale", "1")
    await page.click("main form button[type=submit]")
    body = await page.inner_text("main")
    assert "Đã lưu" in body
    assert "Lệch ngang (mm): 2,5" in body
    test_print = await page.request.get("/quan-ly/may-in/can-chinh.pdf?layout=pho-thong")
    assert test_print.status == 200
    assert test_print.headers["content-type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(await test_print.body())) as pdf:
        assert "lệch ngang 2,5 mm, lệch dọc -1 mm" in pdf.pages[0].extract_text()

    await page.fill("#offset_x", "25")
    await page.fill("#scale", "một")
    await page.click("main form button[type=submit]")
    assert "Phải nhỏ hơn hoặc bằng 20" in await page.inner_text("#offset_x-error")
    assert "Nhập một số" in await page.inner_text("#scale-error")
    assert "Lệch ngang (mm): 2,5" in await page.inner_text("main")  # nothing written
    await screen(page, "console-printer-errors")

    await page.goto("/quan-ly/may-in?lang=en")
    english = await page.inner_text("main")
    assert "Printer calibration" in english
    assert "Horizontal offset (mm): 2.5" in english
    await screen(page, "console-printer", "en")
