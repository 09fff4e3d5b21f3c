"""What the browser tests share: Debian's chromium driven by Playwright, the checks every
staff screen passes (in its language, fitting a phone, no accessibility violation axe-core
finds) and the steps people take on the staff pages (signing in and out)."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, Page, ViewportSize, async_playwright, expect

from tests.pg import Databases
from tests.running import Running, running_service

PHONE = ViewportSize(width=412, height=915)  # a common phone's CSS viewport
DESKTOP = ViewportSize(width=1280, height=900)


def chromium() -> str:
    found = os.environ.get("VANBANG_CHROMIUM") or shutil.which("chromium")
    assert found, "the browser test needs chromium (scripts/test installs it when it can)"
    return found


@asynccontextmanager
async def launched() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium(),  # Debian's; Playwright's own browsers are never fetched
            args=["--no-sandbox"],  # root in a container has no user namespace to sandbox with
            headless=True,
        )
        yield browser
        await browser.close()


@asynccontextmanager
async def staff_server(databases: Databases, **env: str) -> AsyncIterator[Running]:
    """`vanbang serve` on a database of its own for a module's browser tests: the demo, quiet
    logs, and no role made to have a second factor (each test decides); `env` adds to it."""
    db_url = await databases.create()
    try:
        settings = {
            "VANBANG_DEMO": "1",
            "VANBANG_LOG_LEVEL": "warning",
            "VANBANG_SECOND_FACTOR_ROLES": "none",
            **env,
        }
        async with running_service(db_url, port=None, **settings) as running:
            yield running
    finally:
        databases.drop_later(db_url)


@asynccontextmanager
async def desktop_page(browser: Browser, base: str, **options: Any) -> AsyncIterator[Page]:
    """A new profile on a desktop set to Vietnamese, JavaScript off (the staff pages work
    without it); no script error may happen on it."""
    context = await browser.new_context(
        base_url=base, viewport=DESKTOP, locale="vi-VN", java_script_enabled=False, **options
    )
    opened = await context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    await context.close()
    assert errors == []


async def screen(page: Page, name: str, lang: str = "vi") -> None:
    """Keeps the screen's phone and desktop screenshots when VANBANG_SCREENSHOTS names a
    directory, and checks it is in `lang`, fits a phone (nothing wider than the window) and
    breaks none of axe-core's WCAG 2.1 AA rules."""
    keep = os.environ.get("VANBANG_SCREENSHOTS")
    viewport = page.viewport_size
    if keep:
        await page.set_viewport_size(PHONE)
        await page.screenshot(path=Path(keep) / f"staff-{name}-{lang}.png")
        await page.set_viewport_size(DESKTOP)
        await page.screenshot(path=Path(keep) / f"staff-{name}-{lang}-desktop.png")
    await page.set_viewport_size(PHONE)
    assert await page.get_attribute("html", "lang") == lang
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name}: {width} px wide on a phone"
    if viewport is not None:
        await page.set_viewport_size(viewport)
    violations = await accessibility_violations(page)
    assert violations == [], f"{name}: {violations}"


_AXE = Axe()
# WCAG 2.1 A and AA, as axe-core tags them, and its best practices.
_AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


async def accessibility_violations(page: Page) -> list[str]:
    """What axe-core (bundled by axe-playwright-python) finds wrong with the page as shown:
    each violation's rule and the first elements it names. The page is opened again in a
    context that runs scripts (the tests' own contexts run none, as a page must work without
    them), with the same cookies."""
    browser = page.context.browser
    assert browser is not None
    context = await browser.new_context(
        storage_state=await page.context.storage_state(),
        viewport=page.viewport_size,
        locale="vi-VN",
    )
    try:
        checked = await context.new_page()
        await checked.goto(page.url)
        results = await _AXE.run(checked, options={"runOnly": {"type": "tag", "values": _AXE_TAGS}})
        found: list[dict[str, Any]] = results.response["violations"]
        return [
            f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})"
            for v in found
        ]
    finally:
        await context.close()


def path_of(page: Page) -> str:
    parts = urlsplit(page.url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


async def type_sign_in(page: Page, username: str, password: str) -> None:
    """Types into the sign-in form and clicks its button, as a person does."""
    await page.get_by_label("Tên đăng nhập hoặc thư điện tử").fill(username)
    await page.get_by_label("Mật khẩu", exact=True).fill(password)
    async with page.expect_navigation():
        await page.get_by_role("button", name="Đăng nhập", exact=True).click()


async def sign_out(page: Page) -> None:
    """The button in the bar."""
    async with page.expect_navigation():
        await page.locator(".staff-bar").get_by_role("button", name="Đăng xuất").click()
    assert path_of(page) == "/dang-nhap?da-dang-xuat"
    await expect(page.get_by_role("status")).to_have_text("Bạn đã đăng xuất.")
