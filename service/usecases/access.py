"""Who may do what, in one place: who may write, for which issuer a write acts, what a
principal may read, and the records within that scope. Out of scope reads as not found: a
token learns nothing of other issuers' records."""

from __future__ import annotations

import uuid

import asyncpg

from service import texts
from service.db import custody as custody_db
from service.db import register as db
from service.db.pool import Connection
from service.domain.accounts import Principal, Role, may_register, register_issuer_for
from service.domain.registration import IssuerInfo, StoredDiploma
from service.problems import FORBIDDEN, NOT_FOUND, VALIDATION_ERROR, FieldError, Problem


def ensure_may_supervise(principal: Principal) -> None:
    """Auditors and admins read the supervision pages; a clerk keeps to their own issuer."""
    if principal.role not in (Role.AUDITOR, Role.ADMIN):
        raise Problem(FORBIDDEN, *texts.ROLE_MAY_NOT_SUPERVISE)


def ensure_may_write(principal: Principal) -> None:
    """Checked before a body is even read, and again by the write path."""
    if not may_register(principal):
        raise Problem(FORBIDDEN, *texts.ROLE_MAY_NOT_REGISTER)


def acting_issuer_code(principal: Principal, requested: str | None) -> str:
    """The issuer a write acts for: a clerk's own (when it names none or its own), or the
    one an admin names."""
    ensure_may_write(principal)
    code = register_issuer_for(principal, requested)
    if code is not None:
        return code
    if principal.role == Role.ADMIN:
        raise Problem(
            VALIDATION_ERROR,
            errors=[FieldError(("issuer",), "missing", *texts.ADMIN_NAMES_ISSUER)],
        )
    raise Problem(FORBIDDEN, *texts.CLERK_OWN_ISSUER)


async def within_hierarchy(conn: Connection, principal: Principal, issuer_code: str) -> bool:
    """Whether the issuer is the principal's by the hierarchy: a clerk's own issuer, or an
    auditor's or admin's issuer and those under it (every issuer for an admin of all)."""
    if principal.everywhere:
        return True
    assert principal.issuer_code is not None
    if principal.role == Role.CLERK or issuer_code == principal.issuer_code:
        return issuer_code == principal.issuer_code
    return bool(await db.issuer_within(conn, issuer_code, principal.issuer_code))


async def within_scope(conn: Connection, principal: Principal, issuer_code: str) -> bool:
    """Whether the issuer's records are within the principal's scope: by the hierarchy, or
    because the issuer's register is now in the custody of a body within it (a district
    office's diplomas for its department's clerks, docs/custody.md)."""
    if await within_hierarchy(conn, principal, issuer_code):
        return True
    custodian = await custody_db.current_custodian(conn, issuer_code)
    return custodian is not None and await within_hierarchy(conn, principal, custodian)


async def check_read_scope(conn: Connection, principal: Principal, issuer_code: str) -> None:
    """Raises not-found unless the principal may read the issuer's records."""
    if not await within_scope(conn, principal, issuer_code):
        raise Problem(NOT_FOUND)


async def check_write_scope(conn: Connection, principal: Principal, issuer_code: str) -> None:
    """Raises forbidden unless the principal may write for the issuer (a scoped admin for its
    subtree; clerks are held to their own issuer before any of this)."""
    ensure_may_write(principal)
    if not await within_scope(conn, principal, issuer_code):
        raise Problem(FORBIDDEN, *texts.OUTSIDE_SCOPE.format(issuer=issuer_code))


async def issuer_in_scope(conn: Connection, principal: Principal, issuer_code: str) -> IssuerInfo:
    """The issuer, when it exists and the principal may read its records; else not found."""
    issuer = await db.get_issuer(conn, issuer_code)
    if issuer is None:
        raise Problem(NOT_FOUND)
    await check_read_scope(conn, principal, issuer_code)
    return issuer


async def diploma_in_scope(
    conn: Connection, principal: Principal, diploma_id: uuid.UUID
) -> StoredDiploma:
    """The diploma's register row, or not-found when absent or outside the scope."""
    row = await db.get_diploma(conn, diploma_id)
    if row is None:
        raise Problem(NOT_FOUND)
    await check_read_scope(conn, principal, row.issuer_code)
    return row


async def decision_in_scope(
    conn: Connection, principal: Principal, decision_id: uuid.UUID
) -> asyncpg.Record:
    """The decision's row, or not-found when absent or outside the scope."""
    row = await db.get_decision(conn, decision_id)
    if row is None:
        raise Problem(NOT_FOUND)
    await check_read_scope(conn, principal, row["issuer_code"])
    return row
