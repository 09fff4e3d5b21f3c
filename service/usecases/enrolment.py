"""Enrolling a second factor (TOTP) and removing it. The secret is offered to the person
(as a QR code and as text) and saved only once they type a code their app made from it;
then they get recovery codes, shown once."""

from __future__ import annotations

import time
from typing import Any

from service import texts
from service.db import accounts as db
from service.db.pool import Pool
from service.domain.accounts import Principal
from service.domain.journal import Action
from service.domain.second_factor import RecoveryCodes, accepted_step
from service.problems import FORBIDDEN, NOT_FOUND, VALIDATION_ERROR, FieldError, Problem
from service.usecases import credentials, journal


def second_factor_required(principal: Principal, roles: frozenset[str]) -> bool:
    return principal.role.value in roles


async def enrol(pool: Pool[Any], principal: Principal, *, secret: str, code: str) -> RecoveryCodes:
    assert principal.account_id is not None
    step = accepted_step(secret, code, now=time.time(), last_step=None)
    if step is None:
        raise Problem(
            VALIDATION_ERROR, errors=[FieldError(("code",), "wrong_code", *texts.ENROL_CODE_WRONG)]
        )
    codes = RecoveryCodes.new()
    async with pool.acquire() as conn, conn.transaction():
        account = await db.lock_account(conn, principal.account_id)
        if account is None:
            raise Problem(NOT_FOUND)
        await db.set_totp(conn, account.id, secret, step)
        await db.replace_recovery_codes(conn, account.id, codes.hashes)
        await journal.note_account(
            conn,
            principal,
            Action.SECOND_FACTOR_ENROLLED,
            account,
            detail={"replaced": account.totp_secret is not None},
        )
    return codes


async def remove(
    pool: Pool[Any], principal: Principal, *, password: str, roles: frozenset[str]
) -> None:
    """Removes the person's own second factor (their password again first), unless their
    role must have one."""
    assert principal.account_id is not None
    if second_factor_required(principal, roles):
        raise Problem(FORBIDDEN, *texts.SECOND_FACTOR_REQUIRED)
    async with pool.acquire() as conn:
        account = await db.get_account(conn, principal.account_id)
    if account is None:
        raise Problem(NOT_FOUND)
    if not await credentials.verify_password(account.password_hash, password):
        raise Problem(
            VALIDATION_ERROR,
            errors=[FieldError(("password",), "wrong_password", *texts.CURRENT_PASSWORD_WRONG)],
        )
    async with pool.acquire() as conn, conn.transaction():
        await db.set_totp(conn, account.id, None, None)
        await db.replace_recovery_codes(conn, account.id, [])
        await journal.note_account(
            conn,
            principal,
            Action.SECOND_FACTOR_REMOVED,
            account,
        )
