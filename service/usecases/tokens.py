"""Personal API tokens: a signed-in person makes one for an integration, with a label and an
expiry (90 days unless asked, a year at most); it acts with its person's role and scope,
whatever they become, and stops when its person is disabled. Shown once; only its hash kept."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import asyncpg

from service import texts
from service.db import accounts as db
from service.db.pool import Pool
from service.domain.accounts import TOKEN_MAX_DAYS, Principal, new_token, token_expiry
from service.domain.journal import Action
from service.problems import NOT_FOUND, VALIDATION_ERROR, FieldError, Problem
from service.usecases import journal

MAX_LABEL = 100


@dataclass(frozen=True)
class CreatedToken:
    id: uuid.UUID
    token: str
    expires_at: datetime


def _account(principal: Principal) -> uuid.UUID:
    assert principal.account_id is not None, "personal tokens belong to a person"
    return principal.account_id


async def create(
    pool: Pool[Any], principal: Principal, *, label: str, days: int | None
) -> CreatedToken:
    account_id = _account(principal)
    label = label.strip()
    errors = []
    if not 1 <= len(label) <= MAX_LABEL:
        errors.append(FieldError(("label",), "bad_label", *texts.TOKEN_LABEL.format(max=MAX_LABEL)))
    try:
        expires_at = token_expiry(datetime.now(UTC).replace(microsecond=0), days)
    except ValueError:
        errors.append(
            FieldError(("days",), "bad_days", *texts.TOKEN_DAYS.format(max=TOKEN_MAX_DAYS))
        )
    if errors:
        raise Problem(VALIDATION_ERROR, errors=errors)
    token = new_token()
    async with pool.acquire() as conn, conn.transaction():
        token_id = await db.add_token(
            conn,
            token,
            principal.role,
            principal.issuer_code,
            label,
            account_id=account_id,
            expires_at=expires_at,
        )
        await journal.note(
            conn,
            principal,
            Action.TOKEN_CREATED,
            issuer_code=principal.issuer_code,
            record_type="token",
            record_id=token_id,
            detail={"label": label, "expires_at": expires_at.isoformat()},
        )
    return CreatedToken(token_id, token, expires_at)


async def mine(pool: Pool[Any], principal: Principal) -> list[asyncpg.Record]:
    async with pool.acquire() as conn:
        return await db.account_tokens(conn, _account(principal))


async def revoke(pool: Pool[Any], principal: Principal, token_id: uuid.UUID) -> None:
    """Revokes one of the person's own tokens; another's reads as not found."""
    account_id = _account(principal)
    async with pool.acquire() as conn, conn.transaction():
        if not await db.revoke_account_token(conn, token_id, account_id):
            raise Problem(NOT_FOUND)
        await journal.note(
            conn,
            principal,
            Action.TOKEN_REVOKED,
            issuer_code=principal.issuer_code,
            record_type="token",
            record_id=token_id,
        )
