"""Enrolling a second factor (TOTP) and removing it. The secret is offered to the person
(as a QR code and as text) and saved, sealed (second_factor_secrets), only once they type a
code their app made from it; then they get recovery codes, shown once."""

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
from service.sealing import SecondFactorSeal
from service.usecases import journal, throttling
from service.usecases.second_factor_secrets import SecretUnreadable, opened, seal_for_enrolment


def second_factor_required(principal: Principal, roles: frozenset[str]) -> bool:
    return principal.role.value in roles


def _same_secret(seal: SecondFactorSeal | None, account: Any, secret: str) -> bool:
    """Whether the account's factor is this very secret (one it cannot read is not)."""
    try:
        return opened(seal, account) == secret
    except SecretUnreadable:
        return False


async def enrol(
    pool: Pool[Any],
    principal: Principal,
    seal: SecondFactorSeal | None,
    *,
    secret: str,
    code: str,
    password: str = "",
) -> RecoveryCodes:
    """Saves the secret, sealed with `seal`, once `code` proves the person's app has it, and
    answers new recovery codes. Replacing a factor the account has takes the password too (a
    session left open must not be enough to move the factor to another phone). The same form
    posted again (a reload) is refused, its code's step being used: the codes shown stay the
    good ones."""
    assert principal.account_id is not None
    async with pool.acquire() as conn:
        existing = await db.get_account(conn, principal.account_id)
    if existing is None:
        raise Problem(NOT_FOUND)
    if existing.totp_secret is not None:
        await throttling.check_own_password(pool, existing, password, "password")
    last = existing.totp_last_step if _same_secret(seal, existing, secret) else None
    step = accepted_step(secret, code, now=time.time(), last_step=last)
    if step is None:
        raise Problem(
            VALIDATION_ERROR, errors=[FieldError(("code",), "wrong_code", *texts.ENROL_CODE_WRONG)]
        )
    stored = seal_for_enrolment(seal, existing.id, secret)
    codes = RecoveryCodes.new()
    async with pool.acquire() as conn, conn.transaction():
        account = await db.lock_account(conn, principal.account_id)
        if account is None:
            raise Problem(NOT_FOUND)
        # What was decided above, true still under the lock: no other enrolment came in
        # between (a double click, or another tab) to replace the factor or use the step.
        changed = account.totp_secret != existing.totp_secret
        used = _same_secret(seal, account, secret) and (account.totp_last_step or -1) >= step
        if changed or used:
            raise Problem(
                VALIDATION_ERROR,
                errors=[FieldError(("code",), "wrong_code", *texts.ENROL_CODE_WRONG)],
            )
        await db.set_totp(conn, account.id, stored, step)
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
    await throttling.check_own_password(pool, account, password, "off_password")
    async with pool.acquire() as conn, conn.transaction():
        await db.set_totp(conn, account.id, None, None)
        await db.replace_recovery_codes(conn, account.id, [])
        await journal.note_account(
            conn,
            principal,
            Action.SECOND_FACTOR_REMOVED,
            account,
        )
