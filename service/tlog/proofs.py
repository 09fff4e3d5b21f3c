"""Inclusion and consistency proofs, and the bundle a holder archives, each from O(log n)
stored subtrees read in one query; and the leaves, for followers. Each is an answer model of
service/domain/tlog_views.py."""

from __future__ import annotations

from typing import Any

import asyncpg

from service import texts
from service.db.queries import Q
from service.domain.log_audit import DiplomaLeaf, DiplomaLog, LeafState
from service.domain.tlog_views import (
    Bundle,
    BundleLeaf,
    BundleProof,
    ConsistencyProof,
    InclusionProof,
    Leaves,
    LogLeaf,
)
from service.problems import NOT_FOUND, VALIDATION_ERROR, FieldError, Problem
from service.tlog import store
from verifier import merkle
from verifier.errors import NoteError, ProofError
from verifier.note import verify_checkpoint
from verifier.proof import TlogProof


def _bad(name: str, text: texts.Text) -> Problem:
    return Problem(VALIDATION_ERROR, errors=[FieldError((name,), "out_of_range", *text)])


async def _size(conn: Any, asked: int | None) -> int:
    latest = await store.latest_checkpoint(conn)
    published = 0 if latest is None else latest.size
    if asked is None:
        return published
    if not 0 <= asked <= published:
        raise _bad("size", texts.TREE_SIZE_RANGE.format(published=published))
    return asked


async def inclusion(
    pool: asyncpg.Pool[Any], *, index: int | None, leaf_hash: bytes | None, size: int | None
) -> InclusionProof:
    """The proof that a leaf (by index, or by its hash) is in the tree of `size` leaves (the
    latest checkpoint's by default)."""
    async with pool.acquire() as conn:
        tree_size = await _size(conn, size)
        if leaf_hash is not None:
            row = await conn.fetchrow(Q.log_leaf_by_hash, leaf_hash)
        else:
            row = await conn.fetchrow(Q.log_leaf_by_index, index)
        if row is None or row["idx"] >= tree_size:
            raise Problem(NOT_FOUND)
        proof = await store.compute(conn, merkle.inclusion(row["idx"], tree_size))
        root = await store.compute(conn, merkle.root(tree_size))
    return InclusionProof(
        index=row["idx"],
        tree_size=tree_size,
        leaf_hash=bytes(row["leaf_hash"]),
        leaf_data=bytes(row["data"]),
        root_hash=root,
        proof=proof,
    )


async def consistency(pool: asyncpg.Pool[Any], *, old: int, new: int | None) -> ConsistencyProof:
    async with pool.acquire() as conn:
        tree_size = await _size(conn, new)
        if not 0 <= old <= tree_size:
            raise _bad("from", texts.OLD_SIZE_RANGE.format(size=tree_size))
        proof = await store.compute(conn, merkle.consistency(old, tree_size))
    return ConsistencyProof(from_=old, to=tree_size, proof=proof)


async def bundle(conn: Any, diploma_id: Any, signed: bytes) -> Bundle:
    """A diploma's record with the proof of its issue leaf against the latest checkpoint: what
    a holder keeps to show, offline and for good, that the record was published."""
    leaf = await conn.fetchrow(Q.log_issue_leaf, diploma_id)
    latest = await store.latest_checkpoint(conn)
    if leaf is None or latest is None or leaf["idx"] >= latest.size:
        raise Problem(NOT_FOUND, *texts.NOT_IN_LOG_YET)
    proof = await store.compute(conn, merkle.inclusion(leaf["idx"], latest.size))
    return Bundle(
        record=signed,
        leaf=BundleLeaf(index=leaf["idx"], data=bytes(leaf["data"])),
        inclusion_proof=BundleProof(tree_size=latest.size, proof=proof),
        checkpoint=latest.note,
    )


async def leaf_proof(conn: Any, index: int, data: bytes) -> str | None:
    """The offline proof (c2sp.org/tlog-proof@v1, verifier/proof.py) of leaf `index`, whose
    entry is `data`: the entry as its extra data, the inclusion proof and the checkpoint
    with the cosignatures kept for it; None while no checkpoint holds the leaf."""
    checkpoint = await store.proof_checkpoint(conn, index)
    if checkpoint is None:
        return None
    path = await store.compute(conn, merkle.inclusion(index, checkpoint.size))
    note = await store.cosigned_note(conn, checkpoint)
    return TlogProof(index, tuple(path), note, extra=data).text()


async def public_proof(pool: asyncpg.Pool[Any], index: int) -> str:
    """Any leaf's offline proof: the log is public, and so are its leaves (/log/leaves)."""
    async with pool.acquire() as conn:
        row = await conn.fetchrow(Q.log_leaf_by_index, index)
        answer = None if row is None else await leaf_proof(conn, index, bytes(row["data"]))
    if answer is None:
        raise Problem(NOT_FOUND, *texts.LEAF_NOT_IN_LOG)
    return answer


async def diploma_proof(
    conn: Any, diploma_id: Any, index: int | None, version: int
) -> tuple[int, str]:
    """(the leaf's index, its offline proof) of one of the diploma's leaves (by index), by
    default of the leaf of its `version` (its issue, or the correction that made it)."""
    if index is not None:
        row = await conn.fetchrow(Q.log_diploma_leaf, index, diploma_id)
        if row is None:
            raise Problem(NOT_FOUND)  # not a leaf of this diploma
    else:
        found = await conn.fetchval(Q.log_version_leaf, diploma_id, version)
        row = None if found is None else await conn.fetchrow(Q.log_leaf_by_index, found)
    answer = None if row is None else await leaf_proof(conn, row["idx"], bytes(row["data"]))
    if answer is None:
        raise Problem(NOT_FOUND, *texts.NOT_IN_LOG_YET)
    return row["idx"], answer


async def version_proof(conn: Any, diploma_id: Any, version: int) -> str | None:
    """The proof of a diploma version's leaf, for its digital diploma; None while the leaf
    is queued (the document is then made without it)."""
    try:
        return (await diploma_proof(conn, diploma_id, None, version))[1]
    except Problem:
        return None


async def leaves(pool: asyncpg.Pool[Any], start: int, count: int) -> Leaves:
    """The leaves from `start` on, at most `count`, within the latest checkpoint."""
    async with pool.acquire() as conn:
        latest = await store.latest_checkpoint(conn)
        size = 0 if latest is None else latest.size
        rows = await conn.fetch(Q.log_leaves_range, start, min(count, max(size - start, 0)))
    return Leaves(
        tree_size=size,
        leaves=[LogLeaf.from_row(r) for r in rows],
    )


async def diploma_log(conn: Any, diploma_id: Any, verifier_key: str | None) -> DiplomaLog:
    """A diploma's leaves, each with its inclusion proof built from the stored subtrees and
    verified (RFC 9162 2.1.3.2) against the root of the latest checkpoint, whose signature is
    checked first when the log's key is at hand; and its events still queued."""
    latest = await store.latest_checkpoint(conn)
    size = root = None
    if latest is not None:
        size, root = latest.size, latest.root
        if verifier_key is not None:
            try:
                published = verify_checkpoint(latest.note, verifier_key)
            except NoteError:
                root = None  # a checkpoint that does not verify proves nothing
            else:
                size, root = published.size, published.root
    shown = []
    for row in await conn.fetch(Q.log_diploma_leaves, diploma_id):
        index, data = row["idx"], bytes(row["data"])
        state: LeafState = "queued"
        if size is not None and index < size:
            state = "failed"
            try:
                proof = await store.compute(conn, merkle.inclusion(index, size))
                if root is not None:
                    merkle.verify_inclusion(merkle.leaf_hash(data), index, size, proof, root)
                    state = "included"
            except (LookupError, ProofError):
                pass
        shown.append(
            DiplomaLeaf(row["event_type"], row["event_time"], state, index, merkle.leaf_hash(data))
        )
    for row in await conn.fetch(Q.log_diploma_queued, diploma_id):
        shown.append(DiplomaLeaf(row["event_type"], row["event_time"], "queued"))
    return DiplomaLog(tuple(shown), size, root)
