"""Custody of a register in a real browser (Debian's chromium, headless, JavaScript off) against
`vanbang serve` holding the demo's transfer (`vanbang demo`: PGDDT-BD's register in the
department's custody since 01/07/2025): the public page of one of its diplomas names both the
issuer and the current custodian, and the department's supervision page lists the transfer.
VANBANG_SCREENSHOTS=DIR keeps the screens (docs/screenshots)."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator

import aiohttp
import asyncpg
import pytest
import pytest_asyncio
from PIL import Image
from playwright.async_api import Browser, Page

from tests.browsing import accessibility_violations, desktop_page, screen, type_sign_in
from tests.conftest import CLERK, bearer
from tests.pg import Databases
from tests.qr import decode_qr
from tests.running import Running, run_vanbang, running_service
from tests.staff import ADMIN_LOGIN

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def server(databases: Databases) -> AsyncIterator[tuple[Running, str]]:
    db_url = await databases.create()
    try:
        status, _, err = await run_vanbang(db_url, "demo", VANBANG_DEMO="1")
        assert status == 0, err
        async with running_service(
            db_url,
            VANBANG_DEMO="1",
            VANBANG_LOG_LEVEL="warning",
            VANBANG_SECOND_FACTOR_ROLES="none",
        ) as running:
            yield running, db_url
    finally:
        databases.drop_later(db_url)


@pytest_asyncio.fixture(loop_scope="module")
async def page(browser: Browser, server: tuple[Running, str]) -> AsyncIterator[Page]:
    async with desktop_page(browser, server[0].base) as opened:
        yield opened


async def test_the_public_page_names_issuer_and_custodian(
    page: Page, server: tuple[Running, str]
) -> None:
    running, db_url = server
    conn = await asyncpg.connect(db_url)
    try:
        diploma = await conn.fetchval("SELECT id FROM diplomas WHERE serial = 'BD25-000001'")
    finally:
        await conn.close()
    assert diploma is not None
    async with (
        aiohttp.ClientSession() as session,
        session.get(
            f"{running.base}/api/v1/diplomas/{diploma}/qr.png", headers=bearer(CLERK)
        ) as png,
    ):
        assert png.status == 200, await png.text()
        url = decode_qr(Image.open(io.BytesIO(await png.read())))
    await page.goto(url[url.index("/V/") :])
    body = await page.inner_text("main")
    assert "Phòng Giáo dục và Đào tạo quận Ba Đình" in body
    assert "Đơn vị đang quản lý sổ gốc" in body
    assert "Sở Giáo dục và Đào tạo Hà Nội" in body
    assert "01/07/2025" in body
    assert await accessibility_violations(page) == []
    await screen(page, "public-custody")
    await page.goto(url[url.index("/V/") :] + "?lang=en")
    english = await page.inner_text("main")
    assert "Current custodian of the register" in english
    await screen(page, "public-custody", "en")


async def test_the_supervision_page_lists_the_transfer(page: Page) -> None:
    await page.goto("/dang-nhap")
    await type_sign_in(page, *ADMIN_LOGIN)
    await page.goto("/giam-sat")
    body = await page.inner_text("main")
    assert "Chuyển giao sổ gốc" in body
    assert "PGDDT-BD" in body
    assert await accessibility_violations(page) == []
    await screen(page, "supervision-custody")
    await page.goto("/giam-sat?lang=en")
    assert "PGDDT-BD" in await page.inner_text("main")
    await screen(page, "supervision-custody", "en")
