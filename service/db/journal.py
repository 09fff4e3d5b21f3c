"""The staff journal: appended to in the transaction of what it records, read in a scope."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import asyncpg
import orjson

from service.db.pool import Connection
from service.db.queries import Q


async def append(
    conn: Connection,
    *,
    account_id: uuid.UUID | None,
    token_id: uuid.UUID | None,
    action: str,
    issuer_code: str | None,
    record_type: str | None,
    record_id: str | None,
    request_id: str | None,
    client: str | None,
    detail: dict[str, Any],
) -> int:
    entry_id: int = await conn.fetchval(
        Q.append_journal,
        account_id,
        token_id,
        action,
        issuer_code,
        record_type,
        record_id,
        request_id,
        client,
        orjson.dumps(detail).decode(),
    )
    return entry_id


async def read(
    conn: Connection,
    *,
    within: str | None,
    issuer: str | None,
    actor: uuid.UUID | None,
    action: str | None,
    after: datetime | None,
    cursor: tuple[int, int],
    limit: int,
) -> list[asyncpg.Record]:
    """A page of entries in (transaction, id) order after `cursor`; see the query."""
    tx, entry_id = cursor
    return list(
        await conn.fetch(
            Q.read_journal, within, issuer, actor, action, after, str(tx), entry_id, limit
        )
    )


async def account_id(conn: Connection, username: str) -> uuid.UUID | None:
    found: uuid.UUID | None = await conn.fetchval(Q.account_id_by_name, username)
    return found


async def act_as(conn: Connection, account_id: uuid.UUID) -> None:
    """Until the transaction ends, every register row inserted records this account."""
    await conn.execute(Q.set_actor, str(account_id))
