"""How often each diploma is verified: counted in memory, saved in batches."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

from service.background import every
from service.db import standing as standing_db
from service.db.pool import Pool


class VerificationCounter:
    """Counts verifications per diploma in memory and adds them to the database every few
    seconds in one statement: a hot diploma never becomes a hot row. Counts not yet flushed
    are lost if the process dies; they are statistics, not the register. A diploma's last
    verification is recorded as the time of the flush that saves it, at most `interval`
    seconds late."""

    def __init__(self, interval: float = 2.0) -> None:
        self.interval = interval
        self._pending: defaultdict[uuid.UUID, int] = defaultdict(int)
        # One flush at a time: when flush() returns, everything counted before it is saved,
        # even if the periodic flush was writing when it was called.
        self._flushing = asyncio.Lock()

    def count(self, diploma_id: uuid.UUID) -> None:
        self._pending[diploma_id] += 1

    async def flush(self, pool: Pool[Any]) -> int:
        async with self._flushing:
            return await self._flush(pool)

    async def _flush(self, pool: Pool[Any]) -> int:
        if not self._pending:
            return 0
        pending, self._pending = self._pending, defaultdict(int)
        ids = list(pending)
        async with pool.acquire() as conn:
            await standing_db.count_verifications(
                conn, ids, [pending[i] for i in ids], datetime.now(UTC)
            )
        return len(ids)

    @contextlib.asynccontextmanager
    async def running(self, pool: Pool[Any]) -> AsyncIterator[None]:
        async with every(self.interval, lambda: self.flush(pool), "verification_counts_not_saved"):
            yield
        await self.flush(pool)
