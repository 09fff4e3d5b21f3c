"""Blank forms (phôi, Circular 21 Art. 9-11): ranges received, spoiled and destroyed blanks,
and the yearly report. Registration and re-issue consume blanks by the same rules
(service/domain/blanks.py).

Each change is a signed statement and new rows; every change to one issuer's blanks of a
kind takes the same transaction lock first, so a blank cannot be used and spoiled at once."""

from __future__ import annotations

import uuid
from typing import Any

import structlog

from service import texts
from service.db import blanks as db
from service.db import register as register_db
from service.db.pool import Pool
from service.domain.accounts import Principal
from service.domain.blanks import (
    BlankDestructionIn,
    BlankReceiptIn,
    BlankSpoilIn,
    BlankState,
    check_blank_dates,
    check_receipt,
    destroyability_errors,
    repeated_serials,
    usability_errors,
)
from service.domain.clock import vietnam_day
from service.domain.events import BlanksDestroyed, BlanksReceived, BlanksSpoiled
from service.domain.views import BlankReport, BlankReportKind
from service.problems import (
    BLANK_RANGE_OVERLAP,
    BLANK_UNAVAILABLE,
    NOT_FOUND,
    VALIDATION_ERROR,
    Problem,
)
from service.usecases.access import acting_issuer_code, issuer_in_scope
from service.usecases.writes import Write

log = structlog.get_logger(__name__)


async def _acting_issuer(w: Write, code: str) -> str:
    """The issuer a clerk (own only) or an admin records blanks for."""
    code = acting_issuer_code(w.principal, code)
    if await register_db.get_issuer(w.conn, code) is None:
        raise Problem(NOT_FOUND)
    return code


async def _locked_blanks(
    w: Write, issuer_code: str, kind: str, serials: list[str]
) -> tuple[str, list[BlankState]]:
    """The acting issuer's code and what it knows of each serial's blank, read under the
    issuer's blanks lock (which holds until the write commits)."""
    if errors := repeated_serials(serials):
        raise Problem(VALIDATION_ERROR, errors=errors)
    code = await _acting_issuer(w, issuer_code)
    await db.lock(w.conn, code, kind)
    return code, await db.states(w.conn, code, kind, serials)


def _serial(prefix: str, number: int, digits: int) -> str:
    return f"{prefix}{number:0{digits}d}"


async def receive(w: Write, issuer_code: str, request: BlankReceiptIn) -> BlanksReceived:
    prefix, digits, first, last = check_receipt(request, today=vietnam_day(w.recorded_at))
    kind = request.kind.value
    code = await _acting_issuer(w, issuer_code)
    await db.lock(w.conn, code, kind)
    overlap = await db.overlapping_receipt(w.conn, code, kind, prefix, digits, first, last)
    if overlap is not None:
        low, high = _serial(prefix, overlap[0], digits), _serial(prefix, overlap[1], digits)
        raise Problem(
            BLANK_RANGE_OVERLAP,
            *texts.RANGE_OVERLAP.format(low=low, high=high, received_on=overlap[2]),
        )
    key = await w.key(code)
    receipt = BlanksReceived(
        id=uuid.uuid4(),
        issuer=code,
        kind=kind,
        first_serial=request.first_serial,
        last_serial=request.last_serial,
        prefix=prefix,
        digits=digits,
        first=first,
        last=last,
        count=last - first + 1,
        received_on=request.received_on,
        reference=request.reference,
        recorded_at=w.recorded_at,
        kid=key.kid,
    )
    await w.record(receipt)
    log.info("blanks_received", issuer=code, kind=kind, count=receipt.count)
    return receipt


async def spoil(w: Write, issuer_code: str, request: BlankSpoilIn) -> BlanksSpoiled:
    """Records unused blanks as spoiled (hỏng: misprinted, damaged). A blank that carries a
    registered diploma is spoiled only by re-issuing that diploma."""
    check_blank_dates("occurred_on", request.occurred_on, today=vietnam_day(w.recorded_at))
    kind = request.kind.value
    code, blanks = await _locked_blanks(w, issuer_code, kind, request.serials)
    # The blanks a registration could use are the ones that can be spoiled: the same rule.
    if errors := usability_errors(blanks, lambda i: ("serials", i)):
        raise Problem(BLANK_UNAVAILABLE, errors=errors)
    key = await w.key(code)
    spoiled = BlanksSpoiled(
        issuer=code,
        kind=kind,
        serials=request.serials,
        occurred_on=request.occurred_on,
        reason=request.reason,
        recorded_at=w.recorded_at,
        was_used=[False] * len(request.serials),
        kid=key.kid,
    )
    await w.record(spoiled)
    log.info("blanks_spoiled", issuer=code, kind=kind, count=len(request.serials))
    return spoiled


async def destroy(w: Write, issuer_code: str, request: BlankDestructionIn) -> BlanksDestroyed:
    """Records destruction minutes (biên bản hủy phôi) for spoiled or unused blanks."""
    check_blank_dates("destroyed_on", request.destroyed_on, today=vietnam_day(w.recorded_at))
    kind = request.kind.value
    code, blanks = await _locked_blanks(w, issuer_code, kind, request.serials)
    if errors := destroyability_errors(blanks):
        raise Problem(BLANK_UNAVAILABLE, errors=errors)
    key = await w.key(code)
    destruction = BlanksDestroyed(
        id=uuid.uuid4(),
        issuer=code,
        kind=kind,
        serials=request.serials,
        minutes_number=request.minutes_number,
        council=request.council,
        reason=request.reason,
        method=request.method,
        destroyed_on=request.destroyed_on,
        recorded_at=w.recorded_at,
        was_used=[b.diploma_id is not None for b in blanks],
        was_spoiled=["spoiled" in b.events for b in blanks],
        kid=key.kid,
    )
    await w.record(destruction)
    log.info("blanks_destroyed", issuer=code, kind=kind, count=len(request.serials))
    return destruction


async def report(pool: Pool[Any], principal: Principal, issuer_code: str, year: int) -> BlankReport:
    """The yearly report per kind: on hand at the start, received, used, spoiled, destroyed,
    on hand at the end, and spoiled blanks not yet destroyed."""
    async with pool.acquire() as conn:
        issuer = await issuer_in_scope(conn, principal, issuer_code)
        rows = await db.report(conn, issuer_code, year)
    return BlankReport(
        issuer=issuer_code,
        name=issuer.name,
        year=year,
        tracks_blanks=issuer.tracks_blanks,
        kinds=[BlankReportKind.model_validate(r) for r in rows],
    )
