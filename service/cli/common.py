"""What every `vanbang` command shares."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import asyncpg

from service.domain.accounts import Principal, Role
from service.settings import Settings

# The operator running `vanbang import` on the server: an admin of every issuer, with no
# token and no account (its Idempotency-Keys are the nil UUID's, its journal entries nobody's).
OPERATOR = Principal(role=Role.ADMIN, issuer_code=None)


@contextlib.asynccontextmanager
async def command_pool(settings: Settings, *, size: int = 1) -> AsyncIterator[Any]:
    """A pool of the command's own for the use cases (which take a pool), closed after."""
    from service.db.pool import create_pool

    assert settings.database_url is not None
    pool = await create_pool(settings.database_url, size=size)
    try:
        yield pool
    finally:
        await pool.close()


class CommandError(Exception):
    """A command could not do what was asked; the message says why."""


Action = Callable[[Settings, asyncpg.Connection, argparse.Namespace], Awaitable[int]]
