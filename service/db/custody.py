"""Typed access to the custody of registers; the SQL is in sql/queries/custody.sql."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from service.db.pool import Connection
from service.db.queries import Q


async def lock_register(conn: Connection, register_issuer: str) -> None:
    await conn.execute(Q.custody_lock_register, register_issuer)


async def share_register(conn: Connection, register_issuer: str) -> None:
    await conn.execute(Q.custody_share_register, register_issuer)


async def lock_keys(conn: Connection, issuer_code: str) -> None:
    await conn.fetch(Q.custody_lock_keys, issuer_code)


async def chain(conn: Connection, register_issuer: str) -> list[asyncpg.Record]:
    return list(await conn.fetch(Q.custody_chain, register_issuer))


async def current_custodian(conn: Connection, register_issuer: str) -> str | None:
    """The body holding the register now; None while it is the issuer's own."""
    code: str | None = await conn.fetchval(Q.custody_current, register_issuer)
    return code


async def held_registers(conn: Connection, custodians: Sequence[str]) -> list[str]:
    """The registers of other issuers that these issuers hold now."""
    return [r["register_issuer"] for r in await conn.fetch(Q.custody_held, list(custodians))]


async def transfers_touching(conn: Connection, codes: Sequence[str]) -> list[asyncpg.Record]:
    return list(await conn.fetch(Q.custody_transfers_touching, list(codes)))
