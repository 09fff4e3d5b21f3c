"""What /metrics reads from the database (sql/queries/metrics.sql)."""

from __future__ import annotations

from typing import Any

import asyncpg

from service.db.queries import Q


async def log_state(conn: Any) -> asyncpg.Record:
    row: asyncpg.Record = await conn.fetchrow(Q.metrics_log)
    return row


async def job_counts(conn: Any) -> list[asyncpg.Record]:
    rows: list[asyncpg.Record] = await conn.fetch(Q.metrics_jobs)
    return rows
