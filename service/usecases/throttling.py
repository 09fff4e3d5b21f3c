"""The throttle of password and code checks (service/domain/throttle.py has the curves): an
attempt is let through, or refused with the time to wait, before anything is checked."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from service import texts
from service.db import accounts as db
from service.db.pool import Pool
from service.domain import throttle
from service.domain.accounts import Account
from service.problems import VALIDATION_ERROR, FieldError, Problem
from service.texts import Text
from service.usecases import credentials


class Throttled(Exception):
    """Too many failures: wait `seconds`; `text` says so."""

    def __init__(self, seconds: int) -> None:
        super().__init__(f"wait {seconds} s")
        self.seconds = seconds
        if seconds < 120:
            self.text: Text = texts.SIGN_IN_THROTTLED.format(seconds=seconds)
        else:
            self.text = texts.SIGN_IN_THROTTLED_MINUTES.format(minutes=-(-seconds // 60))


Before = dict[str, datetime | None]


async def admit(pool: Pool[Any], keys: dict[str, throttle.Curve]) -> Before:
    """Lets one attempt through, or raises Throttled. An attempt let through counts at once
    (as a failure, until a success clears it), under the keys' locks, so that attempts sent
    together are counted one after another and none slips past the count. Answers each
    key's last failure before this attempt, for `forgive`."""
    async with pool.acquire() as conn, conn.transaction():
        now = await db.lock_throttle(conn, list(keys))
        state = await db.throttle_state(conn, list(keys))
        wait = throttle.wait(now, state, keys)
        if not wait:
            await db.record_failure(conn, list(keys))
    if wait:
        raise Throttled(wait)
    return {key: state[key][1] if key in state else None for key in keys}


async def settle(pool: Pool[Any], *, cleared: list[str], forgiven: Before) -> None:
    """A success: the `cleared` keys' counts start again; the `forgiven` ones (a network)
    take this attempt off, with the time of their last failure as it was before it, so that
    a busy office's successes neither keep its count alive nor restart its wait."""
    async with pool.acquire() as conn, conn.transaction():
        if cleared:
            await db.clear_failures(conn, cleared)
        if forgiven:
            await db.forgive_attempt(conn, list(forgiven), list(forgiven.values()))


async def cleared(pool: Pool[Any], keys: list[str]) -> None:
    """A success: the keys' counts start again."""
    await settle(pool, cleared=keys, forgiven={})


async def check_own_password(pool: Pool[Any], account: Account, given: str, field: str) -> None:
    """A signed-in person's password typed again (to change it, to turn a factor off),
    throttled as sign-ins are; a validation problem on `field` when wrong or waiting."""
    keys = {throttle.password_check_key(str(account.id)): throttle.ACCOUNT}
    try:
        await admit(pool, keys)
    except Throttled as waiting:
        raise Problem(
            VALIDATION_ERROR, errors=[FieldError((field,), "throttled", *waiting.text)]
        ) from None
    if not await credentials.verify_password(account.password_hash, given):
        raise Problem(
            VALIDATION_ERROR,
            errors=[FieldError((field,), "wrong_password", *texts.CURRENT_PASSWORD_WRONG)],
        )
    await cleared(pool, list(keys))
