"""Recording lifecycle decisions: revocation so far. Each is a new signed row that refers to
the diploma, written in one transaction; the diploma itself is never changed."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import asyncpg
import structlog

from service.db import keys as keys_db
from service.db.queries import Q
from service.domain.accounts import Principal
from service.domain.lifecycle import RevocationIn, check_revocation
from service.problems import ALREADY_REVOKED, NO_SIGNING_KEY, Problem
from service.register import diploma_in_scope, ensure_may_register
from service.signing import Signing
from verifier.cose import sign1
from verifier.events import EVENT_VERSION, encode_revocation
from verifier.token import record_digest

log = structlog.get_logger(__name__)


async def revoke(
    pool: asyncpg.Pool[Any],
    principal: Principal,
    diploma_id: uuid.UUID,
    request: RevocationIn,
    *,
    signing: Signing,
) -> dict[str, Any]:
    """Records a revocation decision; the same rights as registering for the issuer."""
    ensure_may_register(principal)
    recorded_at = datetime.now(UTC).replace(microsecond=0)
    async with pool.acquire() as conn, conn.transaction():
        # A clerk's scope is the own issuer only: another issuer's diploma reads as absent.
        row = await diploma_in_scope(conn, principal, diploma_id)
        check_revocation(request, issued_on=row["issued_on"], today=recorded_at.date())
        kid = await keys_db.active_kid(conn, row["issuer_code"])
        key = None if kid is None else signing.keystore.issuer_key(kid)
        if key is None:
            raise Problem(NO_SIGNING_KEY)
        statement = sign1(
            encode_revocation(
                {
                    "v": EVENT_VERSION,
                    "type": "revocation",
                    "issuer": row["issuer_code"],
                    "serial": row["serial"],
                    "record_digest": record_digest(bytes(row["signed"])),
                    "decision_number": request.decision_number,
                    "decided_on": request.decided_on.isoformat(),
                    "authority": request.authority,
                    "ground": request.ground.value,
                    "reason": request.reason,
                    "issued_at": int(recorded_at.timestamp()),
                }
            ),
            key.private_key,
            key.kid,
        )
        revocation_id = uuid.uuid4()
        inserted = await conn.fetchval(
            Q.insert_revocation,
            revocation_id,
            diploma_id,
            row["issuer_code"],
            request.decision_number,
            request.decided_on,
            request.authority,
            request.ground.value,
            request.reason,
            key.kid,
            statement,
            recorded_at,
        )
        if inserted is None:
            raise Problem(ALREADY_REVOKED)
    log.info(
        "diploma_revoked",
        diploma_id=str(diploma_id),
        issuer=row["issuer_code"],
        ground=request.ground.value,
    )
    return {
        "id": str(revocation_id),
        "diploma_id": str(diploma_id),
        "issuer": row["issuer_code"],
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
