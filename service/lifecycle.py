"""Recording lifecycle decisions, and what they share: every event is a new row signed by the
issuer's active key, written in one transaction under a lock on the diploma; the diploma
itself is never changed. Revocation is here; corrections, re-issues, copies and blanks have
modules of their own."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import asyncpg
import orjson
import structlog
from pydantic import BaseModel

from service.db import idempotency
from service.db import keys as keys_db
from service.db.queries import Q
from service.domain.accounts import Principal
from service.domain.lifecycle import RevocationIn, check_revocation
from service.keystore import IssuerKey
from service.problems import (
    ALREADY_REVOKED,
    DIPLOMA_NOT_IN_FORCE,
    IDEMPOTENCY_KEY_REUSED,
    NO_SIGNING_KEY,
    Problem,
)
from service.register import diploma_in_scope, ensure_may_register
from service.signing import Signing
from verifier.cose import sign1
from verifier.events import EVENT_VERSION, encode_event
from verifier.token import record_digest

log = structlog.get_logger(__name__)

CIVIL_STATUS_COLUMNS = (
    "holder_name",
    "date_of_birth",
    "place_of_birth",
    "gender",
    "ethnicity",
    "nationality",
)


@dataclass(frozen=True)
class Recorded:
    """A lifecycle action's answer, as sent and as stored for idempotent replay."""

    status: int
    body: bytes
    replayed: bool = False


Action = Callable[[Any], Awaitable[dict[str, Any]]]


async def record(
    pool: asyncpg.Pool[Any],
    principal: Principal,
    action: Action,
    *,
    idempotency_key: str | None = None,
    what: str = "",
    request: BaseModel | None = None,
) -> Recorded:
    """Runs `action` on a connection in one transaction: everything it writes commits
    together or not at all. With an Idempotency-Key, a retry gets the first answer; the key
    reused for another request (`what`, e.g. the method and path, and its validated body) is
    refused."""
    ensure_may_register(principal)
    body_json = b"" if request is None else request.model_dump_json().encode()
    request_hash = hashlib.sha256(what.encode() + b"\0" + body_json).digest()
    async with pool.acquire() as conn, conn.transaction():
        if idempotency_key is not None:
            owner = principal.token_id
            if not await idempotency.claim(conn, owner, idempotency_key, request_hash):
                stored = await idempotency.stored_answer(conn, owner, idempotency_key)
                if stored.request_hash != request_hash:
                    raise Problem(IDEMPOTENCY_KEY_REUSED)
                return Recorded(stored.status, stored.body, replayed=True)
        body = orjson.dumps(await action(conn))
        if idempotency_key is not None:
            await idempotency.complete(conn, principal.token_id, idempotency_key, 201, body)
    return Recorded(201, body)


def recorded_now() -> datetime:
    """Whole seconds: the signed time and the stored one are the same instant."""
    return datetime.now(UTC).replace(microsecond=0)


async def signing_key(conn: Any, signing: Signing, issuer_code: str) -> IssuerKey:
    kid = await keys_db.active_kid(conn, issuer_code)
    key = None if kid is None else signing.keystore.issuer_key(kid)
    if key is None:
        raise Problem(NO_SIGNING_KEY)
    return key


def sign_event(key: IssuerKey, fields: dict[str, Any]) -> bytes:
    """A signed statement of the event (verifier/events.py fixes each type's fields)."""
    return sign1(encode_event({"v": EVENT_VERSION, **fields}), key.private_key, key.kid)


def to_jsonb(value: Any) -> str:
    """A jsonb parameter (orjson writes dates as YYYY-MM-DD)."""
    return orjson.dumps(value).decode()


@dataclass(frozen=True)
class DiplomaState:
    """A diploma's register row and where its life stands, read under the diploma's lock."""

    row: asyncpg.Record
    revoked_decision: str | None
    replaced_by: uuid.UUID | None
    version: int  # 1: as registered; 2, 3, ...: after each correction
    current: dict[str, Any]  # the civil-status columns as they stand now
    record_signed: bytes  # the current version of the signed record

    @property
    def issuer_code(self) -> str:
        return str(self.row["issuer_code"])

    @property
    def digest(self) -> bytes:
        """The digest of the registered record: statements name the diploma by it."""
        return record_digest(bytes(self.row["signed"]))

    def ensure_in_force(self) -> None:
        if self.revoked_decision is not None:
            raise Problem(
                DIPLOMA_NOT_IN_FORCE,
                f"Văn bằng đã bị thu hồi theo quyết định {self.revoked_decision}",
                f"The diploma was revoked by decision {self.revoked_decision}",
            )
        if self.replaced_by is not None:
            raise Problem(
                DIPLOMA_NOT_IN_FORCE,
                f"Văn bằng đã được thay bằng văn bằng cấp lại {self.replaced_by}",
                f"The diploma was replaced by the re-issued diploma {self.replaced_by}",
            )


async def locked_diploma(conn: Any, principal: Principal, diploma_id: uuid.UUID) -> DiplomaState:
    """The diploma within the principal's scope (else not found), locked until the
    transaction ends, with its lifecycle state. The caller must be in a transaction."""
    ensure_may_register(principal)
    row = await diploma_in_scope(conn, principal, diploma_id)
    await conn.execute(Q.lock_diploma, diploma_id)
    state = await conn.fetchrow(Q.diploma_state, diploma_id)
    current = {name: row[name] for name in CIVIL_STATUS_COLUMNS}
    if state["current"] is not None:
        current.update(orjson.loads(state["current"]))
        current["date_of_birth"] = date.fromisoformat(current["date_of_birth"])
    return DiplomaState(
        row=row,
        revoked_decision=state["revoked_decision"],
        replaced_by=state["replaced_by"],
        version=state["version"] or 1,
        current=current,
        record_signed=bytes(state["record_signed"] or row["signed"]),
    )


async def revoke(
    conn: Any,
    principal: Principal,
    diploma_id: uuid.UUID,
    request: RevocationIn,
    *,
    signing: Signing,
) -> dict[str, Any]:
    """Records a revocation decision; the same rights as registering for the issuer."""
    recorded_at = recorded_now()
    # A clerk's scope is the own issuer only: another issuer's diploma reads as absent.
    state = await locked_diploma(conn, principal, diploma_id)
    if state.revoked_decision is not None:
        raise Problem(ALREADY_REVOKED)
    state.ensure_in_force()
    row = state.row
    check_revocation(request, issued_on=row["issued_on"], today=recorded_at.date())
    key = await signing_key(conn, signing, state.issuer_code)
    statement = sign_event(
        key,
        {
            "type": "revocation",
            "issuer": state.issuer_code,
            "serial": row["serial"],
            "record_digest": state.digest,
            "decision_number": request.decision_number,
            "decided_on": request.decided_on.isoformat(),
            "authority": request.authority,
            "ground": request.ground.value,
            "reason": request.reason,
            "issued_at": int(recorded_at.timestamp()),
        },
    )
    revocation_id = uuid.uuid4()
    inserted = await conn.fetchval(
        Q.insert_revocation,
        revocation_id,
        diploma_id,
        state.issuer_code,
        request.decision_number,
        request.decided_on,
        request.authority,
        request.ground.value,
        request.reason,
        key.kid,
        statement,
        recorded_at,
    )
    if inserted is None:  # the lock makes this unreachable; the unique index still guards
        raise Problem(ALREADY_REVOKED)
    log.info(
        "diploma_revoked",
        diploma_id=str(diploma_id),
        issuer=state.issuer_code,
        ground=request.ground.value,
    )
    return {
        "id": str(revocation_id),
        "diploma_id": str(diploma_id),
        "issuer": state.issuer_code,
        "serial": row["serial"],
        "decision_number": request.decision_number,
        "decided_on": request.decided_on.isoformat(),
        "authority": request.authority,
        "ground": request.ground.value,
        "reason": request.reason,
        "recorded_at": recorded_at.isoformat(),
        "kid": key.kid.hex(),
    }


async def issuer_revocations(
    pool: asyncpg.Pool[Any], issuer_code: str, *, limit: int = 500
) -> list[dict[str, Any]]:
    """The published list: the decisions, the diplomas' serials and holders' names."""
    async with pool.acquire() as conn:
        rows = await conn.fetch(Q.issuer_revocations, issuer_code, limit)
    return [
        {
            "decision_number": r["decision_number"],
            "decided_on": r["decided_on"].isoformat(),
            "authority": r["authority"],
            "ground": r["ground"],
            "reason": r["reason"],
            "serial": r["serial"],
            "register_number": r["register_number"],
            "kind": r["kind"],
            "holder_name": r["holder_name"],
            "recorded_at": r["recorded_at"].isoformat(),
        }
        for r in rows
    ]
