"""Typed access to issuers' public keys; the SQL is in sql/queries/keys.sql."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg

from service.db.pool import Connection
from service.db.queries import Q


async def insert_key(
    conn: Connection, kid: bytes, issuer_code: str, public_key: bytes, not_before: datetime
) -> bool:
    return await conn.fetchval(Q.insert_key, kid, issuer_code, public_key, not_before) is not None


async def active_kid(conn: Connection, issuer_code: str) -> bytes | None:
    kid = await conn.fetchval(Q.active_key, issuer_code)
    return None if kid is None else bytes(kid)


async def retire_active_key(conn: Connection, issuer_code: str, at: datetime) -> bytes | None:
    kid = await conn.fetchval(Q.retire_active_key, issuer_code, at)
    return None if kid is None else bytes(kid)


async def mark_compromised(conn: Connection, kid: bytes, since: datetime) -> str | None:
    issuer: str | None = await conn.fetchval(Q.mark_key_compromised, kid, since)
    return issuer


async def list_keys(conn: Connection, issuer_code: str | None) -> list[asyncpg.Record]:
    return list(await conn.fetch(Q.list_keys, issuer_code))


async def trust_list_rows(conn: Connection) -> tuple[list[asyncpg.Record], list[asyncpg.Record]]:
    return list(await conn.fetch(Q.list_issuers)), list(await conn.fetch(Q.trust_list_keys))


async def trust_list_custody(conn: Connection) -> list[asyncpg.Record]:
    """Every register's custodies, oldest first (sql/queries/custody.sql)."""
    return list(await conn.fetch(Q.trust_list_custody))


async def trust_list_version(conn: Connection) -> tuple[Any, ...]:
    row = await conn.fetchrow(Q.trust_list_version)
    assert row is not None
    return tuple(row)


async def active_kids(conn: Connection) -> set[bytes]:
    return {bytes(row["kid"]) for row in await conn.fetch(Q.active_kids)}
