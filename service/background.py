"""Periodic work inside a server process (verification counts, the log's sequencer)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable

import asyncpg
import structlog

log = structlog.get_logger(__name__)


@contextlib.asynccontextmanager
async def every(
    interval: float, work: Callable[[], Awaitable[object]], failure: str
) -> AsyncIterator[None]:
    """Runs `work` every `interval` seconds while the context is open. A database or network
    failure is logged as `failure` and retried at the next turn; leaving the context stops
    the loop (interrupting a turn in progress, which rolls back)."""

    async def loop() -> None:
        while True:
            try:
                await work()
            except (OSError, asyncpg.PostgresError):
                log.exception(failure)
            await asyncio.sleep(interval)

    task = asyncio.create_task(loop())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
