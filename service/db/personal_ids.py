"""The sealed personal identification numbers (sql/queries/personal_ids.sql): written and
read as stored; sealing and opening them is service/sealing.py's, in the use cases."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import asyncpg

from service.db.queries import Q

Connection = asyncpg.Connection | asyncpg.pool.PoolConnectionProxy


async def insert(
    conn: Connection,
    key_id: bytes,
    diploma_ids: Sequence[uuid.UUID],
    sealed: Sequence[bytes],
    lookups: Sequence[bytes],
) -> None:
    """One statement for a whole batch."""
    if diploma_ids:
        await conn.execute(
            Q.insert_personal_ids, list(diploma_ids), key_id, list(sealed), list(lookups)
        )


async def sealed(
    conn: Connection, diploma_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, tuple[bytes, bytes]]:
    """Diploma -> (key id, sealed number), for those of `diploma_ids` that have one."""
    rows = await conn.fetch(Q.sealed_personal_ids, list(diploma_ids))
    return {r["diploma_id"]: (bytes(r["key_id"]), bytes(r["sealed"])) for r in rows}


async def diplomas_by_lookup(conn: Connection, lookup: bytes) -> list[asyncpg.Record]:
    return list(await conn.fetch(Q.diplomas_by_personal_id, lookup))
