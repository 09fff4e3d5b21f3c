"""What the clerk's console home reads of the register."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import asyncpg

from service.db.pool import Connection
from service.db.queries import Q


async def issuers(conn: Connection, codes: list[str] | None) -> list[asyncpg.Record]:
    return list(await conn.fetch(Q.console_issuers, codes))


async def recent_decisions(conn: Connection, codes: list[str], limit: int) -> list[asyncpg.Record]:
    return list(await conn.fetch(Q.console_recent_decisions, codes, limit))


async def counts_by_kind(conn: Connection, codes: list[str], year: int) -> list[asyncpg.Record]:
    return list(await conn.fetch(Q.console_counts_by_kind, codes, year))


async def late_decisions(
    conn: Connection, codes: list[str], since: datetime, limit: int
) -> list[asyncpg.Record]:
    return list(await conn.fetch(Q.console_late_decisions, codes, since, limit))


async def digital_missing(
    conn: Connection,
    codes: list[str],
    decided: tuple[date, date],
    regulations: list[str],
    limit: int,
) -> list[asyncpg.Record]:
    """`decided`: the first and last day of decision looked at."""
    first, last = decided
    return list(await conn.fetch(Q.console_digital_missing, codes, first, regulations, limit, last))


async def digital_progress(conn: Connection, decision_id: uuid.UUID) -> tuple[int, int]:
    """A decision's diplomas in force, and how many of them have a digital diploma."""
    row = await conn.fetchrow(Q.decision_digital_progress, decision_id)
    assert row is not None  # an aggregate always answers a row
    return row["in_force"], row["made"]


async def issued_last_year(conn: Connection, issuer_code: str, today: date) -> dict[str, int]:
    rows = await conn.fetch(Q.console_issued_last_year, issuer_code, today)
    return {r["kind"]: r["diplomas"] for r in rows}
