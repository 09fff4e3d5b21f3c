"""Graduate lists checked in the clerk's console and kept until the clerk confirms them."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import asyncpg
import orjson

from service.db.pool import Connection
from service.db.queries import Q


async def insert(
    conn: Connection,
    *,
    staged_id: uuid.UUID,
    account_id: uuid.UUID,
    issuer_code: str,
    file_name: str | None,
    request: bytes,
    locator: dict[str, Any] | None,
    preview: dict[str, Any],
    decision_number: str,
    decided_on: date,
    kind: str,
    graduate_count: int,
    deadline: date,
    keep: timedelta,
    personal_ids: bytes | None = None,
) -> None:
    await conn.execute(
        Q.insert_staged,
        staged_id,
        account_id,
        issuer_code,
        file_name,
        request.decode(),
        None if locator is None else orjson.dumps(locator).decode(),
        orjson.dumps(preview).decode(),
        decision_number,
        decided_on,
        kind,
        graduate_count,
        deadline,
        keep,
        personal_ids,
    )


async def get(
    conn: Connection, staged_id: uuid.UUID, account_id: uuid.UUID
) -> asyncpg.Record | None:
    return await conn.fetchrow(Q.get_staged, staged_id, account_id)


async def mark_registered(conn: Connection, staged_id: uuid.UUID, decision_id: uuid.UUID) -> None:
    await conn.execute(Q.mark_staged_registered, staged_id, decision_id)


async def cancel(conn: Connection, staged_id: uuid.UUID, account_id: uuid.UUID) -> bool:
    done: str = await conn.execute(Q.cancel_staged, staged_id, account_id)
    return done.endswith(" 1")


async def pending(conn: Connection, issuer_codes: list[str], limit: int) -> list[asyncpg.Record]:
    return await conn.fetch(Q.pending_staged, issuer_codes, limit)


async def purge(conn: Connection) -> None:
    await conn.execute(Q.purge_staged)
