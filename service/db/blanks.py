"""The blank-form rows registration, re-issue and the blank-form actions touch; the SQL is in
sql/queries/blanks.sql."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from service.db.pool import Connection
from service.db.queries import Q
from service.domain.blanks import BlankState, split_serial


async def lock(conn: Connection, issuer_code: str, kind: str) -> None:
    """The transaction lock every change to an issuer's blanks of a kind takes first."""
    await conn.execute(Q.lock_blanks, issuer_code, kind)


async def states(
    conn: Connection, issuer_code: str, kind: str, serials: Sequence[str]
) -> list[BlankState]:
    """What the register knows of each serial's blank, in order."""
    parts = [split_serial(s) for s in serials]
    rows = await conn.fetch(
        Q.blank_states,
        issuer_code,
        kind,
        list(serials),
        [p[0] if p else None for p in parts],
        [p[1] if p else None for p in parts],
        [p[2] if p else None for p in parts],
    )
    return [
        BlankState(serial, r["receipt_id"], r["diploma_id"], tuple(r["events"]))
        for serial, r in zip(serials, rows, strict=True)
    ]


async def record_uses(
    conn: Connection,
    issuer_code: str,
    kind: str,
    serials: Sequence[str],
    receipts: Sequence[uuid.UUID],
    diplomas: Sequence[uuid.UUID],
) -> None:
    await conn.execute(
        Q.insert_blank_uses, issuer_code, kind, list(serials), list(receipts), list(diplomas)
    )


async def overlapping_receipt(
    conn: Connection, issuer_code: str, kind: str, prefix: str, digits: int, first: int, last: int
) -> tuple[int, int, date] | None:
    """(first number, last number, received on) of a received range that overlaps."""
    row = await conn.fetchrow(Q.overlapping_receipt, issuer_code, kind, prefix, digits, first, last)
    if row is None:
        return None
    return row["first_number"], row["last_number"], row["received_on"]


async def set_tracking(conn: Connection, issuer_code: str, on: bool) -> bool:
    """False when there is no such issuer."""
    return await conn.fetchval(Q.set_tracks_blanks, issuer_code, on) is not None


async def report(conn: Connection, issuer_code: str, year: int) -> list[dict[str, int | str]]:
    return [dict(r) for r in await conn.fetch(Q.blank_report, issuer_code, year)]
