"""`vanbang audit verify`: recomputes the issuance log from the database and compares it with
what was published. It catches a leaf, a subtree or a checkpoint edited in the database, a
register record changed or deleted after it was logged, and an event written around the
log. The sequencer is run first, so that nothing waits in the queue.

The check reads the log in chunks and does its CPU work (signatures, encoding and hashing
every leaf) in a thread, so that a server process whose job worker runs it on schedule
(service/worker.py) goes on answering requests meanwhile; its memory stays that of a chunk."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import asyncpg

from service.db.pool import Connection
from service.db.queries import Q
from service.domain.log_audit import LogProblem
from service.tlog.sequencer import LogSigner, leaf_data, sequence_all
from verifier import merkle
from verifier.errors import NoteError
from verifier.note import verify_checkpoint

CHUNK = 50_000


@dataclass
class AuditReport:
    leaves: int = 0
    checkpoints: int = 0
    events: int = 0  # register events compared with the leaves
    root: bytes | None = None  # the recomputed root of every leaf (None: a leaf is missing)
    found: list[LogProblem] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        """Each problem as the command line says it."""
        return [p.line for p in self.found]

    @property
    def ok(self) -> bool:
        return not self.found


async def verify_log(pool: asyncpg.Pool[Any], signer: LogSigner) -> AuditReport:
    await sequence_all(pool, signer)
    report = AuditReport()
    loop = asyncio.get_running_loop()
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read"):
        checkpoints = await conn.fetch(Q.log_all_checkpoints)
        report.checkpoints = len(checkpoints)
        roots = await loop.run_in_executor(None, _checkpoints, checkpoints, signer, report)
        await _recompute(conn, report, roots)
        report.events = await conn.fetchval(Q.log_event_count)
        for row in await conn.fetch(Q.log_unlogged_events):
            report.found.append(
                LogProblem("event_unlogged", {"event": row["event_type"], "ref": row["ref"]})
            )
        for row in await conn.fetch(Q.log_orphan_leaves):
            report.found.append(
                LogProblem("leaf_orphan", {"index": row["idx"], "event": row["event_type"]})
            )
    return report


def _checkpoints(
    checkpoints: list[Any], signer: LogSigner, report: AuditReport
) -> dict[int, bytes]:
    """Each stored checkpoint's signature, and its columns against its note: the roots by
    size of those that verify."""
    by_size = {}
    for cp in checkpoints:
        try:
            published = verify_checkpoint(cp["note"], signer.verifier_key, signer.origin)
        except NoteError as exc:
            report.found.append(
                LogProblem("checkpoint_invalid", {"size": cp["size"], "reason": str(exc)})
            )
            continue
        if (published.size, published.root) != (cp["size"], bytes(cp["root"])):
            report.found.append(LogProblem("checkpoint_columns", {"size": cp["size"]}))
        by_size[published.size] = published.root
    return by_size


@dataclass
class _Rebuilt:
    """The tree rebuilt so far: its size and frontier, and the published roots to meet."""

    roots: dict[int, bytes]
    report: AuditReport
    size: int = 0
    known: dict[merkle.Node, bytes] = field(default_factory=dict)


async def _recompute(conn: Connection, report: AuditReport, roots: dict[int, bytes]) -> None:
    """Rebuilds the tree leaf by leaf from each leaf's columns, a chunk at a time, checking
    the stored data, leaf hashes and subtrees and each checkpoint's root on the way."""
    loop = asyncio.get_running_loop()
    tree = _Rebuilt(roots, report)
    if 0 in roots and roots[0] != merkle.EMPTY_ROOT:
        report.found.append(LogProblem("empty_root"))
    whole = True
    while whole:
        start = tree.size
        rows = await conn.fetch(Q.log_leaves_range, start, CHUNK)
        if not rows:
            break
        stored = await conn.fetch(Q.log_nodes_ending, start, start + len(rows))
        whole = await loop.run_in_executor(None, _chunk, tree, rows, stored)
    report.leaves = tree.size
    if not whole:
        return
    report.root = merkle.build(merkle.root(tree.size), tree.known)
    if roots and max(roots) != tree.size:
        report.found.append(
            LogProblem("size_differs", {"checkpoint": max(roots), "leaves": tree.size})
        )


def _chunk(tree: _Rebuilt, rows: list[Any], stored_rows: list[Any]) -> bool:
    """Appends a chunk of leaves to the rebuilt tree and compares the subtrees they complete
    with the stored ones; False when a leaf is missing (the tree cannot be rebuilt on)."""
    found = tree.report.found
    computed: dict[merkle.Node, bytes] = {}
    whole = True
    for row in rows:
        index = row["idx"]
        if index != tree.size:
            found.append(LogProblem("leaf_missing", {"index": tree.size, "next": index}))
            whole = False
            break
        data = leaf_data(row)
        if bytes(row["data"]) != data:
            found.append(LogProblem("leaf_data", {"index": index}))
        if bytes(row["leaf_hash"]) != merkle.leaf_hash(bytes(row["data"])):
            found.append(LogProblem("leaf_hash", {"index": index}))
        new = merkle.append(tree.size, tree.known, [merkle.leaf_hash(data)])
        computed.update((node, h) for node, h in new.items() if node[0] > 0)
        tree.size += 1
        # Only the frontier is needed to go on; keep memory to O(log n).
        keep = set(merkle.frontier(tree.size))
        for node in [n for n in tree.known if n not in keep]:
            del tree.known[node]
        published = tree.roots.get(tree.size)
        if published is not None and merkle.build(merkle.root(tree.size), tree.known) != published:
            found.append(LogProblem("root_differs", {"size": tree.size}))
    if not whole:
        return False
    stored = {(r["level"], r["idx"]): bytes(r["hash"]) for r in stored_rows}
    for node, value in computed.items():
        if stored.get(node) != value:
            found.append(LogProblem("subtree_differs", {"level": node[0], "index": node[1]}))
    for node in sorted(stored.keys() - computed.keys()):
        found.append(LogProblem("subtree_extra", {"level": node[0], "index": node[1]}))
    return True
