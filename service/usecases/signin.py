"""Signing in and out of the staff pages (docs/accounts.md): the password, then the second
factor when the account has one; sessions in PostgreSQL; failed attempts throttled by
account and by client address; every step journaled.

An unknown username and a wrong password get the same answer after the same work (an
argon2 verification either way). Only someone who knew the password learns that the
account is disabled."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from service import metrics, texts
from service.db import accounts as db
from service.db import sessions as sessions_db
from service.db.pool import Connection, Pool
from service.db.register import get_issuer
from service.db.sessions import SessionRow
from service.domain import sessions, throttle
from service.domain.accounts import Account, Principal, normal_username
from service.domain.journal import Action, client_network
from service.domain.registration import IssuerInfo
from service.domain.second_factor import (
    accepted_step,
    hash_recovery_code,
    looks_like_recovery_code,
)
from service.problems import Problem
from service.sealing import SecondFactorSeal
from service.settings import Settings
from service.texts import Text
from service.usecases import credentials, journal, throttling
from service.usecases.second_factor_secrets import SecretUnreadable, opened

_MAX_INPUT = 1024  # longer than any username or password the policy allows


class SignInRefused(Exception):
    """The attempt failed; `text` says why, as the person may be told."""

    def __init__(self, text: Text, *, retry_after: int | None = None) -> None:
        super().__init__(text.en)
        self.text = text
        self.retry_after = retry_after


@dataclass(frozen=True)
class SignedIn:
    secret: str  # the session cookie's value
    second_factor_pending: bool
    must_change_password: bool
    device: str | None = None  # a new known-browser cookie's value, to set


def _lifetime(settings: Settings) -> timedelta:
    return timedelta(hours=settings.session_hours)


def idle(settings: Settings) -> timedelta:
    return timedelta(minutes=settings.session_idle_minutes)


async def admit(pool: Pool[Any], keys: dict[str, throttle.Curve]) -> throttling.Before:
    """The throttle's answer to a sign-in attempt (see throttling.admit)."""
    try:
        return await throttling.admit(pool, keys)
    except throttling.Throttled as waiting:
        raise SignInRefused(waiting.text, retry_after=waiting.seconds) from None


async def sign_in(
    pool: Pool[Any],
    settings: Settings,
    *,
    username: str,
    password: str,
    client: str | None,
    user_agent: str | None,
    device: str | None = None,
) -> SignedIn:
    """`device`: the known-browser cookie, if the browser has one."""
    username = normal_username(username)[:_MAX_INPUT]
    password = password[:_MAX_INPUT]
    device_hash = sessions.secret_hash(device) if device else None
    async with pool.acquire() as conn:
        known_for = await db.device_username(conn, device_hash) if device_hash else None
    if device_hash is not None and known_for == username:
        # A browser this person signed in with: only its own failures slow it down.
        keys = {throttle.device_key(device_hash): throttle.ACCOUNT}
        cleared = list(keys)
    else:
        keys = {
            throttle.account_key(username): throttle.ACCOUNT,
            throttle.client_key(client): throttle.CLIENT,
        }
        cleared = [throttle.account_key(username)]
        device_hash = None
    before = await admit(pool, keys)
    async with pool.acquire() as conn:
        account = await db.account_by_username(conn, username) if username else None
    try:
        matches = await credentials.verify_password(
            account.password_hash if account else None, password
        )
    except Problem as busy:  # too many checks waiting: this attempt was not made
        await throttling.settle(pool, cleared=[], forgiven=before)
        raise SignInRefused(
            texts.PASSWORD_CHECKS_BUSY, retry_after=credentials.BUSY_SECONDS
        ) from busy
    refusal = _refusal(account, matches, settings)
    if refusal is not None:
        text, reason = refusal
        async with pool.acquire() as conn, conn.transaction():
            if reason not in ("wrong_password", "unknown_account"):
                await db.clear_failures(conn, cleared)  # the password was right
            await journal.note(
                conn,
                None,
                Action.SIGN_IN_FAILED,
                issuer_code=account.issuer_code if account else None,
                record_type="account" if account else None,
                record_id=account.id if account else None,
                account_id=account.id if account else None,
                detail={"reason": reason},
            )
        metrics.SIGN_INS.labels(reason).inc()
        raise SignInRefused(text)
    assert account is not None
    new_hash = None
    if credentials.needs_rehash(account.password_hash):  # before any lock is taken
        new_hash = await credentials.hash_password(password)
    pending = account.totp_secret is not None
    secret = sessions.new_secret()
    id_hash = sessions.secret_hash(secret)
    assert id_hash is not None
    # A known-browser cookie once the sign-in is complete (after its code, when it has one).
    new_device = None if device_hash is not None or pending else sessions.new_secret()
    async with pool.acquire() as conn, conn.transaction():
        if new_hash is not None:
            await db.rehash_password(conn, account.id, account.password_hash, new_hash)
        if new_device is not None:
            await _add_device(conn, new_device, account)
        await sessions_db.insert(
            conn,
            id_hash,
            account.id,
            lifetime=_lifetime(settings),
            second_factor_pending=pending,
            client=client_network(client),
            user_agent=(user_agent or "")[:300] or None,
        )
        if not pending:
            await _signed_in(conn, account, "password")
    # The name's (or the browser's) count starts again; the network's forgets this one
    # attempt only, so that one good account does not clear the way for guessing others.
    await throttling.settle(
        pool, cleared=cleared, forgiven={k: v for k, v in before.items() if k not in cleared}
    )
    await _purge(pool, settings)
    metrics.SIGN_INS.labels("second_factor_asked" if pending else "signed_in").inc()
    return SignedIn(secret, pending, account.password_temporary, new_device)


async def _add_device(conn: Connection, secret: str, account: Account) -> None:
    made = sessions.secret_hash(secret)
    assert made is not None
    await db.add_device(conn, made, account.id)


async def _purge(pool: Pool[Any], settings: Settings) -> None:
    """What no longer counts goes, a sign-in at a time, each on its own (never holding a
    sign-in's locks): ended sessions, throttle counts after a quiet day, browsers unused for
    a year."""
    async with pool.acquire() as conn:
        await sessions_db.purge(conn, idle=idle(settings))
        await db.purge_throttle(conn)
        await db.purge_devices(conn)


def _refusal(account: Account | None, matches: bool, settings: Settings) -> tuple[Text, str] | None:
    """Why this sign-in is refused (what the person is told, what the journal records), or
    None. Only someone who gave the right password learns the account's state."""
    if account is None:
        return texts.SIGN_IN_WRONG, "unknown_account"
    if not matches:
        return texts.SIGN_IN_WRONG, "wrong_password"
    if not account.active:
        return texts.ACCOUNT_IS_DISABLED, "disabled"
    if account.demo and settings.env == "production":
        return texts.DEMO_ACCOUNT_REFUSED, "demo_account"
    return None


async def _signed_in(conn: Connection, account: Account, method: str) -> None:
    await journal.note_account(
        conn,
        account.principal(),
        Action.SIGN_IN,
        account,
        detail={"with": method},
    )


async def session(pool: Pool[Any], settings: Settings, secret: str | None) -> SessionRow | None:
    """The live session a cookie names, or None (none, expired, idle too long, or its
    account disabled)."""
    id_hash = sessions.secret_hash(secret) if secret else None
    if id_hash is None:
        return None
    async with pool.acquire() as conn:
        found = await sessions_db.find(conn, id_hash, idle=idle(settings))
    if found is None:
        return None
    if found.second_factor_pending and found.created_at < datetime.now(UTC) - timedelta(
        minutes=sessions.SECOND_FACTOR_MINUTES
    ):
        return None
    return found


async def second_factor(
    pool: Pool[Any],
    current: SessionRow,
    code: str,
    seal: SecondFactorSeal | None,
    *,
    device: str | None = None,
) -> str | None:
    """Completes a sign-in with a TOTP code (the account's secret opened with `seal`) or a
    recovery code; answers a new known-browser cookie's value when the browser has none for
    this account (`device`: the one it has)."""
    account_id = current.principal.account_id
    assert account_id is not None
    assert current.second_factor_pending
    keys = {throttle.second_factor_key(str(account_id)): throttle.SECOND_FACTOR}
    await admit(pool, keys)
    code = code.strip()[:64]
    async with pool.acquire() as conn, conn.transaction():
        account = await db.lock_account(conn, account_id)
        if account is None or account.totp_secret is None or not account.active:
            raise SignInRefused(texts.SIGN_IN_AGAIN)
        method = None
        new_device = None
        if looks_like_recovery_code(code):
            left = await db.use_recovery_code(conn, account.id, hash_recovery_code(code))
            if left is not None:
                method = "recovery_code"
                await journal.note_account(
                    conn,
                    account.principal(),
                    Action.RECOVERY_CODE_USED,
                    account,
                    detail={"left": left},
                )
        else:
            try:
                secret = opened(seal, account)
            except SecretUnreadable:
                raise SignInRefused(texts.SECOND_FACTOR_UNREADABLE) from None
            assert secret is not None
            step = accepted_step(secret, code, now=time.time(), last_step=account.totp_last_step)
            if step is not None and await db.use_totp_step(conn, account.id, step):
                method = "totp"
        if method is None:  # counted already, by admit()
            await journal.note_account(
                conn,
                None,
                Action.SECOND_FACTOR_FAILED,
                account,
            )
        else:
            await db.clear_failures(conn, list(keys))
            await sessions_db.complete_second_factor(conn, current.id_hash)
            await _signed_in(conn, account, method)
            device_hash = sessions.secret_hash(device) if device else None
            known = await db.device_username(conn, device_hash) if device_hash else None
            if known != account.username:
                new_device = sessions.new_secret()
                await _add_device(conn, new_device, account)
    if method is None:
        metrics.SIGN_INS.labels("second_factor_wrong").inc()
        raise SignInRefused(texts.SECOND_FACTOR_WRONG)
    metrics.SIGN_INS.labels(f"signed_in_{method}").inc()
    return new_device


async def sign_out(pool: Pool[Any], current: SessionRow, *, everywhere: bool = False) -> None:
    principal = current.principal
    assert principal.account_id is not None
    async with pool.acquire() as conn, conn.transaction():
        if everywhere:
            await sessions_db.delete_all(conn, principal.account_id)
        else:
            await sessions_db.delete(conn, current.id_hash)
        await journal.note(
            conn,
            principal,
            Action.SIGN_OUT_EVERYWHERE if everywhere else Action.SIGN_OUT,
            issuer_code=principal.issuer_code,
            record_type="account",
            record_id=principal.account_id,
        )


async def overview(
    pool: Pool[Any], settings: Settings, principal: Principal
) -> tuple[int, IssuerInfo | None]:
    """What the account page shows beside the session: how many sessions the person has
    open, and their issuer."""
    assert principal.account_id is not None
    async with pool.acquire() as conn:
        open_sessions = await sessions_db.count(conn, principal.account_id, idle=idle(settings))
        issuer = await get_issuer(conn, principal.issuer_code) if principal.issuer_code else None
    return open_sessions, issuer
