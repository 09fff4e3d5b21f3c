"""The staff's TOTP secrets at rest: sealed under the key of `personal-id.key`
(service/sealing.py) when enrolled, opened to check a code, and those enrolled before
0033_sealed_totp sealed when the service starts with the key. Shared by enrolment and
sign-in."""

from __future__ import annotations

import uuid
from typing import Any

import structlog

from service import texts
from service.db import accounts as db
from service.db.pool import Pool
from service.domain.accounts import Account
from service.problems import NO_PERSONAL_ID_KEY, FieldError, Problem
from service.sealing import SealError, SecondFactorSeal, is_sealed_totp

log = structlog.get_logger(__name__)


class SecretUnreadable(Exception):
    """An account's sealed secret does not open with this server's key (absent, another
    one, or the value altered)."""


def seal_for_enrolment(seal: SecondFactorSeal | None, account_id: uuid.UUID, secret: str) -> str:
    """What enrolment stores: the secret sealed. Without the key nothing is stored, and the
    person reads why beside the code they typed."""
    if seal is None:
        raise Problem(
            NO_PERSONAL_ID_KEY,
            errors=[FieldError(("code",), "no_sealing_key", *texts.SECOND_FACTOR_KEY_ABSENT)],
        )
    return seal.seal(account_id, secret)


def opened(seal: SecondFactorSeal | None, account: Account) -> str | None:
    """The account's TOTP secret, opened (None: it has none). A secret kept in the clear
    before 0033 reads as it is, key or not."""
    stored = account.totp_secret
    if stored is None:
        return None
    if not is_sealed_totp(stored):
        return stored
    if seal is None:
        log.error("second_factor_unreadable", account_id=str(account.id), why="no key")
        raise SecretUnreadable
    try:
        return seal.open(account.id, stored)
    except SealError as exc:
        log.error("second_factor_unreadable", account_id=str(account.id), why=str(exc))
        raise SecretUnreadable from None


async def seal_clear_secrets(pool: Pool[Any], seal: SecondFactorSeal) -> int:
    """Seals every secret still in the clear; answers how many. Each is replaced only if it
    is still the one read, so an enrolment meanwhile is kept, and running it again (another
    process starting at once) seals nothing twice. Nothing is sealed beside secrets sealed
    under another key file (a database restored beside the wrong keys): once the right file
    is back, those would not open."""
    async with pool.acquire() as conn:
        others = [s for s in await db.sealed_totp_secrets(conn) if not seal.sealed_here(s)]
        if others:
            log.error("second_factor_key_mismatch", sealed_elsewhere=len(others))
            return 0
        found = await db.clear_totp_secrets(conn)
        sealed = 0
        for account_id, clear in found:
            if await db.seal_totp_secret(conn, account_id, clear, seal.seal(account_id, clear)):
                sealed += 1
    if sealed:
        log.info("second_factor_secrets_sealed", accounts=sealed)
    return sealed
