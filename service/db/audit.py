"""What auditors read: the register with each entry's lifecycle, the anomaly queries and
the log's events; the SQL is in sql/queries/audit.sql."""

from __future__ import annotations

import uuid
from datetime import date, time

import asyncpg

from service.db.pool import Connection
from service.db.queries import Q

Cursor = tuple[str, int, int]  # kind, register year, register sequence of the last entry


async def register_entries(
    conn: Connection,
    issuer_code: str,
    kind: str | None,
    year: int | None,
    after: Cursor,
    limit: int,
    decision_id: uuid.UUID | None = None,
) -> list[asyncpg.Record]:
    """Register entries in register order after the cursor, with their lifecycle (of one
    decision only, when given)."""
    return list(
        await conn.fetch(Q.audit_register, issuer_code, kind, year, *after, limit, decision_id)
    )


async def subtree(conn: Connection, issuer_code: str) -> list[str]:
    """The issuer and every issuer under it."""
    return [r["code"] for r in await conn.fetch(Q.audit_subtree, issuer_code)]


async def register_gaps(conn: Connection, codes: list[str]) -> list[asyncpg.Record]:
    return list(await conn.fetch(Q.audit_register_gaps, codes))


async def blanks_unaccounted(
    conn: Connection, codes: list[str], spoiled_before: date
) -> list[asyncpg.Record]:
    return list(await conn.fetch(Q.audit_blanks_unaccounted, codes, spoiled_before))


async def late_decisions(conn: Connection, codes: list[str]) -> list[asyncpg.Record]:
    return list(await conn.fetch(Q.audit_late_decisions, codes))


async def rates(conn: Connection, codes: list[str]) -> list[asyncpg.Record]:
    return list(await conn.fetch(Q.audit_rates, codes))


async def bad_key_signatures(conn: Connection, codes: list[str]) -> list[asyncpg.Record]:
    return list(await conn.fetch(Q.audit_bad_key_signatures, codes))


async def events(
    conn: Connection, codes: list[str], after: int, limit: int
) -> list[asyncpg.Record]:
    return list(await conn.fetch(Q.audit_events, codes, after, limit))


async def same_person_other_issuer(
    conn: Connection, codes: list[str], limit: int
) -> list[asyncpg.Record]:
    return list(await conn.fetch(Q.audit_same_person_other_issuer, codes, limit))


async def unusual_hours(
    conn: Connection,
    codes: list[str],
    night_from: time,
    night_until: time,
    weekday: int,
    holidays: list[date],
) -> list[asyncpg.Record]:
    return list(
        await conn.fetch(Q.audit_unusual_hours, codes, night_from, night_until, weekday, holidays)
    )


async def unusual_bulk(
    conn: Connection, codes: list[str], at_least: int, factor: float, window_days: int
) -> list[asyncpg.Record]:
    return list(await conn.fetch(Q.audit_unusual_bulk, codes, at_least, factor, window_days))
