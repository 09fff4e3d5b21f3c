"""Sessions of signed-in browsers, in PostgreSQL so that every process shares them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from service.db.pool import Connection
from service.db.queries import Q
from service.domain.accounts import Principal, Role


@dataclass(frozen=True)
class SessionRow:
    id_hash: bytes
    created_at: datetime
    expires_at: datetime
    second_factor_pending: bool
    password_temporary: bool
    has_second_factor: bool
    display_name: str
    principal: Principal


async def insert(
    conn: Connection,
    id_hash: bytes,
    account_id: uuid.UUID,
    *,
    lifetime: timedelta,
    second_factor_pending: bool,
    client: str | None,
    user_agent: str | None,
) -> None:
    await conn.execute(
        Q.insert_session,
        id_hash,
        account_id,
        lifetime,
        second_factor_pending,
        client,
        user_agent,
    )


async def find(conn: Connection, id_hash: bytes, *, idle: timedelta) -> SessionRow | None:
    row = await conn.fetchrow(Q.find_session, id_hash, idle)
    if row is None:
        return None
    return SessionRow(
        id_hash=row["id_hash"],
        created_at=row["created_at"],
        expires_at=row["expires_at"],
        second_factor_pending=row["second_factor_pending"],
        password_temporary=row["password_temporary"],
        has_second_factor=row["second_factor"],
        display_name=row["display_name"],
        principal=Principal(
            role=Role(row["role"]),
            issuer_code=row["issuer_code"],
            account_id=row["id"],
            username=row["username"],
        ),
    )


async def complete_second_factor(conn: Connection, id_hash: bytes) -> None:
    await conn.execute(Q.complete_second_factor, id_hash)


async def delete(conn: Connection, id_hash: bytes) -> uuid.UUID | None:
    """The account whose session it was, or None when there was none."""
    account_id: uuid.UUID | None = await conn.fetchval(Q.delete_session, id_hash)
    return account_id


async def delete_all(conn: Connection, account_id: uuid.UUID) -> None:
    await conn.execute(Q.delete_account_sessions, account_id)


async def delete_others(conn: Connection, account_id: uuid.UUID, keep: bytes) -> None:
    await conn.execute(Q.delete_other_sessions, account_id, keep)


async def purge(conn: Connection, *, idle: timedelta) -> None:
    await conn.execute(Q.purge_sessions, idle)


async def count(conn: Connection, account_id: uuid.UUID, *, idle: timedelta) -> int:
    """The account's live, signed-in sessions."""
    found: int = await conn.fetchval(Q.count_sessions, account_id, idle)
    return found
