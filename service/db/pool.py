"""asyncpg connection pools."""

from __future__ import annotations

from typing import Any

import asyncpg
from asyncpg.pool import PoolConnectionProxy

from service.db.queries import Q

# What every query function takes: a connection of its own or one lent by a pool.
Connection = asyncpg.Connection | PoolConnectionProxy
Pool = asyncpg.Pool


async def _keep_session(conn: asyncpg.Connection) -> None:
    """What a connection needs between requests: nothing. vanbang never leaves session state
    behind (no SET, LISTEN, cursors or session advisory locks; its advisory locks are
    transaction-scoped), so asyncpg's default reset, four statements on every release, is
    work without a purpose on the hot path. An open transaction is still rolled back by
    asyncpg itself."""


async def create_pool(
    url: str, *, size: int, server_settings: dict[str, str] | None = None
) -> asyncpg.Pool[Any]:
    pool = await asyncpg.create_pool(
        url,
        min_size=1,
        max_size=size,
        command_timeout=60,
        reset=_keep_session,
        server_settings=server_settings,
    )
    assert pool is not None  # asyncpg types it optional for the un-awaited form only
    return pool


async def ping(conn: Connection, *, seconds: float) -> None:
    """Does the database answer within `seconds`?"""
    await conn.fetchval(Q.ping, timeout=seconds)
