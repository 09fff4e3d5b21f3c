"""Digital diplomas (văn bằng số, docs/digital-diplomas.md): a decision's documents made by a
background job, each diploma version rendered by its layout as PDF/A-3 with its signed
register record attached, signed PAdES with the issuer's organisation certificate and kept;
downloaded by staff within scope. A job run again skips the versions already made."""

from __future__ import annotations

import asyncio
import functools
import hashlib
import uuid
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

import structlog

from service import texts
from service.db import console as console_db
from service.db import jobs as jobs_db
from service.db import lifecycle as lifecycle_db
from service.db import printing as db
from service.db import register as register_db
from service.db.pool import Pool
from service.digital.document import diploma_document
from service.docsign.pades import async_sign_pdf
from service.docsign.registry import DocSigners
from service.domain.accounts import Principal
from service.domain.ids import uuid7
from service.domain.kinds import DiplomaKind
from service.domain.regulations import Deadline, digital_rule, has_digital
from service.keystore import KeyStore
from service.printing.layout import default_layout, shipped_layouts
from service.problems import (
    NO_DIGITAL_DIPLOMAS,
    NO_DOCUMENT_SIGNER,
    NOT_FOUND,
    PERSONAL_TOKEN_REQUIRED,
    Problem,
)
from service.qr.tokens import diploma_qr_text
from service.tlog import proofs, store
from service.usecases.access import check_write_scope, decision_in_scope, diploma_in_scope

log = structlog.get_logger(__name__)
PROGRESS_EVERY: Final = 20  # documents between two progress updates
LOG_WAIT_SECONDS: Final = 30.0  # for the sequencer to log the decision (the offline proofs)


@dataclass(frozen=True)
class Progress:
    """How far a decision's digital diplomas are: of its diplomas in force, how many have
    one, and the day they are all due by under the regulation's `rule`."""

    in_force: int
    made: int
    due: date
    rule: Deadline
    today: date

    @property
    def late(self) -> bool:
        """Some are not made and the day they were due has passed."""
        return self.made < self.in_force and self.due < self.today


async def progress(pool: Pool[Any], decision: Any, today: date) -> Progress | None:
    """The progress of `decision` (read within scope by the caller) on `today` (Vietnam
    time), or None where its regulation gives its kind no digital diploma."""
    rule = digital_rule(decision.regulation, decision.kind, decision.date)
    if rule is None:
        return None
    async with pool.acquire() as conn:
        in_force, made = await console_db.digital_progress(conn, decision.id)
    return Progress(in_force, made, rule.due(decision.date), rule, today)


async def queue(
    pool: Pool[Any], principal: Principal, decision_id: uuid.UUID, *, signers: DocSigners
) -> uuid.UUID:
    """Queues the making of a decision's digital diplomas (its issuer's writers); asking again
    while they are being made answers that job."""
    if principal.account_id is None:  # an operator's token: no person to follow the job
        raise Problem(PERSONAL_TOKEN_REQUIRED, *texts.PERSONAL_TOKEN_REQUIRED)
    async with pool.acquire() as conn, conn.transaction():
        decision = await decision_in_scope(conn, principal, decision_id)
        await check_write_scope(conn, principal, decision["issuer_code"])
        rows = await register_db.list_decision_records(conn, decision_id)
        if not rows or not has_digital(
            rows[0]["regulation"], rows[0]["kind"], rows[0]["issued_on"]
        ):
            regulation = rows[0]["regulation"] if rows else ""
            raise Problem(
                NO_DIGITAL_DIPLOMAS, *texts.NO_DIGITAL_DIPLOMAS.format(regulation=regulation)
            )
        if signers.doc_signer_for(decision["issuer_code"]) is None:
            raise Problem(
                NO_DOCUMENT_SIGNER, *texts.NO_DOC_SIGNER.format(issuer=decision["issuer_code"])
            )
        return await queue_in(
            conn,
            account_id=principal.account_id,
            issuer_code=decision["issuer_code"],
            decision_id=decision_id,
            total_rows=len(rows),
        )


async def queue_in(
    conn: Any,
    *,
    account_id: uuid.UUID,
    issuer_code: str,
    decision_id: uuid.UUID,
    total_rows: int,
) -> uuid.UUID:
    """The job making a decision's digital diplomas, queued in the caller's transaction (a
    request asking for it, or the registration itself); the one already queued or running
    when there is one."""
    job_id = uuid7()
    found: uuid.UUID = await jobs_db.insert_digital(
        conn,
        job_id=job_id,
        account_id=account_id,
        issuer_code=issuer_code,
        total_rows=total_rows,
        decision_id=decision_id,
    )
    if found == job_id:
        await jobs_db.enqueue(conn, job_id, "digital_diplomas")
    return found


async def run(
    pool: Pool[Any],
    job_id: uuid.UUID,
    *,
    keystore: KeyStore,
    signers: DocSigners | None,
    public_url: str,
    module_mm: float,
    tsa_url: str | None,
    executor: Executor | None,
) -> None:
    """The worker's side: each diploma in force of the decision, each version not yet made,
    rendered, signed and kept; progress between every few. Revoked and replaced diplomas get
    no new document."""
    async with pool.acquire() as conn:
        job = await jobs_db.get(conn, job_id)
        if job is None or job.decision_id is None or not await jobs_db.start(conn, job_id):
            return
        issuer = job.issuer_code
        assert issuer is not None  # a digital-diplomas job is always an issuer's
        rows = await register_db.list_decision_records(conn, job.decision_id)
        names = await db.issuer_names(conn, [issuer])
        made = await db.digital_versions(conn, [r["id"] for r in rows])
    signer = None if signers is None else signers.doc_signer_for(issuer)
    if signer is None:
        async with pool.acquire() as conn:
            await jobs_db.fail(conn, job_id, *texts.NO_DOC_SIGNER.format(issuer=issuer))
        return
    layouts = shipped_layouts(module_mm)
    loop = asyncio.get_running_loop()
    await _logged(pool, [r["id"] for r in rows])
    try:
        for index, row in enumerate(rows, start=1):
            async with pool.acquire() as conn:
                state = await lifecycle_db.read_state(conn, row["id"])
            version = state.version or 1
            standing = state.revoked_decision is None and state.replaced_by is None
            if standing and (row["id"], version) not in made:
                async with pool.acquire() as conn:
                    proof = await proofs.version_proof(conn, row["id"], version)
                values = dict(row)
                if state.current is not None:
                    values.update(state.current)
                    values["date_of_birth"] = date.fromisoformat(str(values["date_of_birth"]))
                unsigned = await loop.run_in_executor(
                    executor,
                    functools.partial(
                        diploma_document,
                        values,
                        diploma_qr_text(row, keystore, public_url),
                        bytes(row["signed"]),
                        layout=default_layout(layouts, DiplomaKind(row["kind"])),
                        issuer_name=names.get(issuer, issuer),
                        module_mm=module_mm,
                        issued_at=row["issued_at"],
                        corrected=state.record_signed,
                        version=version,
                        proof=proof,
                    ),
                )
                signed = await async_sign_pdf(unsigned, signer, tsa_url=tsa_url)
                async with pool.acquire() as conn:
                    await db.save_digital(
                        conn,
                        row["id"],
                        version,
                        signed.pdf,
                        hashlib.sha256(signed.pdf).digest(),
                        signed.level.level,
                        job_id,
                    )
            if index % PROGRESS_EVERY == 0 or index == len(rows):
                async with pool.acquire() as conn:
                    await jobs_db.print_progress(conn, job_id, index, len(rows))
    except Exception:
        async with pool.acquire() as conn:
            await jobs_db.fail(conn, job_id, *texts.DIGITAL_JOB_FAILED)
        raise
    async with pool.acquire() as conn:
        await jobs_db.finish(conn, job_id)
    log.info("digital_diplomas_made", job=str(job_id), diplomas=len(rows))


async def _logged(pool: Pool[Any], diploma_ids: list[uuid.UUID]) -> None:
    """Waits (at most LOG_WAIT_SECONDS) until the sequencer has taken these diplomas' events
    into the issuance log, so that each document carries its version's offline proof: the
    job is queued with the registration, and the log catches up within a second or so. A
    log that does not catch up in time leaves the documents without it, as docs say."""
    deadline = loop_time() + LOG_WAIT_SECONDS
    while loop_time() < deadline:
        async with pool.acquire() as conn:
            if await store.queued_count(conn, diploma_ids) == 0:
                return
        await asyncio.sleep(0.25)
    log.warning("digital_diplomas_before_log", diplomas=len(diploma_ids))


def loop_time() -> float:
    return asyncio.get_running_loop().time()


async def document(pool: Pool[Any], principal: Principal, diploma_id: uuid.UUID) -> Any:
    """The diploma's latest digital diploma (its version, bytes, level), within scope."""
    async with pool.acquire() as conn:
        row = await diploma_in_scope(conn, principal, diploma_id)
        found = await db.latest_digital(conn, diploma_id)
    if found is None:
        raise Problem(NOT_FOUND, *texts.DIGITAL_NOT_MADE)
    return row.serial, found
