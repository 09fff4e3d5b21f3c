"""The digital diplomas' deadline on screen (test_digital_due.py checks the figures): the
console home's flag for a decision whose digital diplomas are late, and the decision's
page saying how far they are, in a real browser (Debian's chromium, JavaScript off), in
Vietnamese and English, fitting a phone and passing axe-core's WCAG 2.1 AA rules;
VANBANG_SCREENSHOTS=DIR keeps each (docs/screenshots)."""

from __future__ import annotations

from typing import Any

import aiohttp
import asyncpg
import pytest
from playwright.async_api import Page, expect

from tests.browsing import path_of, screen, type_sign_in
from tests.conftest import ADMIN, bearer
from tests.running import Running
from tests.service.test_digital_due import _decided, school_clerk

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_a_late_decision_on_the_home_and_its_page(page: Page, server: Running) -> None:
    # By the operator's token: no job is queued, so its digital diplomas stay unmade.
    late, _ = _decided(20, "21/QĐ-THPT-CVA", "L")
    url = f"{server.base}/api/v1/graduation-decisions"
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json=late, headers=bearer(ADMIN)) as response,
    ):
        assert response.status == 201, await response.text()
        registered: dict[str, Any] = await response.json()
    conn = await asyncpg.connect(server.db_url)
    try:
        login = await school_clerk(conn)
    finally:
        await conn.close()
    await page.goto("/dang-nhap")
    await type_sign_in(page, *login)
    assert path_of(page) == "/quan-ly"
    attention = page.get_by_role("region", name="Cần chú ý")
    await expect(attention).to_contain_text("Văn bằng số chưa tạo đủ")
    await expect(attention).to_contain_text("3/3 văn bằng chưa có văn bằng số")
    await screen(page, "console-home-digital-due")
    await page.goto("/quan-ly?lang=en")
    await expect(page.get_by_role("region", name="Needs attention")).to_contain_text(
        "3 of 3 diplomas have no digital diploma yet"
    )
    await screen(page, "console-home-digital-due", "en")
    await page.goto("/quan-ly")
    await page.get_by_role("link", name="21/QĐ-THPT-CVA").first.click()
    assert path_of(page) == f"/quan-ly/quyet-dinh/{registered['id']}"
    await expect(page.locator("main")).to_contain_text("Đã tạo 0/3")
    await screen(page, "console-decision-digital")
    await page.goto(f"/quan-ly/quyet-dinh/{registered['id']}?lang=en")
    await expect(page.locator("main")).to_contain_text("0 of 3 made")
    await screen(page, "console-decision-digital", "en")
