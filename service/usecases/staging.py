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

from service.db import staging as db
from service.db.pool import Pool
from service.domain.accounts import Principal
from service.domain.graduates import GraduationDecisionIn, parse_request
from service.domain.ids import uuid7
from service.domain.registration import registration_deadline
from service.formats.tabular import Locator
from service.formats.uploads import ParsedBody
from service.problems import NOT_FOUND, Problem
from service.signing import Signing
from service.usecases.access import acting_issuer_code, ensure_may_write
from service.usecases.registration import register_decision

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
    async with pool.acquire() as conn:
        await db.insert(
            conn,
            staged_id=staged_id,
            account_id=principal.account_id,
            issuer_code=acting_issuer_code(principal, request.issuer),
            file_name=file_name,
            request=request.model_dump_json().encode(),
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


async def read(pool: Pool[Any], principal: Principal, staged_id: uuid.UUID) -> Staged:
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
        request=parse_request(orjson.loads(row["request"])),
        preview=orjson.loads(row["preview"]),
        deadline=row["deadline"],
        state=row["state"],
        decision_id=row["decision_id"],
        locator=_locator(row["locator"]),
    )


async def confirm(
    pool: Pool[Any], principal: Principal, staged_id: uuid.UUID, *, signing: Signing
) -> uuid.UUID:
    """Registers the checked list (once, however often confirmed) and answers the decision's
    id. What changed since the check (a serial taken meanwhile) is refused as registering
    refuses it, located to the list's rows."""
    staged = await read(pool, principal, staged_id)
    if staged.decision_id is not None:
        return staged.decision_id
    if staged.state != "checked":
        raise Problem(NOT_FOUND)
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
    return decision_id


async def cancel(pool: Pool[Any], principal: Principal, staged_id: uuid.UUID) -> None:
    if principal.account_id is None:
        raise Problem(NOT_FOUND)
    async with pool.acquire() as conn:
        if not await db.cancel(conn, staged_id, principal.account_id):
            raise Problem(NOT_FOUND)
