"""Transfers of custody (docs/custody.md): an issuer's register passes to another body by a
recorded, signed and logged event, recorded by an administrator of the receiving body; and
who holds a register now, and how it came there."""

from __future__ import annotations

import uuid
from typing import Any

import structlog

from service import texts
from service.db import custody as db
from service.db import keys as keys_db
from service.db import register as register_db
from service.db.pool import Pool
from service.domain.accounts import Principal, Role
from service.domain.clock import vietnam_day
from service.domain.custody import (
    Body,
    CustodyTransfer,
    Held,
    RegisterCustody,
    TransferEntry,
    TransferIn,
    check_transfer,
)
from service.problems import ALREADY_TRANSFERRED, FORBIDDEN, NOT_FOUND, Problem
from service.usecases.access import issuer_in_scope, within_hierarchy
from service.usecases.writes import Write, recorded_now

log = structlog.get_logger(__name__)


async def _body(w: Write, code: str) -> Body | None:
    issuer = await register_db.get_issuer(w.conn, code)
    return None if issuer is None else Body(issuer.code, issuer.name, issuer.kind.value)


async def transfer(w: Write, register_code: str, request: TransferIn) -> CustodyTransfer:
    """Records that `register_code`'s register passes from the body holding it now to
    `request.to`: signed by the receiving body's key, from which moment that key signs for
    the register and the issuer's own key (at the first transfer) is retired."""
    if w.principal.role != Role.ADMIN:
        raise Problem(FORBIDDEN, *texts.CUSTODY_ONLY_ADMINS)
    conn = w.conn
    register = await _body(w, register_code)
    if register is None:
        raise Problem(NOT_FOUND)
    # Transfers of one register queue here: the second sees the first's row.
    await db.lock_register(conn, register.code)
    chain = await db.chain(conn, register.code)
    last = chain[-1] if chain else None
    current = register.code if last is None else last["to_custodian"]
    to = await _body(w, request.to)
    if last is not None and to is not None and to.code == current:
        raise Problem(
            ALREADY_TRANSFERRED,
            *texts.CUSTODY_ALREADY_THERE.format(
                register=register.name,
                to=to.name,
                date=last["effective_on"],
                legal_basis=last["legal_basis"],
            ),
        )
    check_transfer(
        request,
        register=register,
        to=to,
        current=current,
        last=None
        if last is None
        else Held(last["to_custodian"], last["effective_on"], last["legal_basis"]),
        receiver_gave_away=to is not None and await db.current_custodian(conn, to.code) is not None,
        today=vietnam_day(w.recorded_at),
    )
    assert to is not None
    # The receiving body's administrator, who also administers the body giving it up (its
    # department, for a district office; the Ministry's or the operator's, across provinces).
    if not (
        await within_hierarchy(conn, w.principal, to.code)
        and await within_hierarchy(conn, w.principal, current)
    ):
        raise Problem(FORBIDDEN, *texts.CUSTODY_OUTSIDE_SCOPE.format(current=current, to=to.code))
    key = await w.key(to.code)
    # Writes signing with the register's key hold it FOR SHARE: wait for them, so that none
    # signs for the register after the moment it passes.
    await db.lock_keys(conn, current)
    since = recorded_now()
    if last is None:
        await keys_db.retire_active_key(conn, register.code, since)
    event = CustodyTransfer(
        id=uuid.uuid4(),
        issuer=register.code,
        seq=len(chain) + 1,
        from_custodian=current,
        to_custodian=to.code,
        effective_on=request.effective_on,
        legal_basis=request.legal_basis,
        reason=request.reason,
        recorded_at=since,
        kid=key.kid,
    )
    if await w.record(event) is None:  # the lock makes this unreachable; the key guards
        raise Problem(ALREADY_TRANSFERRED)
    log.info(
        "custody_transferred",
        register=register.code,
        from_custodian=current,
        to_custodian=to.code,
        seq=event.seq,
    )
    return event


async def custody_of(pool: Pool[Any], principal: Principal, code: str) -> RegisterCustody:
    """Who holds the issuer's register now and each transfer that brought it there, for
    staff who may read the issuer's records."""
    async with pool.acquire() as conn:
        issuer = await issuer_in_scope(conn, principal, code)
        rows = [
            r for r in await db.transfers_touching(conn, [code]) if r["register_issuer"] == code
        ]
    rows.sort(key=lambda r: r["seq"])
    entries = [_entry(r) for r in rows]
    holder = entries[-1] if entries else None
    return RegisterCustody(
        issuer=issuer.code,
        name=issuer.name,
        custodian=issuer.code if holder is None else holder.to_custodian,
        custodian_name=issuer.name if holder is None else holder.to_name,
        transfers=entries,
    )


def _entry(row: Any) -> TransferEntry:
    return TransferEntry(
        id=row["id"],
        seq=row["seq"],
        from_custodian=row["from_custodian"],
        from_name=row["from_name"],
        to_custodian=row["to_custodian"],
        to_name=row["to_name"],
        effective_on=row["effective_on"],
        legal_basis=row["legal_basis"],
        reason=row["reason"],
        recorded_at=row["recorded_at"],
        recorded_by=row["recorded_by"],
    )


async def transfers_touching(pool: Pool[Any], codes: list[str]) -> list[dict[str, Any]]:
    """The transfers of the registers these issuers gave away, hold or issued, newest first:
    what the supervision pages show."""
    async with pool.acquire() as conn:
        return [dict(r) for r in await db.transfers_touching(conn, codes)]
