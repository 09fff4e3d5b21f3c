"""Fixtures the service's browser tests share; a module needing other ones (more worker
processes, downloads, a signed-in page) defines its own under the same name."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio
from playwright.async_api import Browser, Page

from tests.browsing import desktop_page, launched, staff_server
from tests.pg import Databases
from tests.running import Running


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def browser() -> AsyncIterator[Browser]:
    """Debian's chromium, one per module of browser tests."""
    async with launched() as opened:
        yield opened


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def server(databases: Databases) -> AsyncIterator[Running]:
    """`vanbang serve` for a module's browser tests (tests/browsing.staff_server)."""
    async with staff_server(databases) as running:
        yield running


@pytest_asyncio.fixture(loop_scope="module")
async def page(browser: Browser, server: Running) -> AsyncIterator[Page]:
    """A desktop page in Vietnamese, JavaScript off (tests/browsing.desktop_page)."""
    async with desktop_page(browser, server.base) as opened:
        yield opened
