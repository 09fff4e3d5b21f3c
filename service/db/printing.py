"""Typed access to printers' calibrations; the SQL is in sql/queries/printing.sql."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

import asyncpg

from service.db.pool import Connection
from service.db.queries import Q


async def calibration(conn: Connection, issuer_code: str) -> asyncpg.Record | None:
    return await conn.fetchrow(Q.printer_calibration, issuer_code)


async def lock_calibration(conn: Connection, issuer_code: str) -> asyncpg.Record | None:
    return await conn.fetchrow(Q.printer_calibration_lock, issuer_code)


async def save_calibration(
    conn: Connection,
    issuer_code: str,
    *,
    offset_x: Decimal,
    offset_y: Decimal,
    scale: Decimal,
    at: datetime,
    by: uuid.UUID | None,
) -> None:
    await conn.execute(Q.save_printer_calibration, issuer_code, offset_x, offset_y, scale, at, by)


async def issuer_names(conn: Connection, codes: Sequence[str]) -> dict[str, str]:
    return {r["code"]: r["name"] for r in await conn.fetch(Q.issuer_names, list(codes))}
