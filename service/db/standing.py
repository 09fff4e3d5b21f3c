"""Diplomas by serial with their standing, for public verification, read in batches.

A busy server receives many QR checks at once. Each would cost its own query: a pool
checkout, a round trip and PostgreSQL's per-statement work. Instead, the checks that arrive
while a query is out wait together and go in the next one, so the cost of a query is shared
by a batch. Nothing is kept between batches: every answer is the register as it stood when
its batch was read, and under light load a batch holds one serial and costs what a single
query did.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime
from typing import Any

import asyncpg

from service.db.pool import Connection, create_pool
from service.db.queries import Q

# (serial, issuer code, kind, None) or (None, None, None, the SHA-256 of a token's bytes)
Key = tuple[str | None, str | None, str | None, bytes | None]


class StandingReader:
    """`find(serial, issuer, kind)` answers the row of find_diplomas_for_checks, or None;
    `find_token(digest)` the row of the diploma whose token, as the register issued it,
    has that SHA-256, or None when the register issued no such bytes. Both go in the same
    batches.

    At most `in_flight` queries are out at once and each holds at most `max_batch` serials;
    the same serial asked twice in a batch is read once. A failed query fails every check
    in its batch with the same error. The reader owns its pool and closes it."""

    def __init__(
        self, pool: asyncpg.Pool[Any], *, max_batch: int = 256, in_flight: int = 1
    ) -> None:
        if max_batch < 1 or in_flight < 1:
            raise ValueError("max_batch and in_flight must be at least 1")
        self.pool = pool
        self._max_batch = max_batch
        self._in_flight = in_flight
        self._waiting: dict[Key, list[asyncio.Future[asyncpg.Record | None]]] = {}
        self._readers: set[asyncio.Task[None]] = set()
        self.batches = 0  # queries sent, for tests and the bench

    @classmethod
    async def open(cls, url: str, *, in_flight: int = 1) -> StandingReader:
        """A reader on a pool of its own, one connection per query out. Its connections run
        the generic plan of every statement: PostgreSQL plans a prepared statement afresh
        for its parameters until a generic plan looks no dearer, and for a query over
        arrays it never does (it guesses ten serials, and a batch of one looks cheaper).
        Planning the status view cost 0.8 ms of server time per query, against 0.1 ms to
        run a one-serial batch on the generic plan, whose lateral join is one index lookup
        per serial whatever the batch's size.

        One query out at a time is the default: under bench/lookup.py's load, two gave the
        same throughput with a p99 of 16-22 ms against 11-15 ms, as each batch was
        smaller and each worker had one more PostgreSQL process competing for the CPU."""
        pool = await create_pool(
            url, size=in_flight, server_settings={"plan_cache_mode": "force_generic_plan"}
        )
        return cls(pool, in_flight=in_flight)

    async def find(self, serial: str, issuer: str, kind: str) -> asyncpg.Record | None:
        return await self._find((serial, issuer, kind, None))

    async def find_token(self, digest: bytes) -> asyncpg.Record | None:
        return await self._find((None, None, None, digest))

    async def _find(self, key: Key) -> asyncpg.Record | None:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[asyncpg.Record | None] = loop.create_future()
        self._waiting.setdefault(key, []).append(future)
        if len(self._readers) < self._in_flight:
            task = loop.create_task(self._read())
            self._readers.add(task)
            task.add_done_callback(self._readers.discard)
        return await future

    def _take(self) -> dict[Key, list[asyncio.Future[asyncpg.Record | None]]]:
        if len(self._waiting) <= self._max_batch:
            batch, self._waiting = self._waiting, {}
            return batch
        keys = list(self._waiting)[: self._max_batch]
        return {key: self._waiting.pop(key) for key in keys}

    async def _read(self) -> None:
        # Started by the first check of a loop turn, it runs after the other checks of the
        # same turn have joined; it then keeps reading until nobody waits, and stops
        # counting as a reader at once: a check its last batch answered may ask again
        # (by serial, once its token was not recognised) before a done-callback would run.
        try:
            await self._read_batches()
        finally:
            self._readers.discard(asyncio.current_task())

    async def _read_batches(self) -> None:
        while self._waiting:
            batch = self._take()
            self.batches += 1
            try:
                async with self.pool.acquire() as conn:
                    rows = await conn.fetch(
                        Q.find_diplomas_for_checks,
                        [key[0] for key in batch],
                        [key[1] for key in batch],
                        [key[2] for key in batch],
                        [key[3] for key in batch],
                    )
            except Exception as exc:
                for futures in batch.values():
                    for future in futures:
                        if not future.done():
                            future.set_exception(exc)
                continue
            except BaseException:  # cancelled (the server stops): so are its checks
                for futures in batch.values():
                    for future in futures:
                        future.cancel()
                raise
            found = {row["i"]: row for row in rows}  # the check's place, from 1
            for i, futures in enumerate(batch.values(), start=1):
                row = found.get(i)
                for future in futures:
                    if not future.done():
                        future.set_result(row)

    async def close(self) -> None:
        """Waits for the queries that are out, then closes the pool."""
        if self._readers:
            await asyncio.gather(*self._readers, return_exceptions=True)
        await self.pool.close()


async def lookup_by_serial(
    conn: Connection, serial: str, issuer: str | None
) -> list[asyncpg.Record]:
    """Every record with this serial (of one issuer when given), with its standing."""
    return list(await conn.fetch(Q.lookup_by_serial, serial, issuer))


async def count_verifications(
    conn: Connection, ids: list[uuid.UUID], counts: list[int], at: datetime
) -> None:
    await conn.execute(Q.count_verifications, ids, counts, at)
