"""Revocation (thu hồi, hủy bỏ, Circular 21 Art. 25): a decision that takes a diploma out of
force, recorded by its issuer, and the list every issuer publishes."""

from __future__ import annotations

import uuid
from typing import Any

import structlog

from service.db import lifecycle as db
from service.db import register as register_db
from service.db.pool import Pool
from service.domain.clock import vietnam_day
from service.domain.events import Revocation
from service.domain.lifecycle import RevocationIn, check_revocation
from service.domain.views import PublishedRevocation, PublishedRevocations
from service.problems import ALREADY_REVOKED, NOT_FOUND, Problem
from service.usecases.writes import Write

log = structlog.get_logger(__name__)


async def revoke(w: Write, diploma_id: uuid.UUID, request: RevocationIn) -> Revocation:
    """Records a revocation decision; the same rights as registering for the issuer."""
    # A clerk's scope is the own issuer only: another issuer's diploma reads as absent.
    state = await w.locked_diploma(diploma_id)
    if state.revoked_decision is not None:
        raise Problem(ALREADY_REVOKED)
    state.ensure_in_force()
    row = state.row
    check_revocation(request, issued_on=row.issued_on, today=vietnam_day(w.recorded_at))
    key = await w.key(state.issuer_code)
    revocation = Revocation(
        id=uuid.uuid4(),
        diploma_id=diploma_id,
        issuer=state.issuer_code,
        serial=row.serial,
        record_digest=state.digest,
        decision_number=request.decision_number,
        decided_on=request.decided_on,
        authority=request.authority,
        ground=request.ground.value,
        reason=request.reason,
        recorded_at=w.recorded_at,
        kid=key.kid,
    )
    if await w.record(revocation) is None:  # the lock makes this unreachable; the index guards
        raise Problem(ALREADY_REVOKED)
    log.info(
        "diploma_revoked",
        diploma_id=str(diploma_id),
        issuer=state.issuer_code,
        ground=request.ground.value,
    )
    return revocation


async def published_revocations(
    pool: Pool[Any], issuer_code: str, *, limit: int = 500
) -> PublishedRevocations:
    """The list every issuer publishes (Art. 25): its revocation decisions, newest first,
    with the diplomas' serials and holders' names. Not found when there is no such issuer."""
    async with pool.acquire() as conn:
        issuer = await register_db.get_issuer(conn, issuer_code)
        if issuer is None:
            raise Problem(NOT_FOUND)
        rows = await db.issuer_revocations(conn, issuer_code, limit)
    return PublishedRevocations(
        issuer=issuer.code,
        name=issuer.name,
        revocations=[PublishedRevocation.model_validate(dict(r)) for r in rows],
    )
