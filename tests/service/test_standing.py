"""QR checks read the register in batches (service/db/standing.py): what arrives together
goes in one query, every check gets its own diploma's row, and a failed query fails each
check in its batch."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import pytest

from service.db.standing import StandingReader
from tests.factories import registered, revoke


async def test_checks_that_arrive_together_share_one_query(client: Any, db_url: str) -> None:
    diplomas = await registered(client, graduates=5)
    keys = [(d["serial"], "SGDDT-HN", "thpt") for d in diplomas]
    unknown = [("X0000001", "SGDDT-HN", "thpt"), (keys[0][0], "SGDDT-HN", "cu_nhan")]
    reader = await StandingReader.open(db_url)
    try:
        asked = [*keys * 8, *unknown]
        rows = await asyncio.gather(*(reader.find(*key) for key in asked))
        assert reader.batches == 1
        for key, row in zip(asked, rows, strict=True):
            if key in unknown:
                assert row is None
            else:
                assert row is not None
                assert (row["serial"], row["issuer_code"], row["kind"]) == key
                assert str(row["id"]) == diplomas[keys.index(key)]["id"]
                assert row["revoked_decision"] is None
        # Nothing is kept between batches: the next one reads the register as it is now.
        await revoke(client, diplomas[0]["id"])
        row = await reader.find(*keys[0])
        assert row is not None
        assert row["revoked_decision"] == "45/QĐ-SGDĐT"
        assert reader.batches == 2
    finally:
        await reader.close()


async def test_a_batch_holds_at_most_max_batch_serials(client: Any, db_url: str) -> None:
    diplomas = await registered(client, graduates=10)
    pool = await asyncpg.create_pool(db_url, min_size=1, max_size=2)
    assert pool is not None
    reader = StandingReader(pool, max_batch=4, in_flight=2)
    try:
        rows = await asyncio.gather(
            *(reader.find(d["serial"], "SGDDT-HN", "thpt") for d in diplomas)
        )
        assert [str(row["id"]) if row else None for row in rows] == [d["id"] for d in diplomas]
        assert reader.batches == 3  # 4 + 4 + 2
    finally:
        await reader.close()


async def test_checks_arriving_while_a_query_is_out_wait_for_the_next(
    client: Any, db_url: str
) -> None:
    diplomas = await registered(client, graduates=6)
    reader = await StandingReader.open(db_url)  # one query out at a time
    try:
        first = asyncio.create_task(reader.find(diplomas[0]["serial"], "SGDDT-HN", "thpt"))
        for _ in range(2):  # the check joins, then its batch goes out
            await asyncio.sleep(0)
        assert reader.batches == 1
        rest = await asyncio.gather(
            *(reader.find(d["serial"], "SGDDT-HN", "thpt") for d in diplomas[1:])
        )
        rows = [await first, *rest]
        assert [str(row["id"]) if row else None for row in rows] == [d["id"] for d in diplomas]
        assert reader.batches == 2
    finally:
        await reader.close()


async def test_a_failed_query_fails_every_check_in_its_batch(client: Any, db_url: str) -> None:
    diplomas = await registered(client, graduates=3)
    reader = await StandingReader.open(db_url)
    await reader.pool.close()
    results = await asyncio.gather(
        *(reader.find(d["serial"], "SGDDT-HN", "thpt") for d in diplomas),
        return_exceptions=True,
    )
    assert all(isinstance(r, asyncpg.InterfaceError) for r in results), results
    assert reader.batches == 1


async def test_its_connections_run_generic_plans(db_url: str) -> None:
    # Custom plans would plan the status view afresh for every batch (StandingReader.open).
    reader = await StandingReader.open(db_url)
    try:
        async with reader.pool.acquire() as conn:
            assert await conn.fetchval("SHOW plan_cache_mode") == "force_generic_plan"
    finally:
        await reader.close()


def test_a_reader_needs_room_for_one_serial() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        StandingReader(None, max_batch=0)  # type: ignore[arg-type]
