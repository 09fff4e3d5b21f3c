"""Verification receipts (docs/verification.md, "Biên nhận kiểm tra"): written once, read by
their code; the table refuses UPDATE, DELETE and TRUNCATE."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from service.db.pool import Connection
from service.db.queries import Q


@dataclass(frozen=True)
class StoredReceipt:
    code: str
    created_at: datetime
    valid_until: datetime
    qr_text: str
    diploma_id: uuid.UUID | None
    verdict: str
    result: dict[str, Any]


async def add_receipt(
    conn: Connection,
    *,
    code: str,
    created_at: datetime,
    valid_until: datetime,
    qr_text: str,
    diploma_id: uuid.UUID | None,
    verdict: str,
    result: dict[str, Any],
) -> bool:
    """False when the code is taken already (nothing is written then)."""
    added = await conn.fetchval(
        Q.add_receipt,
        code,
        created_at,
        valid_until,
        qr_text,
        diploma_id,
        verdict,
        orjson.dumps(result).decode(),
    )
    return added is not None


async def get_receipt(conn: Connection, code: str) -> StoredReceipt | None:
    row = await conn.fetchrow(Q.get_receipt, code)
    if row is None:
        return None
    return StoredReceipt(
        code=row["code"],
        created_at=row["created_at"],
        valid_until=row["valid_until"],
        qr_text=row["qr_text"],
        diploma_id=row["diploma_id"],
        verdict=row["verdict"],
        result=orjson.loads(row["result"]),
    )
