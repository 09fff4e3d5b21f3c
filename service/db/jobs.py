"""Typed access to the jobs table and procrastinate's queue; the SQL is in sql/queries/jobs.sql."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

import asyncpg
import orjson

from service.db.queries import Q
from service.domain.accounts import Principal, Role
from service.domain.jobs import QUEUE, TASKS

Connection = asyncpg.Connection | asyncpg.pool.PoolConnectionProxy


@dataclass(frozen=True)
class JobRow:
    id: uuid.UUID
    account_id: uuid.UUID
    issuer_code: str | None
    kind: str
    state: str  # queued, running, done, failed
    done_rows: int
    total_rows: int
    staged_id: uuid.UUID | None
    decision_id: uuid.UUID | None
    document: str | None  # print_decision: check or blank (service/usecases/printing.py)
    error_vi: str | None
    error_en: str | None
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None


async def insert(
    conn: Connection,
    *,
    job_id: uuid.UUID,
    account_id: uuid.UUID,
    issuer_code: str | None,
    kind: str,
    total_rows: int,
    staged_id: uuid.UUID | None,
) -> bool:
    """False when the checked list already has its job."""
    inserted = await conn.fetchval(
        Q.insert_job, job_id, account_id, issuer_code, kind, total_rows, staged_id
    )
    return inserted is not None


async def job_of_staged(conn: Connection, staged_id: uuid.UUID) -> uuid.UUID | None:
    found: uuid.UUID | None = await conn.fetchval(Q.job_of_staged, staged_id)
    return found


async def queue(
    conn: Connection, job_id: uuid.UUID, *, queue_name: str, task_name: str, args: dict[str, str]
) -> int:
    """Puts the job in procrastinate's queue, in the caller's transaction."""
    queue_id: int = await conn.fetchval(
        Q.queue_job, queue_name, task_name, f"job:{job_id}", orjson.dumps(args).decode()
    )
    await conn.execute(Q.set_queue_job, job_id, queue_id)
    return queue_id


async def enqueue(conn: Connection, job_id: uuid.UUID, kind: str) -> int:
    """Puts a job of this kind, its row inserted, in the workers' queue (TASKS[kind]), in the
    caller's transaction."""
    return await queue(
        conn, job_id, queue_name=QUEUE, task_name=TASKS[kind], args={"job_id": str(job_id)}
    )


def _row(row: asyncpg.Record | None) -> JobRow | None:
    return None if row is None else JobRow(**dict(row))


async def get(conn: Connection, job_id: uuid.UUID) -> JobRow | None:
    return _row(await conn.fetchrow(Q.get_job, job_id))


async def of_decision(conn: Connection, decision_id: uuid.UUID) -> JobRow | None:
    return _row(await conn.fetchrow(Q.decision_job, decision_id))


async def start(conn: Connection, job_id: uuid.UUID) -> bool:
    """False when the job has already finished."""
    return await conn.fetchval(Q.start_job, job_id) is not None


async def progress(
    conn: Connection, job_id: uuid.UUID, done_rows: int, decision_id: uuid.UUID | None
) -> None:
    await conn.execute(Q.job_progress, job_id, done_rows, decision_id)


async def print_progress(conn: Connection, job_id: uuid.UUID, done: int, total: int) -> None:
    """A print job's pages done of its pages in all."""
    await conn.execute(Q.print_progress, job_id, done, max(total, 1))


async def finish(conn: Connection, job_id: uuid.UUID) -> None:
    await conn.execute(Q.finish_job, job_id)


async def fail(conn: Connection, job_id: uuid.UUID, error_vi: str, error_en: str) -> None:
    await conn.execute(Q.fail_job, job_id, error_vi, error_en)


async def principal(conn: Connection, account_id: uuid.UUID) -> Principal | None:
    """The person a job acts as, if still active."""
    row = await conn.fetchrow(Q.job_principal, account_id)
    if row is None:
        return None
    return Principal(
        role=Role(row["role"]),
        issuer_code=row["issuer_code"],
        account_id=row["id"],
        username=row["username"],
    )


async def insert_print(
    conn: Connection,
    *,
    job_id: uuid.UUID,
    account_id: uuid.UUID,
    issuer_code: str,
    total_rows: int,
    decision_id: uuid.UUID,
    document: str,
) -> uuid.UUID:
    """The person's print job of the decision's document: a new one, or the one still being
    made."""
    inserted: uuid.UUID | None = await conn.fetchval(
        Q.insert_print_job, job_id, account_id, issuer_code, total_rows, decision_id, document
    )
    if inserted is not None:
        return inserted
    found: uuid.UUID = await conn.fetchval(Q.printing_job, account_id, decision_id, document)
    return found


async def save_file(
    conn: Connection, job_id: uuid.UUID, media_type: str, file_name: str, content: bytes
) -> None:
    await conn.execute(Q.save_job_file, job_id, media_type, file_name, content)


async def file(conn: Connection, job_id: uuid.UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(Q.job_file, job_id)


async def insert_digital(
    conn: Connection,
    *,
    job_id: uuid.UUID,
    account_id: uuid.UUID,
    issuer_code: str,
    total_rows: int,
    decision_id: uuid.UUID,
) -> uuid.UUID:
    """The job making the decision's digital diplomas: a new one, or the one under way."""
    inserted: uuid.UUID | None = await conn.fetchval(
        Q.insert_digital_job, job_id, account_id, issuer_code, total_rows, decision_id
    )
    if inserted is not None:
        return inserted
    found: uuid.UUID = await conn.fetchval(Q.digital_job, decision_id)
    return found
