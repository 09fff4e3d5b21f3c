"""The national diploma database export's reads: the log's size and a page of leaves with the
register rows they were made of; the SQL is in sql/queries/national_export.sql."""

from __future__ import annotations

import orjson

from service.db.pool import Connection
from service.db.queries import Q
from service.domain.national_export import LeafRows


async def log_size(conn: Connection) -> int:
    """The leaves under the latest signed checkpoint."""
    return int(await conn.fetchval(Q.national_export_log_size))


def _json(value: str | None) -> dict[str, object] | None:
    return None if value is None else orjson.loads(value)


async def leaves(
    conn: Connection,
    start: int,
    end: int,
    events: list[str],
    issuers: list[str] | None,
    limit: int,
) -> list[LeafRows]:
    """The leaves [start, end) of the events and issuers (None: every issuer), in order."""
    rows = await conn.fetch(Q.national_export_leaves, start, end, events, issuers, limit)
    return [
        LeafRows(
            index=r["idx"],
            event_type=r["event_type"],
            issuer_code=r["issuer_code"],
            leaf_hash=bytes(r["leaf_hash"]),
            event_time=r["event_time"],
            diploma=_json(r["diploma"]),
            decision=_json(r["decision"]),
            issuer=_json(r["issuer"]),
            event=_json(r["event"]),
        )
        for r in rows
    ]
