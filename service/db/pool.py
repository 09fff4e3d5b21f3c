"""asyncpg connection pools."""

from __future__ import annotations

from typing import Any

import asyncpg


async def create_pool(url: str, *, size: int) -> asyncpg.Pool[Any]:
    pool = await asyncpg.create_pool(url, min_size=1, max_size=size, command_timeout=60)
    assert pool is not None  # asyncpg types it optional for the un-awaited form only
    return pool
