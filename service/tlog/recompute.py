"""`vanbang audit verify`: recomputes the issuance log from the database and compares it with
what was published. It catches a leaf, a subtree or a checkpoint edited in the database, a
register record changed or deleted after it was logged, and an event written around the
log. The sequencer is run first, so that nothing waits in the queue."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import asyncpg

from service.db.pool import Connection
from service.db.queries import Q
from service.tlog.sequencer import LogSigner, leaf_data, sequence_all
from verifier import merkle
from verifier.errors import NoteError
from verifier.note import verify_checkpoint

CHUNK = 50_000


@dataclass
class AuditReport:
    leaves: int = 0
    checkpoints: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


async def verify_log(pool: asyncpg.Pool[Any], signer: LogSigner) -> AuditReport:
    await sequence_all(pool, signer)
    report = AuditReport()
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read"):
        checkpoints = await conn.fetch(Q.log_all_checkpoints)
        report.checkpoints = len(checkpoints)
        by_size = {}
        for cp in checkpoints:
            try:
                published = verify_checkpoint(cp["note"], signer.verifier_key, signer.origin)
            except NoteError as exc:
                report.problems.append(f"checkpoint {cp['size']}: {exc}")
                continue
            if (published.size, published.root) != (cp["size"], bytes(cp["root"])):
                report.problems.append(f"checkpoint {cp['size']}: columns differ from the note")
            by_size[published.size] = published.root
        await _recompute(conn, report, by_size)
        for row in await conn.fetch(Q.log_unlogged_events):
            report.problems.append(f"{row['event_type']} {row['ref']} is not in the log")
        for row in await conn.fetch(Q.log_orphan_leaves):
            report.problems.append(
                f"leaf {row['idx']} ({row['event_type']}): its record is gone or was changed"
            )
    return report


async def _recompute(conn: Connection, report: AuditReport, roots: dict[int, bytes]) -> None:
    """Rebuilds the tree leaf by leaf from each leaf's columns, checking the stored data,
    leaf hashes and subtrees and each checkpoint's root on the way."""
    known: dict[merkle.Node, bytes] = {}
    computed: dict[merkle.Node, bytes] = {}
    size = 0
    if 0 in roots and roots[0] != merkle.EMPTY_ROOT:
        report.problems.append("checkpoint 0: not the empty tree's root")
    while True:
        rows = await conn.fetch(Q.log_leaves_range, size, CHUNK)
        if not rows:
            break
        for row in rows:
            index = row["idx"]
            if index != size:
                report.problems.append(f"leaf {size} is missing (next is {index})")
                return
            data = leaf_data(row)
            if bytes(row["data"]) != data:
                report.problems.append(f"leaf {index}: its data differs from its columns")
            if bytes(row["leaf_hash"]) != merkle.leaf_hash(bytes(row["data"])):
                report.problems.append(f"leaf {index}: its hash is not the hash of its data")
            new = merkle.append(size, known, [merkle.leaf_hash(data)])
            computed.update((node, h) for node, h in new.items() if node[0] > 0)
            size += 1
            # Only the frontier is needed to go on; keep memory to O(log n).
            keep = set(merkle.frontier(size))
            for node in [n for n in known if n not in keep]:
                del known[node]
            if size in roots and merkle.build(merkle.root(size), known) != roots[size]:
                report.problems.append(f"checkpoint {size}: the recomputed root differs")
    report.leaves = size
    if roots and max(roots) != size:
        report.problems.append(
            f"the latest checkpoint is of {max(roots)} leaves, the log has {size}"
        )
    stored = {
        (r["level"], r["idx"]): bytes(r["hash"]) for r in await conn.fetch(Q.log_nodes_range, size)
    }
    for node, value in computed.items():
        if stored.get(node) != value:
            report.problems.append(f"subtree {node}: stored hash differs from the recomputed one")
    for node in stored.keys() - computed.keys():
        report.problems.append(f"subtree {node}: stored but not part of the tree")
