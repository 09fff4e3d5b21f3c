"""The personal identification number's staff screens in a real browser (Debian's chromium,
headless, JavaScript off) against `vanbang serve`: the diploma page shows it masked, "Hiện"
shows it whole (journalled), and the lookup finds the person's diploma. Each screen is in
Vietnamese, fits a phone and passes axe-core's WCAG 2.1 AA rules; VANBANG_SCREENSHOTS=DIR
keeps them (docs/screenshots)."""

from __future__ import annotations

import aiohttp
import pytest
from playwright.async_api import Page

from tests.browsing import screen, type_sign_in
from tests.conftest import CLERK, bearer
from tests.factories import decision_request
from tests.running import Running
from tests.staff import CLERK_LOGIN

pytestmark = pytest.mark.asyncio(loop_scope="module")

NUMBER = "001307004217"


async def test_masked_revealed_and_found(page: Page, server: Running) -> None:
    data = decision_request(2)
    data["graduates"][0]["personal_id"] = NUMBER
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{server.base}/api/v1/graduation-decisions", json=data, headers=bearer(CLERK)
        ) as response,
    ):
        assert response.status == 201
        diploma_id = (await response.json())["diplomas"][0]["id"]
    await page.goto("/dang-nhap")
    await type_sign_in(page, *CLERK_LOGIN)

    await page.goto(f"/quan-ly/van-bang/{diploma_id}")
    masked = page.locator(".personal-id")
    assert await masked.inner_text() == "••••••••4217"
    assert NUMBER not in await page.content()
    await screen(page, "diploma-personal-id")

    await page.get_by_role("button", name="Hiện").click()
    assert await page.locator("dd.personal-id").inner_text() == NUMBER
    await screen(page, "personal-id-shown")

    await page.get_by_role("link", name="Tra cứu theo số định danh").first.click()
    await page.get_by_label("Số định danh cá nhân").fill("001307")
    await page.get_by_role("button", name="Tra cứu", exact=True).click()
    assert "12 chữ số" in await page.content()
    await screen(page, "personal-id-lookup-error")
    await page.get_by_label("Số định danh cá nhân").fill(NUMBER)
    await page.get_by_role("button", name="Tra cứu", exact=True).click()
    assert "Tìm thấy 1 văn bằng" in await page.content()
    assert NUMBER not in await page.content()
    await screen(page, "personal-id-lookup")
