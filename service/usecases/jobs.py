"""Background jobs (docs/jobs.md): queued in the same transaction as the row their person
sees, run by procrastinate's workers (service/worker.py), read back only by the person who
started them."""

from __future__ import annotations

import uuid
from typing import Any, cast

from service import texts
from service.db import jobs as db
from service.db import register as register_db
from service.db.jobs import JobRow
from service.db.pool import Pool
from service.domain.accounts import Principal
from service.domain.ids import uuid7
from service.domain.jobs import DocumentKind, JobError, JobOut
from service.keystore import KeyStore
from service.problems import JOB_NOT_FINISHED, NOT_FOUND, PERSONAL_TOKEN_REQUIRED, Problem
from service.usecases import printing
from service.usecases.access import decision_in_scope


async def queue_list(
    pool: Pool[Any], principal: Principal, staged_id: uuid.UUID, issuer_code: str, rows: int
) -> uuid.UUID:
    """Queues the registration of a checked list; a list already queued answers its job."""
    assert principal.account_id is not None  # the console's principals are people
    job_id = uuid7()
    async with pool.acquire() as conn, conn.transaction():
        inserted = await db.insert(
            conn,
            job_id=job_id,
            account_id=principal.account_id,
            issuer_code=issuer_code,
            kind="register_list",
            total_rows=rows,
            staged_id=staged_id,
        )
        if not inserted:
            found = await db.job_of_staged(conn, staged_id)
            assert found is not None
            return found
        await db.enqueue(conn, job_id, "register_list")
    return job_id


async def queue_print(
    pool: Pool[Any],
    principal: Principal,
    decision_id: uuid.UUID,
    document: DocumentKind = "check",
) -> uuid.UUID:
    """Queues the printed document of a decision the principal may read; a print of that
    document by the same person still being made answers that job."""
    if principal.account_id is None:  # an operator's token: no person to follow the job
        raise Problem(PERSONAL_TOKEN_REQUIRED, *texts.PERSONAL_TOKEN_REQUIRED)
    async with pool.acquire() as conn, conn.transaction():
        decision = await decision_in_scope(conn, principal, decision_id)
        job_id = uuid7()
        found = await db.insert_print(
            conn,
            job_id=job_id,
            account_id=principal.account_id,
            issuer_code=decision["issuer_code"],
            total_rows=max(await register_db.decision_diploma_count(conn, decision_id), 1),
            decision_id=decision_id,
            document=document,
        )
        if found == job_id:
            await db.enqueue(conn, job_id, "print_decision")
    return found


async def run_print(
    pool: Pool[Any],
    job_id: uuid.UUID,
    *,
    keystore: KeyStore,
    public_url: str,
    executor: Any,
    module_mm: float,
) -> None:
    """The worker's side of a print job: the document made as the person who asked for it
    (whose scope is checked again) in parts, its pages done said after each, then kept as
    the job's file. Run again, it makes it again."""
    async with pool.acquire() as conn:
        job = await db.get(conn, job_id)
        if job is None or job.decision_id is None or not await db.start(conn, job_id):
            return  # gone, or already finished
        principal = await db.principal(conn, job.account_id)
    if principal is None:
        async with pool.acquire() as conn:
            await db.fail(conn, job_id, *texts.JOB_ACCOUNT_INACTIVE)
        return

    async def progress(done: int, total: int) -> None:
        async with pool.acquire() as conn:
            await db.print_progress(conn, job_id, done, total)

    try:
        pdf, number = await printing.decision_pdf(
            pool,
            principal,
            job.decision_id,
            keystore=keystore,
            public_url=public_url,
            executor=executor,
            module_mm=module_mm,
            what=cast(DocumentKind, job.document or "check"),
            progress=progress,
        )
    except Problem as problem:
        async with pool.acquire() as conn:
            await db.fail(
                conn,
                job_id,
                problem.detail_vi or problem.type.title_vi,
                problem.detail_en or problem.type.title_en,
            )
        return
    except Exception:
        # Said on the job's page (and the person may ask again); procrastinate logs the rest.
        async with pool.acquire() as conn:
            await db.fail(conn, job_id, *texts.JOB_PRINT_FAILED)
        raise
    async with pool.acquire() as conn, conn.transaction():
        await db.save_file(conn, job_id, "application/pdf", f"quyet-dinh-{number}.pdf", pdf)
        await db.finish(conn, job_id)


async def print_file(pool: Pool[Any], principal: Principal, job_id: uuid.UUID) -> Any:
    """The file a finished print job made, to the person who asked for it; a job of theirs
    without its file yet (queued, running, failed) is job-not-finished."""
    job = await read(pool, principal, job_id)
    if job.kind != "print_decision":
        raise Problem(NOT_FOUND)
    async with pool.acquire() as conn:
        if job.decision_id is not None:  # still the person's to read
            await decision_in_scope(conn, principal, job.decision_id)
        found = await db.file(conn, job.id) if job.state == "done" else None
    if found is None:
        said = texts.JOB_NOT_FINISHED.format(state=job.state, path=f"/api/v1/jobs/{job.id}")
        raise Problem(JOB_NOT_FINISHED, *said)
    return found


async def read(pool: Pool[Any], principal: Principal, job_id: uuid.UUID) -> JobRow:
    """The principal's own job; anyone else's is not found."""
    async with pool.acquire() as conn:
        job = await db.get(conn, job_id)
    if job is None or principal.account_id is None or job.account_id != principal.account_id:
        raise Problem(NOT_FOUND)
    return job


async def of_staged(pool: Pool[Any], staged_id: uuid.UUID) -> uuid.UUID | None:
    """The job registering a checked list (the caller has read the list as its owner's)."""
    async with pool.acquire() as conn:
        return await db.job_of_staged(conn, staged_id)


async def of_decision(pool: Pool[Any], decision_id: uuid.UUID) -> JobRow | None:
    """The job registering the decision (the caller has checked the decision's scope)."""
    async with pool.acquire() as conn:
        return await db.of_decision(conn, decision_id)


def view(job: JobRow) -> JobOut:
    error = None
    if job.error_vi is not None and job.error_en is not None:
        error = JobError(vi=job.error_vi, en=job.error_en)
    return JobOut(
        id=job.id,
        kind=job.kind,
        state=job.state,
        done_rows=job.done_rows,
        total_rows=job.total_rows,
        decision_id=job.decision_id,
        document=job.document,
        result=_result(job),
        error=error,
        created_at=job.created_at,
        updated_at=job.updated_at,
        finished_at=job.finished_at,
    )


def _result(job: JobRow) -> str | None:
    """Where the job's result is: the decision a list became, or the file a print made."""
    if job.kind == "print_decision":
        return f"/api/v1/jobs/{job.id}/file" if job.state == "done" else None
    return None if job.decision_id is None else f"/api/v1/graduation-decisions/{job.decision_id}"
