"""What the yearly report reads of the register, for a whole subtree at once; the SQL is in
sql/queries/reports.sql."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from service.db.pool import Connection
from service.db.queries import Q


async def issuers(conn: Connection, root: str) -> list[asyncpg.Record]:
    """The issuer and every issuer under it: code, name, parent_code, tracks_blanks."""
    return list(await conn.fetch(Q.report_issuers, root))


async def issued(conn: Connection, codes: list[str], year: int) -> list[asyncpg.Record]:
    return list(await conn.fetch(Q.report_issued, codes, year))


async def activity(
    conn: Connection, codes: list[str], year: int, start: datetime, end: datetime
) -> list[asyncpg.Record]:
    return list(await conn.fetch(Q.report_activity, codes, year, start, end))


async def blanks(conn: Connection, codes: list[str], year: int) -> list[asyncpg.Record]:
    return list(await conn.fetch(Q.report_blanks, codes, year))
