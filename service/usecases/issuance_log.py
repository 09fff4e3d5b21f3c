"""The issuance log as an auditor sees it (docs/audit.md): the latest checkpoint and the
results of rechecking the log from the database, each run of `vanbang audit verify` (from
the command line, or on the job workers' schedule) kept in `log_audit_runs`; a diploma's
leaves with their inclusion proofs checked; and its bundle, journalled as a download."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from service.db import lifecycle as lifecycle_db
from service.db import log_audit as db
from service.db.pool import Pool
from service.domain.accounts import Principal
from service.domain.journal import Action
from service.domain.log_audit import AuditRun, DiplomaLog, How
from service.domain.tlog_views import Bundle
from service.tlog import proofs, store
from service.tlog.recompute import AuditReport, verify_log
from service.tlog.sequencer import LogSigner
from service.tlog.store import StoredCheckpoint
from service.usecases import journal
from service.usecases.access import diploma_in_scope, ensure_may_supervise

SHOWN_RUNS: Final = 10


async def audit(pool: Pool[Any], signer: LogSigner, how: How) -> AuditReport:
    """Recomputes the log from the database and keeps the result."""
    started = datetime.now(UTC)
    report = await verify_log(pool, signer)
    async with pool.acquire() as conn:
        await db.record_run(
            conn,
            started_at=started,
            finished_at=datetime.now(UTC),
            tree_size=report.leaves,
            root=report.root,
            checkpoints=report.checkpoints,
            events=report.events,
            problems=report.found,
            how=how,
        )
    return report


@dataclass(frozen=True)
class Cosigned:
    """A witness's latest cosignature: its name (from its verifier key), the size, when."""

    witness: str
    size: int
    cosigned_at: datetime


@dataclass(frozen=True)
class LogState:
    checkpoint: StoredCheckpoint | None
    runs: list[AuditRun]
    cosigned: list[Cosigned] = field(default_factory=list)


async def log_state(pool: Pool[Any], principal: Principal) -> LogState:
    """What the issuance log page shows: for auditors and admins."""
    ensure_may_supervise(principal)
    async with pool.acquire() as conn:
        checkpoint = await store.latest_checkpoint(conn)
        runs = await db.latest_runs(conn, SHOWN_RUNS)
        cosigned = [
            Cosigned(r["witness"].split("+", 1)[0], r["size"], r["cosigned_at"])
            for r in await store.latest_cosignatures(conn)
        ]
    return LogState(checkpoint, runs, cosigned)


async def diploma_log(
    pool: Pool[Any], principal: Principal, diploma_id: uuid.UUID, verifier_key: str | None
) -> DiplomaLog:
    """A diploma's leaves and their checked inclusion proofs, for anyone who may read it."""
    async with pool.acquire() as conn:
        await diploma_in_scope(conn, principal, diploma_id)
        return await proofs.diploma_log(conn, diploma_id, verifier_key)


@dataclass(frozen=True)
class LeafProof:
    """A leaf's offline proof (c2sp.org/tlog-proof@v1) and the file name to save it as."""

    text: str
    name: str


async def proof(
    pool: Pool[Any], principal: Principal, diploma_id: uuid.UUID, index: int | None
) -> LeafProof:
    """The offline proof of one of the diploma's leaves, by default its current version's
    (its issue, or its latest correction), for anyone who may read it. Not journalled: a
    proof holds the leaf, no personal data, as the public log does."""
    async with pool.acquire() as conn:
        await diploma_in_scope(conn, principal, diploma_id)
        state = await lifecycle_db.read_state(conn, diploma_id)
        found, text = await proofs.diploma_proof(conn, diploma_id, index, state.version or 1)
    return LeafProof(text, proof_name(f"{diploma_id}-{found}"))


def proof_name(stem: str) -> str:
    """A proof's file name, with the extension C2SP asks for."""
    return f"bang-chung-{stem}.tlog-proof"


async def bundle(pool: Pool[Any], principal: Principal, diploma_id: uuid.UUID) -> Bundle:
    """The diploma's signed record with its leaf, proof and checkpoint. The record carries the
    holder's particulars: its download is journalled, as a register's export is."""
    async with pool.acquire() as conn:
        row = await diploma_in_scope(conn, principal, diploma_id)
        answer = await proofs.bundle(conn, diploma_id, row.signed)
        await journal.note(
            conn,
            principal,
            Action.EXPORT_BUNDLE,
            issuer_code=row.issuer_code,
            record_type="diploma",
            record_id=diploma_id,
            detail={"leaf": answer.leaf.index, "tree_size": answer.inclusion_proof.tree_size},
        )
    return answer
