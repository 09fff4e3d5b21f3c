"""Background jobs (docs/jobs.md): queued in the same transaction as the row their person
sees, run by procrastinate's workers (service/worker.py), read back only by the person who
started them."""

from __future__ import annotations

import uuid
from typing import Any

from service.db import jobs as db
from service.db.jobs import JobRow
from service.db.pool import Pool
from service.domain.accounts import Principal
from service.domain.ids import uuid7
from service.domain.jobs import QUEUE, TASKS, JobError, JobOut
from service.problems import NOT_FOUND, Problem


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
        await db.queue(
            conn,
            job_id,
            queue_name=QUEUE,
            task_name=TASKS["register_list"],
            args={"job_id": str(job_id)},
        )
    return job_id


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
        result=None
        if job.decision_id is None
        else f"/api/v1/graduation-decisions/{job.decision_id}",
        error=error,
        created_at=job.created_at,
        updated_at=job.updated_at,
        finished_at=job.finished_at,
    )
