"""Finding decisions and diplomas within the reader's scope (docs/console.md): a clerk its own
issuer's, an auditor or admin its issuer's and those under it (every issuer for an admin of
all), or the one issuer asked for, when it is within that scope (else not found, as every
read answers). A page at a time, newest first; the next page's cursor when there may be one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import asyncpg

from service.db import custody as custody_db
from service.db import search as db
from service.db.pool import Connection, Pool
from service.domain.accounts import Principal, Role
from service.domain.search import (
    DecisionItem,
    DecisionQuery,
    DiplomaItem,
    DiplomaItemDecision,
    DiplomaQuery,
    SearchLinks,
    day_start,
    encode_cursor,
)
from service.usecases.access import issuer_in_scope


@dataclass(frozen=True)
class Found:
    items: list[Any]  # DecisionItem or DiplomaItem
    cursor: str | None  # the next page's, when this page is full


def decision_item(row: asyncpg.Record) -> DecisionItem:
    return DecisionItem(
        id=row["id"],
        issuer=row["issuer_code"],
        number=row["number"],
        date=row["decided_on"],
        kind=row["kind"],
        graduate_count=row["graduate_count"],
        registered_at=row["created_at"],
        deadline=row["deadline"],
        late=row["late"],
        links=SearchLinks(
            self=f"/api/v1/graduation-decisions/{row['id']}",
            page=f"/quan-ly/quyet-dinh/{row['id']}",
        ),
    )


def diploma_item(row: asyncpg.Record) -> DiplomaItem:
    return DiplomaItem(
        id=row["id"],
        issuer=row["issuer_code"],
        kind=row["kind"],
        serial=row["serial"],
        register_number=row["register_number"],
        full_name=row["holder_name"],
        date_of_birth=row["date_of_birth"],
        graduation_year=row["graduation_year"],
        issued_on=row["issued_on"],
        registered_at=row["issued_at"],
        state=row["state"],
        handed_over_on=row["handed_over_on"],
        decision=DiplomaItemDecision(
            id=row["decision_id"], number=row["decision_number"], date=row["decision_date"]
        ),
        links=SearchLinks(
            self=f"/api/v1/diplomas/{row['id']}", page=f"/quan-ly/van-bang/{row['id']}"
        ),
    )


async def scope_codes(conn: Connection, principal: Principal, issuer: str | None) -> list[str]:
    """The issuers a search reads: those of the scope, and the registers of other issuers
    that they hold (docs/custody.md)."""
    if issuer is not None:
        return [(await issuer_in_scope(conn, principal, issuer)).code]
    if principal.everywhere:
        return await db.issuers_under(conn, None)
    assert principal.issuer_code is not None
    if principal.role == Role.CLERK:
        codes = [principal.issuer_code]
    else:
        codes = await db.issuers_under(conn, principal.issuer_code)
    held = await custody_db.held_registers(conn, codes)
    return codes + [code for code in held if code not in codes]


async def decisions(pool: Pool[Any], principal: Principal, query: DecisionQuery) -> Found:
    async with pool.acquire() as conn:
        codes = await scope_codes(conn, principal, query.issuer)
        rows = await db.decisions(conn, codes, query)
    last = rows[-1] if len(rows) == query.limit else None
    cursor = None if last is None else encode_cursor(last["decided_on"], last["id"])
    return Found([decision_item(r) for r in rows], cursor)


async def diplomas(pool: Pool[Any], principal: Principal, query: DiplomaQuery) -> Found:
    before = None if query.registered_before is None else day_start(query.registered_before)
    async with pool.acquire() as conn:
        codes = await scope_codes(conn, principal, query.issuer)
        rows = await db.diplomas(conn, codes, query, before)
    last = rows[-1] if len(rows) == query.limit else None
    cursor = None if last is None else encode_cursor(last["issued_at"], last["id"])
    return Found([diploma_item(r) for r in rows], cursor)
