"""An auditor reading the registers they oversee (docs/audit.md): which issuers those are,
and one issuer's register (sổ gốc) a page at a time in register order, each entry with its
lifecycle. Reading is not journalled; downloading the register is (service/usecases/audit.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from service.db import audit as audit_db
from service.db import console as console_db
from service.db import supervision as supervision_db
from service.db.pool import Pool
from service.domain.accounts import Principal, Role
from service.domain.audit_views import RegisterPage
from service.usecases import audit
from service.usecases.access import ensure_may_supervise, issuer_in_scope

PAGE = 100  # entries on a page of the register


@dataclass(frozen=True)
class Issuer:
    code: str
    name: str


async def overseen(pool: Pool[Any], principal: Principal) -> list[Issuer]:
    """The issuers whose registers the principal reads: their own and every one under it
    (every issuer for an admin of every issuer), by code; none for a clerk, who reads only
    their own issuer's."""
    if principal.role not in (Role.AUDITOR, Role.ADMIN):
        return []
    async with pool.acquire() as conn:
        if principal.issuer_code is None:
            roots = await supervision_db.roots(conn)
        else:
            roots = [(await issuer_in_scope(conn, principal, principal.issuer_code)).code]
        codes: list[str] = []
        for root in roots:
            codes += [c for c in await audit_db.subtree(conn, root) if c not in codes]
        rows = await console_db.issuers(conn, codes)
    return [Issuer(r["code"], r["name"]) for r in rows]


async def register_page(
    pool: Pool[Any],
    principal: Principal,
    issuer_code: str,
    *,
    kind: str | None,
    year: int | None,
    after: str | None,
) -> RegisterPage:
    """A page of the issuer's register (of one kind, of one register year) after the cursor,
    read on a page (not journalled); not found outside the principal's scope."""
    ensure_may_supervise(principal)
    return await audit.register_page(
        pool,
        principal,
        issuer_code,
        kind=kind,
        year=year,
        after=after,
        limit=PAGE,
        journalled=False,
    )
