"""Blank forms (phôi, Circular 21 Art. 9-11): ranges received, spoiled and destroyed blanks,
and the yearly report. Registration consumes blanks through service/db/blanks.py.

Each change is a signed statement and new rows; every change to one issuer's blanks of a
kind takes the same transaction lock, so a blank cannot be used and spoiled at once."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import asyncpg
import structlog

from service.db import blanks as db
from service.db.queries import Q
from service.db.register import get_issuer
from service.domain.accounts import Principal, register_issuer_for
from service.domain.lifecycle import (
    BlankDestructionIn,
    BlankReceiptIn,
    BlankSpoilIn,
    check_blank_dates,
    check_receipt,
    repeated_serials,
)
from service.keystore import IssuerKey
from service.lifecycle import recorded_now, sign_event, signing_key
from service.problems import (
    BLANK_RANGE_OVERLAP,
    BLANK_UNAVAILABLE,
    FORBIDDEN,
    NOT_FOUND,
    VALIDATION_ERROR,
    FieldError,
    Problem,
)
from service.register import check_read_scope, ensure_may_register
from service.signing import Signing

log = structlog.get_logger(__name__)


async def _acting_issuer(conn: Any, principal: Principal, code: str) -> str:
    """The issuer a clerk (own only) or an admin records blanks for."""
    ensure_may_register(principal)
    if register_issuer_for(principal, code) is None:
        raise Problem(
            FORBIDDEN,
            "Chỉ được ghi sổ phôi của đơn vị mình",
            "A clerk records the blanks of their own issuer only",
        )
    if await get_issuer(conn, code) is None:
        raise Problem(NOT_FOUND)
    return code


def _serial(prefix: str, number: int, digits: int) -> str:
    return f"{prefix}{number:0{digits}d}"


async def receive(
    conn: Any,
    principal: Principal,
    issuer_code: str,
    request: BlankReceiptIn,
    *,
    signing: Signing,
) -> dict[str, Any]:
    recorded_at = recorded_now()
    prefix, digits, first, last = check_receipt(request, today=recorded_at.date())
    kind = request.kind.value
    code = await _acting_issuer(conn, principal, issuer_code)
    await db.lock(conn, code, kind)
    overlap = await conn.fetchrow(Q.overlapping_receipt, code, kind, prefix, digits, first, last)
    if overlap is not None:
        raise Problem(
            BLANK_RANGE_OVERLAP,
            f"Dải {_serial(prefix, overlap['first_number'], digits)} - "
            f"{_serial(prefix, overlap['last_number'], digits)} đã nhận ngày "
            f"{overlap['received_on']:%d/%m/%Y}",
            f"The range {_serial(prefix, overlap['first_number'], digits)} to "
            f"{_serial(prefix, overlap['last_number'], digits)} was received on "
            f"{overlap['received_on']}",
        )
    key = await signing_key(conn, signing, code)
    count = last - first + 1
    statement = sign_event(
        key,
        {
            "type": "blanks_received",
            "issuer": code,
            "kind": kind,
            "first_serial": request.first_serial,
            "last_serial": request.last_serial,
            "count": count,
            "received_on": request.received_on.isoformat(),
            "reference": request.reference,
            "issued_at": int(recorded_at.timestamp()),
        },
    )
    receipt_id = uuid.uuid4()
    await conn.execute(
        Q.insert_receipt,
        receipt_id,
        code,
        kind,
        prefix,
        digits,
        first,
        last,
        request.received_on,
        request.reference,
        key.kid,
        statement,
        recorded_at,
    )
    log.info("blanks_received", issuer=code, kind=kind, count=count)
    return {
        "id": str(receipt_id),
        "issuer": code,
        "kind": kind,
        "first_serial": request.first_serial,
        "last_serial": request.last_serial,
        "count": count,
        "received_on": request.received_on.isoformat(),
        "reference": request.reference,
        "recorded_at": recorded_at.isoformat(),
    }


async def record_events(
    conn: Any,
    key: IssuerKey,
    *,
    issuer_code: str,
    kind: str,
    event: str,
    serials: list[str],
    occurred_on: date,
    reason: str,
    was_used: list[bool],
    was_spoiled: list[bool],
    recorded_at: datetime,
    statement: bytes,
    destruction_id: uuid.UUID | None = None,
    reissue_id: uuid.UUID | None = None,
) -> None:
    await conn.execute(
        Q.insert_blank_events,
        issuer_code,
        kind,
        event,
        occurred_on,
        reason,
        destruction_id,
        reissue_id,
        key.kid,
        statement,
        recorded_at,
        [uuid.uuid4() for _ in serials],
        serials,
        was_used,
        was_spoiled,
    )


def spoil_statement(
    key: IssuerKey,
    *,
    issuer_code: str,
    kind: str,
    serials: list[str],
    occurred_on: date,
    reason: str,
    recorded_at: datetime,
) -> bytes:
    return sign_event(
        key,
        {
            "type": "blanks_spoiled",
            "issuer": issuer_code,
            "kind": kind,
            "serials": serials,
            "occurred_on": occurred_on.isoformat(),
            "reason": reason,
            "issued_at": int(recorded_at.timestamp()),
        },
    )


def _unavailable(errors: list[FieldError]) -> None:
    if errors:
        raise Problem(BLANK_UNAVAILABLE, errors=errors)


def _blank_error(index: int, serial: str, code: str, vi: str, en: str) -> FieldError:
    return FieldError(("serials", index), code, f"Phôi {serial}: {vi}", f"Blank {serial}: {en}")


async def spoil(
    conn: Any,
    principal: Principal,
    issuer_code: str,
    request: BlankSpoilIn,
    *,
    signing: Signing,
) -> dict[str, Any]:
    """Records unused blanks as spoiled (hỏng: misprinted, damaged). A blank that carries a
    registered diploma is spoiled only by re-issuing that diploma."""
    recorded_at = recorded_now()
    check_blank_dates("occurred_on", request.occurred_on, today=recorded_at.date())
    if errors := repeated_serials(request.serials):
        raise Problem(VALIDATION_ERROR, errors=errors)
    kind = request.kind.value
    code = await _acting_issuer(conn, principal, issuer_code)
    await db.lock(conn, code, kind)
    # The blanks a registration could use are the ones that can be spoiled: the same rules.
    await db.usable(conn, code, kind, request.serials, lambda i: ("serials", i))
    key = await signing_key(conn, signing, code)
    statement = spoil_statement(
        key,
        issuer_code=code,
        kind=kind,
        serials=request.serials,
        occurred_on=request.occurred_on,
        reason=request.reason,
        recorded_at=recorded_at,
    )
    none = [False] * len(request.serials)
    await record_events(
        conn,
        key,
        issuer_code=code,
        kind=kind,
        event="spoiled",
        serials=request.serials,
        occurred_on=request.occurred_on,
        reason=request.reason,
        was_used=none,
        was_spoiled=none,
        recorded_at=recorded_at,
        statement=statement,
    )
    log.info("blanks_spoiled", issuer=code, kind=kind, count=len(request.serials))
    return {
        "issuer": code,
        "kind": kind,
        "serials": request.serials,
        "occurred_on": request.occurred_on.isoformat(),
        "reason": request.reason,
        "recorded_at": recorded_at.isoformat(),
    }


async def destroy(
    conn: Any,
    principal: Principal,
    issuer_code: str,
    request: BlankDestructionIn,
    *,
    signing: Signing,
) -> dict[str, Any]:
    """Records destruction minutes (biên bản hủy phôi) for spoiled or unused blanks."""
    recorded_at = recorded_now()
    check_blank_dates("destroyed_on", request.destroyed_on, today=recorded_at.date())
    if errors := repeated_serials(request.serials):
        raise Problem(VALIDATION_ERROR, errors=errors)
    kind = request.kind.value
    code = await _acting_issuer(conn, principal, issuer_code)
    await db.lock(conn, code, kind)
    errors = []
    used: list[bool] = []
    spoiled: list[bool] = []
    for index, (serial, (receipt, diploma, events)) in enumerate(
        zip(request.serials, await db.states(conn, code, kind, request.serials), strict=True)
    ):
        if "destroyed" in events:
            errors.append(
                _blank_error(index, serial, "blank_destroyed", "đã hủy", "already destroyed")
            )
        elif diploma is not None and "spoiled" not in events:
            errors.append(
                _blank_error(
                    index,
                    serial,
                    "blank_used",
                    "đang mang văn bằng có hiệu lực",
                    "carries a diploma in force",
                )
            )
        elif receipt is None and diploma is None:
            errors.append(
                _blank_error(index, serial, "blank_not_received", "chưa nhận", "not received")
            )
        used.append(diploma is not None)
        spoiled.append("spoiled" in events)
    _unavailable(errors)
    key = await signing_key(conn, signing, code)
    statement = sign_event(
        key,
        {
            "type": "blanks_destroyed",
            "issuer": code,
            "kind": kind,
            "serials": request.serials,
            "minutes_number": request.minutes_number,
            "council": request.council,
            "method": request.method,
            "destroyed_on": request.destroyed_on.isoformat(),
            "reason": request.reason,
            "issued_at": int(recorded_at.timestamp()),
        },
    )
    destruction_id = uuid.uuid4()
    await conn.execute(
        Q.insert_destruction,
        destruction_id,
        code,
        kind,
        request.minutes_number,
        request.council,
        request.reason,
        request.method,
        request.destroyed_on,
        key.kid,
        statement,
        recorded_at,
    )
    await record_events(
        conn,
        key,
        issuer_code=code,
        kind=kind,
        event="destroyed",
        serials=request.serials,
        occurred_on=request.destroyed_on,
        reason=request.reason,
        was_used=used,
        was_spoiled=spoiled,
        recorded_at=recorded_at,
        statement=statement,
        destruction_id=destruction_id,
    )
    log.info("blanks_destroyed", issuer=code, kind=kind, count=len(request.serials))
    return {
        "id": str(destruction_id),
        "issuer": code,
        "kind": kind,
        "serials": request.serials,
        "minutes_number": request.minutes_number,
        "council": request.council,
        "reason": request.reason,
        "method": request.method,
        "destroyed_on": request.destroyed_on.isoformat(),
        "recorded_at": recorded_at.isoformat(),
    }


REPORT_COLUMNS = (
    "on_hand_at_start",
    "received",
    "used",
    "spoiled",
    "destroyed",
    "on_hand_at_end",
    "awaiting_destruction",
)


async def report(
    pool: asyncpg.Pool[Any], principal: Principal, issuer_code: str, year: int
) -> dict[str, Any]:
    """The yearly report per kind: on hand at the start, received, used, spoiled, destroyed,
    on hand at the end, and spoiled blanks not yet destroyed."""
    async with pool.acquire() as conn:
        issuer = await get_issuer(conn, issuer_code)
        if issuer is None:
            raise Problem(NOT_FOUND)
        await check_read_scope(conn, principal, issuer_code)
        rows = await conn.fetch(Q.blank_report, issuer_code, year)
    return {
        "issuer": issuer_code,
        "name": issuer.name,
        "year": year,
        "tracks_blanks": issuer.tracks_blanks,
        "kinds": [{"kind": r["kind"], **{c: int(r[c]) for c in REPORT_COLUMNS}} for r in rows],
    }


async def set_tracking(conn: Any, issuer_code: str, on: bool) -> bool:
    """An operator's switch; False when there is no such issuer."""
    return await conn.fetchval(Q.set_tracks_blanks, issuer_code, on) is not None
