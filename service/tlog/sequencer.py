"""The sequencer: moves queued events into the log with gapless indices, stores the subtrees
they complete and signs a checkpoint, all in one transaction. One runs at a time (an
advisory lock); every server process tries every half second, so a checkpoint follows an
append within about a second."""

from __future__ import annotations

import asyncio
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import asyncpg
import structlog
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from service.background import every
from service.db.queries import Q
from service.tlog import store
from verifier import merkle
from verifier.note import Checkpoint, sign_note, verifier_key

log = structlog.get_logger(__name__)
BATCH = 20_000  # leaves per transaction: bounded work, a checkpoint per batch
INTERVAL = 0.5


@dataclass(frozen=True)
class LogSigner:
    """The log's name (origin) and note key."""

    origin: str
    key: Ed25519PrivateKey

    @property
    def verifier_key(self) -> str:
        return verifier_key(self.origin, self.key.public_key())

    def sign(self, size: int, root: bytes) -> str:
        return sign_note(Checkpoint(self.origin, size, root).body(), self.origin, self.key)


def leaf_data(row: Any) -> bytes:
    diploma = row["diploma_id"]
    return merkle.encode_leaf(
        row["event_type"],
        row["issuer_code"],
        None if diploma is None else diploma.bytes,
        bytes(row["record_hash"]),
        int(row["event_time"].timestamp()),
    )


def _tree_work(
    rows: list[Any], size: int, known: dict[merkle.Node, bytes]
) -> tuple[list[bytes], list[bytes], dict[merkle.Node, bytes]]:
    datas = [leaf_data(r) for r in rows]
    hashes = [merkle.leaf_hash(d) for d in datas]
    return datas, hashes, merkle.append(size, known, hashes)


async def sequence_once(pool: asyncpg.Pool[Any], signer: LogSigner) -> int:
    """Appends up to BATCH queued events; the number appended (0 when another process holds
    the sequencer, or nothing waits). Writes the first, empty checkpoint of a new log."""
    async with pool.acquire() as conn, conn.transaction():
        if not await conn.fetchval(Q.log_sequencer_lock):
            return 0
        latest = await store.latest_checkpoint(conn)
        size = 0 if latest is None else latest.size
        rows = sorted(await conn.fetch(Q.log_take_queued, BATCH), key=lambda r: r["id"])
        if not rows and latest is not None:
            return 0
        now = datetime.now(UTC)
        known = await store.nodes(conn, merkle.frontier(size))
        # Encoding and hashing a batch is CPU work: off the event loop, so that requests
        # go on being served meanwhile.
        datas, hashes, completed = await asyncio.get_running_loop().run_in_executor(
            None, _tree_work, rows, size, known
        )
        await conn.copy_records_to_table(
            "log_leaves",
            records=[
                (
                    size + i,
                    r["event_type"],
                    r["issuer_code"],
                    r["diploma_id"],
                    r["record_hash"],
                    r["event_time"],
                    datas[i],
                    hashes[i],
                    now,
                )
                for i, r in enumerate(rows)
            ],
            columns=[
                "idx",
                "event_type",
                "issuer_code",
                "diploma_id",
                "record_hash",
                "event_time",
                "data",
                "leaf_hash",
                "sequenced_at",
            ],
        )
        await conn.copy_records_to_table(
            "log_nodes",
            records=[(lv, ix, h) for (lv, ix), h in completed.items() if lv > 0],
            columns=["level", "idx", "hash"],
        )
        new_size = size + len(rows)
        root = merkle.build(merkle.root(new_size), known)
        assert isinstance(root, bytes)
        await conn.execute(
            Q.log_insert_checkpoint, new_size, root, signer.sign(new_size, root), now
        )
    if rows:
        log.info("log_appended", leaves=len(rows), size=new_size)
    return len(rows)


async def sequence_all(pool: asyncpg.Pool[Any], signer: LogSigner) -> int:
    """Drains the queue (as far as this process holds the sequencer)."""
    total = 0
    while appended := await sequence_once(pool, signer):
        total += appended
    return total


def running(pool: asyncpg.Pool[Any], signer: LogSigner) -> AbstractAsyncContextManager[None]:
    """The sequencer every half second while the context is open."""
    return every(INTERVAL, lambda: sequence_all(pool, signer), "log_sequencing_failed")
