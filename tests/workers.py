"""A background-job worker inside a test's own process (docs/jobs.md), as `vanbang serve`
runs one: its pool, its signing keys, the demo's organisation certificates."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor

from service import worker
from service.db.pool import create_pool
from service.docsign.registry import doc_signers_for
from service.settings import Settings
from service.signing import Signing, keystore_for
from service.tlog.sequencer import LogSigner


@contextlib.asynccontextmanager
async def runner(
    settings: Settings, log_signer: LogSigner | None = None
) -> AsyncIterator[worker.Runner]:
    assert settings.database_url is not None
    pool = await create_pool(settings.database_url, size=3)
    signers = doc_signers_for(settings)
    with ThreadPoolExecutor(2) as executor:
        try:
            yield worker.Runner(
                pool,
                Signing(keystore_for(settings), executor),
                4,
                settings.public_url,
                log_signer,
                doc_signers=signers,
                tsa_url=settings.tsa_url,
            )
        finally:
            signers.close()
            await pool.close()


async def run_queued(settings: Settings) -> None:
    """A worker in this process, until the queue is empty."""
    assert settings.database_url is not None
    async with (
        runner(settings) as made,
        worker.running(
            settings.database_url, made, concurrency=1, heartbeat_seconds=1, wait=False
        ) as task,
    ):
        await asyncio.wait_for(task, 120)
