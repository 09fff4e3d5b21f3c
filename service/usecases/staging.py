"""A graduate list checked before it is registered (the clerk's console, docs/console.md):

1. `check`: the list is parsed and registered as a dry run (every rule, every row, the
   numbers it would take now), then rolled back; if it passes, the validated request is kept
   for its account, with what the check answered. Nothing of the register is written; a list
   with errors is not kept at all.
2. `confirm`: the kept request is registered with the Idempotency-Key "staged:<id>": a second
   click, a reload or a retry after a crash registers it once, and answers the same decision.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import orjson
import structlog

from service import texts
from service.db import jobs as jobs_db
from service.db import staging as db
from service.db.pool import Pool
from service.domain.accounts import Principal
from service.domain.graduates import GraduationDecisionIn, parse_request
from service.domain.ids import uuid7
from service.domain.jobs import failure_text
from service.domain.registration import registration_deadline
from service.formats.tabular import Locator
from service.formats.uploads import ParsedBody
from service.keystore import KeyStore
from service.problems import NOT_FOUND, Problem
from service.signing import Signing
from service.usecases import jobs, personal_ids
from service.usecases.access import acting_issuer_code, ensure_may_write
from service.usecases.registration import register_decision, register_part

log = structlog.get_logger(__name__)

KEEP: timedelta = timedelta(days=7)  # a checked list waits a week for its confirmation


@dataclass(frozen=True)
class Staged:
    """A checked list, as the preview shows it."""

    id: uuid.UUID
    issuer_code: str
    file_name: str | None
    request: GraduationDecisionIn
    preview: dict[str, Any]  # first and last register numbers, lateness (the check's answer)
    deadline: date
    state: str  # checked, registered, cancelled
    decision_id: uuid.UUID | None
    locator: Locator | None = field(default=None, repr=False)


def _locator_json(locator: Locator | None) -> dict[str, Any] | None:
    if locator is None:
        return None
    return {
        "headers": locator.headers,
        "graduate_rows": locator.graduate_rows,
        "first_row": locator.first_row,
    }


def _locator(stored: str | None) -> Locator | None:
    if stored is None:
        return None
    data = orjson.loads(stored)
    return Locator(
        headers={k: (int(v[0]), str(v[1])) for k, v in data["headers"].items()},
        graduate_rows=[int(r) for r in data["graduate_rows"]],
        first_row={k: int(v) for k, v in data["first_row"].items()},
    )


def _preview(answer: dict[str, Any]) -> dict[str, Any]:
    diplomas = answer["diplomas"]
    return {
        "first_register_number": diplomas[0]["register_number"],
        "last_register_number": diplomas[-1]["register_number"],
        "late": answer["late"],
        "warnings": answer["warnings"],
    }


async def check(
    pool: Pool[Any],
    principal: Principal,
    body: ParsedBody,
    *,
    file_name: str | None,
    signing: Signing,
) -> uuid.UUID:
    """Checks the list as registering it would; keeps it if it passes and answers its id.
    A Problem names every error, located to its row and column (nothing is kept then)."""
    ensure_may_write(principal)
    assert principal.account_id is not None  # the console's principals are people
    with body.locating():
        request = parse_request(body.data)
        written = await register_decision(
            pool,
            principal,
            request,
            signing=signing,
            dry_run=True,
            rows=None if body.locator is None else body.locator.graduate_rows,
        )
    staged_id = uuid7()
    # The numbers are kept sealed apart from the request (a list waits up to a week).
    kept, sealed = personal_ids.seal_list(signing.keystore, staged_id, request)
    async with pool.acquire() as conn:
        await db.insert(
            conn,
            staged_id=staged_id,
            account_id=principal.account_id,
            issuer_code=acting_issuer_code(principal, request.issuer),
            file_name=file_name,
            request=kept.model_dump_json().encode(),
            personal_ids=sealed,
            locator=_locator_json(body.locator),
            preview=_preview(written.answer),
            decision_number=request.decision.number,
            decided_on=request.decision.date,
            kind=request.diploma.kind.value,
            graduate_count=len(request.graduates),
            deadline=registration_deadline(request),
            keep=KEEP,
        )
        await db.purge(conn)
    return staged_id


async def read(
    pool: Pool[Any], principal: Principal, staged_id: uuid.UUID, *, keystore: KeyStore
) -> Staged:
    """One of the principal's own checked lists; another's is not found."""
    if principal.account_id is None:
        raise Problem(NOT_FOUND)
    async with pool.acquire() as conn:
        row = await db.get(conn, staged_id, principal.account_id)
    if row is None:
        raise Problem(NOT_FOUND)
    return Staged(
        id=row["id"],
        issuer_code=row["issuer_code"],
        file_name=row["file_name"],
        request=_kept_request(keystore, row),
        preview=orjson.loads(row["preview"]),
        deadline=row["deadline"],
        state=row["state"],
        decision_id=row["decision_id"],
        locator=_locator(row["locator"]),
    )


def _kept_request(keystore: KeyStore, row: Any) -> GraduationDecisionIn:
    sealed = None if row["personal_ids"] is None else bytes(row["personal_ids"])
    return parse_request(
        personal_ids.open_list(keystore, row["id"], orjson.loads(row["request"]), sealed)
    )


@dataclass(frozen=True)
class Confirmed:
    """Where a confirmation leads: the decision registered, or the job registering it."""

    decision_id: uuid.UUID | None = None
    job_id: uuid.UUID | None = None


async def confirm(
    pool: Pool[Any],
    principal: Principal,
    staged_id: uuid.UUID,
    *,
    signing: Signing,
    job_rows: int,
    part_rows: int,
) -> Confirmed:
    """Registers the checked list (once, however often confirmed) and answers the decision;
    a list of more than `job_rows` graduates (or than a part holds) is queued instead as a
    background job that registers it in parts of `part_rows`, and the job is answered. What
    changed since the check (a serial taken meanwhile) is refused as registering refuses it,
    located to the list's rows."""
    staged = await read(pool, principal, staged_id, keystore=signing.keystore)
    if staged.decision_id is not None:
        return Confirmed(decision_id=staged.decision_id)
    if staged.state != "checked":
        raise Problem(NOT_FOUND)
    rows = len(staged.request.graduates)
    if rows > min(job_rows, part_rows):
        job_id = await jobs.queue_list(pool, principal, staged_id, staged.issuer_code, rows)
        return Confirmed(job_id=job_id)
    body = ParsedBody(None, staged.locator)
    with body.locating():
        written = await register_decision(
            pool,
            principal,
            staged.request,
            signing=signing,
            idempotency_key=f"staged:{staged_id}",
            rows=None if staged.locator is None else staged.locator.graduate_rows,
        )
    decision_id = uuid.UUID(written.answer["id"])
    async with pool.acquire() as conn:
        await db.mark_registered(conn, staged_id, decision_id)
    return Confirmed(decision_id=decision_id)


async def register_in_parts(
    pool: Pool[Any], job_id: uuid.UUID, *, signing: Signing, part_rows: int
) -> None:
    """The job `register_list`: registers its checked list as a decision and, past the first
    `part_rows` graduates, parts of it, recording progress after each. Each part is written
    with its own Idempotency-Key ("staged:<id>:part<n>"), so a job run again after a crash
    replays the parts already written and goes on from the first that is not: every diploma
    is registered once. A refusal (a serial taken since the check) ends the job as failed,
    saying which rows; the parts before it stay registered, as the register keeps
    everything."""
    async with pool.acquire() as conn:
        job = await jobs_db.get(conn, job_id)
        if job is None or not await jobs_db.start(conn, job_id):
            return  # finished already (a retry after the last write)
        principal = await jobs_db.principal(conn, job.account_id)
        row = None
        if job.staged_id is not None:
            row = await db.get(conn, job.staged_id, job.account_id)
        if principal is None or row is None:
            text = texts.JOB_ACCOUNT_INACTIVE if principal is None else texts.JOB_LIST_GONE
            await jobs_db.fail(conn, job_id, *text)
            return
    staged_id = row["id"]
    request = _kept_request(signing.keystore, row)
    locator = _locator(row["locator"])
    graduates = request.graduates
    decision_id: uuid.UUID | None = None
    for part, start in enumerate(range(0, len(graduates), part_rows), 1):
        chunk = request.model_copy(update={"graduates": graduates[start : start + part_rows]})
        key = f"staged:{staged_id}:part{part}"
        try:
            if decision_id is None:
                written = await register_decision(
                    pool, principal, chunk, signing=signing, idempotency_key=key
                )
            else:
                written = await register_part(
                    pool, principal, decision_id, chunk, signing=signing, idempotency_key=key
                )
        except Problem as problem:
            rows = None if locator is None else locator.graduate_rows
            async with pool.acquire() as conn:
                await jobs_db.fail(conn, job_id, *failure_text(problem, rows, start))
            log.info("job_failed", job_id=str(job_id), part=part, problem=problem.type.slug)
            return
        decision_id = uuid.UUID(written.answer["id"])
        async with pool.acquire() as conn:
            await jobs_db.progress(conn, job_id, start + len(chunk.graduates), decision_id)
    assert decision_id is not None  # a checked list has a graduate
    async with pool.acquire() as conn, conn.transaction():
        await db.mark_registered(conn, staged_id, decision_id)
        await jobs_db.finish(conn, job_id)


async def cancel(pool: Pool[Any], principal: Principal, staged_id: uuid.UUID) -> None:
    if principal.account_id is None:
        raise Problem(NOT_FOUND)
    async with pool.acquire() as conn:
        if not await db.cancel(conn, staged_id, principal.account_id):
            raise Problem(NOT_FOUND)
