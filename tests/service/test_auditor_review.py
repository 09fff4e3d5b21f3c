"""An auditor's review in a real browser (issue 16): Debian's chromium, headless, JavaScript
off, driven by Playwright against `vanbang serve` on a real port. The department's register
is seeded through the API as its clerk works; the ministry's auditor then signs in, reads the
overview, opens an anomaly, drills down to the decision and a diploma (read-only), marks the
anomaly reviewed with a note, reads the department's register and downloads it, whose cells
openpyxl reads as dates and numbers. Every screen passes the checks of tests/browsing.py;
VANBANG_SCREENSHOTS=DIR keeps each (docs/screenshots). Last, the yearly report of the department,
on screen, as a workbook and as a PDF."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import aiohttp
import openpyxl
import pytest
import pytest_asyncio
from openpyxl.utils import get_column_letter
from playwright.async_api import Browser, Page, expect

from service.domain.clock import VIETNAM
from tests.browsing import desktop_page, path_of, screen, type_sign_in
from tests.conftest import CLERK, bearer
from tests.factories import decision_request
from tests.running import Running
from tests.staff import AUDITOR_LOGIN, DEMO

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def seeded(server: Running) -> dict[str, Any]:
    """The department's clerk registers a decision late (decided in 2025, registered now)
    and revokes one of its diplomas."""
    async with aiohttp.ClientSession(server.base, headers=bearer(CLERK)) as session:
        async with session.post(
            "/api/v1/graduation-decisions", json=decision_request(12)
        ) as answer:
            assert answer.status == 201, await answer.text()
            registered: dict[str, Any] = await answer.json()
        revoked = registered["diplomas"][3]
        revocation = {
            "decision_number": "45/QĐ-SGDĐT",
            "decided_on": "2025-10-01",
            "authority": "Sở Giáo dục và Đào tạo Hà Nội",
            "ground": "fraud",
            "reason": "Gian lận trong thi cử",
        }
        async with session.post(
            f"/api/v1/diplomas/{revoked['id']}/revocations", json=revocation
        ) as answer:
            assert answer.status == 201, await answer.text()
    return registered


@pytest_asyncio.fixture(loop_scope="module")
async def page(browser: Browser, server: Running) -> AsyncIterator[Page]:
    async with desktop_page(browser, server.base, accept_downloads=True) as opened:
        yield opened


async def test_an_auditors_review(page: Page, seeded: dict[str, Any]) -> None:
    await page.goto("/dang-nhap")
    await type_sign_in(page, *AUDITOR_LOGIN)
    assert path_of(page) == "/giam-sat"  # an auditor lands on the overview
    year = datetime.now(VIETNAM).year  # the overview's year, in Vietnam time
    await expect(page.get_by_role("heading", level=1)).to_have_text("Giám sát các đơn vị")
    hanoi = page.locator("tbody tr", has_text="Sở Giáo dục và Đào tạo Hà Nội (SGDDT-HN)")
    await expect(hanoi.locator("td").first).to_have_text("12")
    await expect(
        page.get_by_role("img", name=f"Văn bằng đăng ký theo tháng, năm {year}")
    ).to_be_visible()
    await screen(page, "auditor-overview")

    # The late registration, explained with its article, opened down to its records.
    await page.get_by_role("link", name="Dấu hiệu bất thường").first.click()
    late = page.get_by_role("region", name="Đăng ký quá thời hạn")
    await expect(late).to_contain_text("Điều 17")
    await screen(page, "auditor-anomalies")
    await late.get_by_role("link", name="Xem", exact=True).first.click()
    assert path_of(page).startswith("/quan-ly/quyet-dinh/")
    await expect(page.locator("table tbody tr")).to_have_count(12)
    await screen(page, "auditor-decision")
    serial = seeded["diplomas"][3]["serial"]
    await page.get_by_role("link", name=serial).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"Văn bằng số hiệu {serial}")
    await expect(page.locator("main")).to_contain_text("Đã thu hồi")
    await expect(page.locator("main form[method=post]")).to_have_count(0)  # read-only
    await screen(page, "auditor-diploma")

    # Marked reviewed with a note: still listed, as reviewed by whom.
    await page.goto("/giam-sat/bat-thuong")
    late = page.get_by_role("region", name="Đăng ký quá thời hạn")
    await late.get_by_label("Ghi chú xem xét").first.fill("Đã làm việc với Sở; lý do: chờ phôi.")
    async with page.expect_navigation():
        await late.get_by_role("button", name="Đánh dấu đã xem xét").first.click()
    await expect(page.get_by_role("status")).to_have_text("Đã ghi nhận việc xem xét.")
    reviewed = late.locator(".reviewed").first
    await expect(reviewed).to_contain_text(f"Đã xem xét: {DEMO['auditor']['display_name']}")
    await expect(reviewed).to_contain_text("chờ phôi")
    await screen(page, "auditor-reviewed")

    # The department's register, read and downloaded.
    await page.get_by_role("link", name="Sổ gốc", exact=True).click()
    await page.get_by_label("Đơn vị").select_option("SGDDT-HN")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Xem sổ").click()
    entries = page.get_by_role("region", name="Các dòng trong sổ").locator("tbody tr")
    await expect(entries).to_have_count(12)
    await expect(entries.nth(3)).to_contain_text("Thu hồi theo QĐ 45/QĐ-SGDĐT ngày 01/10/2025")
    await screen(page, "auditor-register")
    async with page.expect_download() as downloading:
        await page.get_by_role("link", name="Tải sổ gốc (Excel)").click()
    download = await downloading.value
    assert download.suggested_filename == "so-goc-SGDDT-HN.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(Path(await download.path()).read_bytes())).active
    assert sheet is not None
    headings = [c.value for c in sheet[2]]
    first = {h: c for h, c in zip(headings, sheet[3], strict=True)}
    assert first["STT"].data_type == "n"
    assert first["Năm tốt nghiệp"].value == 2025
    assert first["Ngày sinh"].number_format == "dd/mm/yyyy"
    assert isinstance(first["Ngày cấp"].value, date)
    assert first["Họ và tên"].data_type == "s"
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == f"A2:{get_column_letter(len(headings))}14"

    # The yearly report, for the department: on screen, then as a workbook and a PDF.
    await page.get_by_role("link", name="Báo cáo năm", exact=True).first.click()
    await page.get_by_label("Đơn vị báo cáo", exact=True).select_option("SGDDT-HN")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Xem báo cáo").click()
    await expect(page.locator("main")).to_contain_text("Sở Giáo dục và Đào tạo Hà Nội")
    await screen(page, "auditor-report")
    async with page.expect_download() as downloading:
        await page.get_by_role("link", name="Tải về (Excel)").click()
    report = await downloading.value
    book = openpyxl.load_workbook(io.BytesIO(Path(await report.path()).read_bytes()))
    figures = [c for row in book.worksheets[0].iter_rows() for c in row if c.data_type == "n"]
    assert any(c.value == 12 for c in figures)  # the twelve diplomas, a number cell
    pdf = await page.request.get(
        await page.get_by_role("link", name="Tải về (PDF)").get_attribute("href") or ""
    )
    assert pdf.headers["content-type"] == "application/pdf"
    assert (await pdf.body()).startswith(b"%PDF-")
