"""Typed access to printers' calibrations; the SQL is in sql/queries/printing.sql."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

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


async def save_digital(
    conn: Connection,
    diploma_id: uuid.UUID,
    version: int,
    pdf: bytes,
    sha256: bytes,
    level: str,
    job_id: uuid.UUID | None,
) -> None:
    await conn.execute(Q.digital_diploma_save, diploma_id, version, pdf, sha256, level, job_id)


async def digital_versions(
    conn: Connection, diploma_ids: Sequence[uuid.UUID]
) -> set[tuple[Any, int]]:
    rows = await conn.fetch(Q.digital_diploma_versions, list(diploma_ids))
    return {(r["diploma_id"], r["version"]) for r in rows}


async def latest_digital(conn: Connection, diploma_id: uuid.UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(Q.digital_diploma_latest, diploma_id)
