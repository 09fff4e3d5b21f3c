"""Reading the log's stored subtrees and checkpoints; the SQL is in sql/queries/log.sql."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from service.db.pool import Connection
from service.db.queries import Q
from verifier import merkle
from verifier.merkle import Node


@dataclass(frozen=True)
class StoredCheckpoint:
    size: int
    root: bytes
    note: str
    created_at: datetime


def _checkpoint(row: Any) -> StoredCheckpoint | None:
    if row is None:
        return None
    return StoredCheckpoint(row["size"], bytes(row["root"]), row["note"], row["created_at"])


async def latest_checkpoint(conn: Connection) -> StoredCheckpoint | None:
    return _checkpoint(await conn.fetchrow(Q.log_latest_checkpoint))


async def cosigned_note(conn: Connection, checkpoint: StoredCheckpoint) -> str:
    """The checkpoint's note with the witnesses' cosignature lines kept for it appended: still
    a signed note, whose extra lines are signatures by other keys (c2sp.org/tlog-cosignature)."""
    lines = await conn.fetch(Q.log_cosignature_lines, checkpoint.size)
    return checkpoint.note + "".join(r["line"] + "\n" for r in lines)


async def queued_count(conn: Connection, diploma_ids: list[Any]) -> int:
    """How many events of these diplomas still wait for the sequencer."""
    count: int = await conn.fetchval(Q.log_diplomas_queued_count, diploma_ids)
    return count


async def latest_cosignatures(conn: Connection) -> list[Any]:
    """Each witness's latest cosignature: (witness verifier key, size, cosigned_at)."""
    rows: list[Any] = await conn.fetch(Q.log_latest_cosignatures)
    return rows


async def proof_checkpoint(conn: Connection, index: int) -> StoredCheckpoint | None:
    """The checkpoint an offline proof of leaf `index` is made against: of the latest and
    the last 64 that witnesses cosigned (all holding the leaf), the one the most witnesses
    cosigned, the newest of those. Right after a new checkpoint, the latest has no
    cosignature yet: a proof kept for good should carry what the witnesses said."""
    latest = await latest_checkpoint(conn)
    if latest is None or latest.size <= index:
        return None
    counts = {latest.size: 0}
    for row in await conn.fetch(Q.log_cosigned_sizes, index):
        counts[row["size"]] = row["witnesses"]
    size = max(counts, key=lambda s: (counts[s], s))
    return latest if size == latest.size else await checkpoint_of_size(conn, size)


async def checkpoint_of_size(conn: Connection, size: int) -> StoredCheckpoint | None:
    return _checkpoint(await conn.fetchrow(Q.log_checkpoint_of_size, size))


async def nodes(conn: Connection, wanted: list[Node]) -> dict[Node, bytes]:
    """The stored subtrees asked for, in one query; raises if one is missing (the tree was
    tampered with, or a size beyond the log was asked)."""
    if not wanted:
        return {}
    rows = await conn.fetch(Q.log_nodes, [n[0] for n in wanted], [n[1] for n in wanted])
    found = {(r["level"], r["idx"]): bytes(r["hash"]) for r in rows}
    missing = [n for n in wanted if n not in found]
    if missing:
        raise LookupError(f"the log lacks subtrees {missing[:4]}")
    return found


async def compute(conn: Connection, computation: Any) -> Any:
    """Runs a computation of verifier.merkle (root, inclusion, consistency) on the stored
    subtrees: O(log n) of them, read at once."""
    return merkle.build(computation, await nodes(conn, merkle.plan(computation)))
