"""What an auditor's overview reads of the register; the SQL is in sql/queries/supervision.sql."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from service.db.pool import Connection
from service.db.queries import Q


async def issued(
    conn: Connection, codes: list[str], start: datetime, end: datetime
) -> list[asyncpg.Record]:
    return list(await conn.fetch(Q.supervision_issued, codes, start, end))


async def activity(
    conn: Connection, codes: list[str], start: datetime, end: datetime
) -> list[asyncpg.Record]:
    return list(await conn.fetch(Q.supervision_activity, codes, start, end))


async def roots(conn: Connection) -> list[str]:
    return [r["code"] for r in await conn.fetch(Q.supervision_roots)]


async def add_review(
    conn: Connection, key: str, issuer_code: str, account_id: object, note: str
) -> None:
    await conn.execute(Q.supervision_add_review, key, issuer_code, account_id, note)


async def reviews(conn: Connection, keys: list[str]) -> dict[str, asyncpg.Record]:
    return {r["anomaly_key"]: r for r in await conn.fetch(Q.supervision_reviews, keys)}
