"""The register's use cases: registering a graduation decision in one transaction, and reading
diplomas and decisions within a principal's scope.

Everything a registration writes (decision, diplomas, register numbers, idempotency answer)
commits together or not at all.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import asyncpg
import orjson
import structlog

from service.db import blanks as blanks_db
from service.db import idempotency
from service.db import keys as keys_db
from service.db import register as db
from service.domain.accounts import Principal, Role, may_register, register_issuer_for
from service.domain.graduates import GraduationDecisionIn
from service.domain.ids import uuid7
from service.domain.registration import (
    DiplomaRecord,
    build_records,
    check_decision,
    registration_deadline,
)
from service.history import diploma_history
from service.problems import (
    DUPLICATE_DECISION,
    DUPLICATE_SERIAL,
    FORBIDDEN,
    IDEMPOTENCY_KEY_REUSED,
    NO_SIGNING_KEY,
    NOT_FOUND,
    UNKNOWN_ISSUER,
    VALIDATION_ERROR,
    FieldError,
    Problem,
)
from service.signing import Signing, sign_records

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Answer:
    """A registration's answer, as sent and as stored for idempotent replay."""

    status: int
    body: bytes
    decision_id: uuid.UUID
    replayed: bool = False


def ensure_may_register(principal: Principal) -> None:
    """Checked before a body is even read, and again by register_decision."""
    if not may_register(principal):
        raise Problem(
            FORBIDDEN,
            "Vai trò này không được đăng ký văn bằng",
            "This role may not register diplomas",
        )


async def register_decision(
    pool: asyncpg.Pool[Any],
    principal: Principal,
    request: GraduationDecisionIn,
    *,
    signing: Signing,
    idempotency_key: str | None = None,
) -> Answer:
    ensure_may_register(principal)
    issuer_code = register_issuer_for(principal, request.issuer)
    if issuer_code is None:
        if principal.role == Role.ADMIN:
            raise Problem(
                VALIDATION_ERROR,
                errors=[
                    FieldError(
                        ("issuer",),
                        "missing",
                        "Quản trị viên phải ghi mã đơn vị cấp",
                        "An admin must name the issuer",
                    )
                ],
            )
        raise Problem(
            FORBIDDEN,
            "Chỉ được đăng ký cho đơn vị của mình",
            "A clerk registers for their own issuer only",
        )

    request_hash = hashlib.sha256(
        issuer_code.encode() + b"\0" + request.model_dump_json().encode()
    ).digest()
    try:
        answer = await _register(
            pool, principal, request, issuer_code, request_hash, idempotency_key, signing
        )
    except asyncpg.UniqueViolationError as exc:
        if exc.constraint_name != "diplomas_serial_key":
            raise
        # The unique index is the guard; only now look up every serial already taken, so
        # that the answer names each row (the happy path pays for no such query).
        serials = [g.serial for g in request.graduates]
        async with pool.acquire() as conn:
            taken = await db.existing_serials(conn, issuer_code, request.diploma.kind, serials)
        raise _serials_taken(serials, taken or {_serial_in(exc, serials)}) from None
    if not answer.replayed:
        log.info(
            "decision_registered",
            decision_id=str(answer.decision_id),
            issuer=issuer_code,
            kind=request.diploma.kind.value,
            diplomas=len(request.graduates),
        )
    return answer


async def _register(
    pool: asyncpg.Pool[Any],
    principal: Principal,
    request: GraduationDecisionIn,
    issuer_code: str,
    request_hash: bytes,
    idempotency_key: str | None,
    signing: Signing,
) -> Answer:
    async with pool.acquire() as conn, conn.transaction():
        if idempotency_key is not None:
            owned = await idempotency.claim(conn, principal.token_id, idempotency_key, request_hash)
            if not owned:
                stored = await idempotency.stored_answer(conn, principal.token_id, idempotency_key)
                if stored.request_hash != request_hash:
                    raise Problem(IDEMPOTENCY_KEY_REUSED)
                decision_id = uuid.UUID(orjson.loads(stored.body)["id"])
                return Answer(stored.status, stored.body, decision_id, replayed=True)

        issuer = await db.get_issuer(conn, issuer_code)
        if issuer is None:
            raise Problem(
                UNKNOWN_ISSUER,
                f"Không có đơn vị mã {issuer_code}",
                f"No issuer has the code {issuer_code}",
            )
        check_decision(request, issuer)
        kid = await keys_db.active_kid(conn, issuer.code)
        key = None if kid is None else signing.keystore.issuer_key(kid)
        if key is None:
            if kid is not None:
                log.error("signing_key_file_missing", issuer=issuer.code, kid=kid.hex())
            raise Problem(
                NO_SIGNING_KEY,
                f"Đơn vị {issuer.code} chưa có khóa ký đang hiệu lực trên máy chủ này",
                f"{issuer.code} has no active signing key on this server",
            )
        decision_id = uuid7()
        issued_at = datetime.now(UTC).replace(microsecond=0)
        deadline = registration_deadline(request)
        # Art. 17: late is accepted, and flagged for auditors.
        late = max(request.diploma.issued_on, issued_at.date()) > deadline
        if not await db.insert_decision(conn, decision_id, issuer.code, request, deadline, late):
            raise Problem(
                DUPLICATE_DECISION,
                f"Quyết định {request.decision.number} ngày {request.decision.date:%d/%m/%Y} "
                "đã được đăng ký",
                f"Decision {request.decision.number} of {request.decision.date} is already "
                "registered",
            )
        serials = [g.serial for g in request.graduates]
        kind = request.diploma.kind.value
        if issuer.tracks_blanks:
            # Taken before the counter's lock, in the order every blank operation takes them.
            await blanks_db.lock(conn, issuer.code, kind)
            receipts = await blanks_db.usable(
                conn, issuer.code, kind, serials, lambda i: ("graduates", i, "serial")
            )
        # The counter row stays locked from here to commit: keep what follows short.
        first_seq = await db.allocate_register_numbers(
            conn,
            issuer.code,
            request.diploma.kind,
            request.diploma.issued_on.year,
            len(request.graduates),
        )
        records = build_records(
            request,
            issuer,
            decision_id=decision_id,
            first_seq=first_seq,
            # Whole seconds: the signed issued-at and the stored one are the same instant.
            issued_at=issued_at,
        )
        signed = await sign_records(key, records, signing.executor)
        await db.insert_diplomas(conn, records, key.kid, signed)
        if issuer.tracks_blanks:
            await blanks_db.record_uses(
                conn, issuer.code, kind, serials, receipts, [r.id for r in records]
            )
        answer = _decision_answer(decision_id, issuer.code, request, records)
        answer["deadline"] = deadline.isoformat()
        answer["late"] = late
        body = orjson.dumps(answer)
        if idempotency_key is not None:
            await idempotency.complete(conn, principal.token_id, idempotency_key, 201, body)
    return Answer(201, body, decision_id)


def _serial_in(exc: asyncpg.UniqueViolationError, serials: list[str]) -> str:
    # "Key (serial, issuer_code, kind)=(HN25-012301, SGDDT-HN, thpt) already exists."
    detail = exc.detail or ""
    return next((s for s in serials if f"=({s}, " in detail), "")


def _serials_taken(serials: list[str], taken: set[str]) -> Problem:
    errors = [
        FieldError(
            ("graduates", i, "serial"),
            "serial_taken",
            f"Số hiệu {s} đã có trong sổ gốc",
            f"Serial {s} is already in the register",
        )
        for i, s in enumerate(serials)
        if s in taken
    ]
    return Problem(DUPLICATE_SERIAL, errors=errors)


def _summary(diploma_id: Any, serial: str, register_number: str, full_name: str) -> dict[str, Any]:
    return {
        "id": str(diploma_id),
        "serial": serial,
        "register_number": register_number,
        "full_name": full_name,
    }


def _decision_answer(
    decision_id: uuid.UUID,
    issuer_code: str,
    request: GraduationDecisionIn,
    records: list[DiplomaRecord],
) -> dict[str, Any]:
    """The registration's answer; GET of the decision gives the same keys."""
    signer = request.decision.signer
    return {
        "id": str(decision_id),
        "issuer": issuer_code,
        "number": request.decision.number,
        "date": request.decision.date.isoformat(),
        "signer": {"name": signer.name, "title": signer.title},
        "kind": request.diploma.kind.value,
        "regulation": request.diploma.regulation,
        "graduate_count": len(records),
        "diplomas": [_summary(r.id, r.serial, r.register_number, r.holder_name) for r in records],
    }


async def check_read_scope(conn: Any, principal: Principal, issuer_code: str) -> None:
    """Out of scope reads as not found: a token learns nothing of other issuers' records."""
    if principal.role == Role.ADMIN:
        return
    assert principal.issuer_code is not None
    if principal.role == Role.CLERK:
        allowed = issuer_code == principal.issuer_code
    else:
        allowed = await db.issuer_within(conn, issuer_code, principal.issuer_code)
    if not allowed:
        raise Problem(NOT_FOUND)


async def diploma_in_scope(
    conn: Any, principal: Principal, diploma_id: uuid.UUID
) -> asyncpg.Record:
    """The diploma's register row, or not-found when absent or outside the scope."""
    row = await db.get_diploma(conn, diploma_id)
    if row is None:
        raise Problem(NOT_FOUND)
    await check_read_scope(conn, principal, row["issuer_code"])
    return row


async def decision_in_scope(
    conn: Any, principal: Principal, decision_id: uuid.UUID
) -> asyncpg.Record:
    """The decision's row, or not-found when absent or outside the scope."""
    row = await db.get_decision(conn, decision_id)
    if row is None:
        raise Problem(NOT_FOUND)
    await check_read_scope(conn, principal, row["issuer_code"])
    return row


async def read_diploma(
    pool: asyncpg.Pool[Any], principal: Principal, diploma_id: uuid.UUID
) -> dict[str, Any]:
    async with pool.acquire() as conn:
        row = await diploma_in_scope(conn, principal, diploma_id)
        history = await diploma_history(conn, diploma_id)
    out = dict(row)
    out["full_name"] = out.pop("holder_name")
    # The exact signed bytes, for anyone holding the trust list to verify offline.
    out["signature"] = {
        "kid": bytes(out.pop("kid")).hex(),
        "cose_sign1": base64.b64encode(out.pop("signed")).decode(),
    }
    out["signer"] = {
        "name": out.pop("signer_name"),
        "title": out.pop("signer_title"),
        "on_behalf_of": out.pop("signer_on_behalf_of"),
    }
    out["decision"] = {
        "id": out.pop("decision_id"),
        "number": out.pop("decision_number"),
        "date": out.pop("decision_date"),
    }
    # The register row as registered; what happened since (corrections with old and new
    # values, revocation, re-issue, copies) is in `lifecycle`.
    out["lifecycle"] = history
    return out


async def read_decision(
    pool: asyncpg.Pool[Any], principal: Principal, decision_id: uuid.UUID
) -> dict[str, Any]:
    async with pool.acquire() as conn:
        row = await decision_in_scope(conn, principal, decision_id)
        diplomas = await db.list_decision_diplomas(conn, decision_id)
    return {
        "id": row["id"],
        "issuer": row["issuer_code"],
        "number": row["number"],
        "date": row["decided_on"],
        "signer": {"name": row["signer_name"], "title": row["signer_title"]},
        "kind": row["kind"],
        "regulation": row["regulation"],
        "graduate_count": row["graduate_count"],
        "registered_at": row["created_at"],
        "deadline": row["deadline"],
        "late": row["late"],
        "diplomas": [
            _summary(d["id"], d["serial"], d["register_number"], d["holder_name"]) for d in diplomas
        ],
    }
