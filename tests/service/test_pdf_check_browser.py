"""The digital diploma check in a real browser (Debian's chromium, headless, JavaScript off)
against `vanbang serve` with the demo: its worker makes a TT10 diploma's digital diploma, and
an employer uploads it on /kiem-tra-van-bang-so and reads the result page; a file that is no
PDF is said beside the field. In its language, fitting a phone, passing axe-core;
VANBANG_SCREENSHOTS=DIR keeps the screens (docs/screenshots: staff-public-pdf-check-*)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
from playwright.async_api import FilePayload

from service.db.accounts import add_token
from service.domain.accounts import Role, new_token
from tests.browsing import DESKTOP, launched, screen
from tests.conftest import ADMIN, bearer
from tests.running import running_service
from tests.service.test_digital_diplomas import URL, _tt10


async def _digital_diploma(session: aiohttp.ClientSession, base: str, db_url: str) -> bytes:
    """A TT10 diploma registered and its digital diploma made by the service's own worker."""
    async with session.post(base + URL, json=_tt10(1), headers=bearer(ADMIN)) as response:
        assert response.status == 201, await response.text()
        body: dict[str, Any] = await response.json()
    conn = await asyncpg.connect(db_url)
    try:
        account = await conn.fetchval("SELECT id FROM accounts WHERE role = 'admin' LIMIT 1")
        token = new_token()
        await add_token(conn, token, Role.ADMIN, None, account_id=account)
    finally:
        await conn.close()
    path = f"{base}{URL}/{body['id']}/digital-diplomas"
    async with session.post(path, headers=bearer(token)) as queued:
        assert queued.status == 202, await queued.text()
        job = (await queued.json())["id"]
    for _ in range(600):  # the worker's pace, not a timed assertion: wait until it is done
        async with session.get(f"{base}/api/v1/jobs/{job}", headers=bearer(token)) as answer:
            state = (await answer.json())["state"]
        if state in ("done", "failed"):
            break
        await asyncio.sleep(0.1)
    assert state == "done"
    diploma = body["diplomas"][0]["id"]
    download = f"{base}/api/v1/diplomas/{diploma}/digital.pdf"
    async with session.get(download, headers=bearer(token)) as pdf:
        assert pdf.status == 200
        return await pdf.read()


async def test_an_employer_uploads_a_digital_diploma(db_url: str, tmp_path: Path) -> None:
    async with (
        running_service(db_url, VANBANG_DEMO="1", VANBANG_LOG_LEVEL="warning") as server,
        aiohttp.ClientSession() as session,
    ):
        pdf = await _digital_diploma(session, server.base, db_url)
        async with launched() as browser:
            context = await browser.new_context(
                base_url=server.base, viewport=DESKTOP, locale="vi-VN", java_script_enabled=False
            )
            page = await context.new_page()
            await page.goto("/kiem-tra-van-bang-so")
            assert "Kiểm tra văn bằng số" in await page.inner_text("main")
            await screen(page, "public-pdf-check")
            upload = FilePayload(name="van-bang-so.pdf", mimeType="application/pdf", buffer=pdf)
            await page.set_input_files("#file", upload)
            await page.get_by_role("button", name="Kiểm tra").click()
            result = await page.inner_text("main")
            assert "Văn bằng thật và còn hiệu lực" in result
            assert "Chữ ký số PAdES trên tệp đúng" in result
            assert "Mã QR trên văn bằng khớp với bản ghi sổ gốc đính kèm" in result
            await screen(page, "public-pdf-result")

            await page.goto("/kiem-tra-van-bang-so?lang=en")
            text = FilePayload(name="notes.txt", mimeType="text/plain", buffer=b"not a pdf")
            await page.set_input_files("#file", text)
            await page.get_by_role("button", name="Check").click()
            assert "The file sent is not a PDF" in await page.inner_text("main")
            await screen(page, "public-pdf-check-error", "en")
            await context.close()
