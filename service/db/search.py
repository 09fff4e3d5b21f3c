"""Finding decisions and diplomas (sql/queries/search.sql)."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from service.db.pool import Connection
from service.db.queries import Q
from service.domain.search import DecisionQuery, DiplomaQuery


async def issuers_under(conn: Connection, code: str | None) -> list[str]:
    """The issuer and every one under it; every issuer when `code` is None."""
    if code is None:
        rows = await conn.fetch(Q.search_all_issuers)
    else:
        rows = await conn.fetch(Q.search_issuers_under, code)
    return [r["code"] for r in rows]


async def decisions(
    conn: Connection, codes: list[str], query: DecisionQuery
) -> list[asyncpg.Record]:
    after_on, after_id = query.after or (None, None)
    return list(
        await conn.fetch(
            Q.search_decisions,
            codes,
            query.number,
            query.kind,
            query.year,
            after_on,
            after_id,
            query.limit,
        )
    )


async def diplomas(
    conn: Connection, codes: list[str], query: DiplomaQuery, registered_before: datetime | None
) -> list[asyncpg.Record]:
    low, high = query.name_range or (None, None)
    after_at, after_id = query.after or (None, None)
    return list(
        await conn.fetch(
            Q.search_diplomas if query.text is None else Q.search_diplomas_found,
            codes,
            low,
            high,
            query.number,
            query.born,
            query.kind,
            query.year,
            query.state,
            query.decision,
            query.handed_over,
            registered_before,
            after_at,
            after_id,
            query.limit,
        )
    )


async def awaiting_handover(conn: Connection, codes: list[str], before: datetime) -> int:
    return int(await conn.fetchval(Q.search_awaiting_handover, codes, before))
