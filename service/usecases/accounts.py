"""Accounts of people: an admin creates, disables, enables and resets the accounts of its
subtree (an admin of every issuer, any account); a person changes their own password. Every
change is journaled in its transaction. An account outside the admin's scope reads as not
found, as records do."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from service import texts
from service.db import accounts as db
from service.db import sessions as sessions_db
from service.db.pool import Connection, Pool
from service.domain.account_views import (
    AccountIn,
    Accounts,
    AccountView,
    AccountWithPassword,
    PasswordResetIn,
)
from service.domain.accounts import (
    USERNAME,
    Account,
    AccountState,
    Principal,
    Role,
    may_manage_accounts,
    normal_username,
)
from service.domain.journal import Action
from service.domain.passwords import password_problems
from service.problems import (
    FORBIDDEN,
    NOT_FOUND,
    UNKNOWN_ISSUER,
    USERNAME_TAKEN,
    VALIDATION_ERROR,
    FieldError,
    Problem,
)
from service.texts import Text
from service.usecases import credentials, journal, throttling
from service.usecases.access import within_hierarchy


def ensure_admin(principal: Principal) -> None:
    if not may_manage_accounts(principal):
        raise Problem(FORBIDDEN, *texts.ROLE_MAY_NOT_MANAGE_ACCOUNTS)


async def _may_manage(
    conn: Connection, principal: Principal, issuer_code: str | None, role: Role
) -> bool:
    """Whether the admin may manage an account of `role` at `issuer_code` (None: an admin of
    every issuer, which only such an admin manages). A scoped admin manages every account of
    the issuers under its own, and the clerks of its own: the admins and auditors of its own
    issuer, its peers and those who oversee it, are managed from above."""
    if principal.everywhere:
        return True
    if issuer_code is None:
        return False
    if issuer_code == principal.issuer_code:
        return role == Role.CLERK
    return await within_hierarchy(conn, principal, issuer_code)


def _manages_row(principal: Principal, row: asyncpg.Record) -> bool:
    """_may_manage for a row of the subtree's list (every row of which is within scope)."""
    if principal.everywhere or row["issuer_code"] != principal.issuer_code:
        return True
    return bool(row["role"] == Role.CLERK.value)


def _view(row: asyncpg.Record) -> AccountView:
    return AccountView(
        id=row["id"],
        username=row["username"],
        display_name=row["display_name"],
        role=Role(row["role"]),
        issuer=row["issuer_code"],
        state=AccountState(row["state"]),
        must_change_password=row["password_temporary"],
        second_factor=row["second_factor"],
        created_by=row["created_by_username"],
        created_at=row["created_at"],
        state_changed_at=row["state_changed_at"],
        last_seen_at=row["last_seen_at"],
    )


async def _view_of(conn: Connection, account: Account) -> AccountView:
    row = await db.account_row(conn, account.id)
    assert row is not None
    return _view(row)


async def list_accounts(pool: Pool[Any], principal: Principal) -> Accounts:
    ensure_admin(principal)
    async with pool.acquire() as conn:
        rows = await db.list_accounts(conn, principal.issuer_code)
    return Accounts(accounts=[_view(r) for r in rows if _manages_row(principal, r)])


async def get_account(pool: Pool[Any], principal: Principal, account_id: uuid.UUID) -> AccountView:
    ensure_admin(principal)
    async with pool.acquire() as conn:
        account = await _account_in_scope(conn, principal, account_id)
        return await _view_of(conn, account)


async def _account_in_scope(
    conn: Connection, principal: Principal, account_id: uuid.UUID, *, lock: bool = False
) -> Account:
    account = await (db.lock_account if lock else db.get_account)(conn, account_id)
    if account is None or not await _may_manage(conn, principal, account.issuer_code, account.role):
        raise Problem(NOT_FOUND)
    return account


def _field_error(field: str, code: str, text: Text) -> Problem:
    return Problem(VALIDATION_ERROR, errors=[FieldError((field,), code, *text)])


async def create_account(
    pool: Pool[Any], principal: Principal, request: AccountIn
) -> AccountWithPassword:
    """A new account with a temporary password, shown once, changed at the first sign-in."""
    ensure_admin(principal)
    username = normal_username(request.username)
    if not USERNAME.match(username):
        raise _field_error("username", "bad_username", texts.USERNAME_FORM)
    issuer = request.issuer.upper() if request.issuer else None
    if issuer is None and request.role != Role.ADMIN:
        raise _field_error("issuer", "missing", texts.ACCOUNT_NEEDS_ISSUER)
    password = credentials.temporary_password()
    password_hash = await credentials.hash_password(password)
    async with pool.acquire() as conn, conn.transaction():
        if issuer is not None and not await db.issuer_exists(conn, issuer):
            raise Problem(UNKNOWN_ISSUER, *texts.UNKNOWN_ISSUER_CODE.format(code=issuer))
        if not await _may_manage(conn, principal, issuer, request.role):
            if issuer is None:
                raise Problem(FORBIDDEN, *texts.ONLY_ADMINS_OF_ALL)
            if issuer == principal.issuer_code:
                raise Problem(FORBIDDEN, *texts.OWN_LEVEL_FROM_ABOVE)
            raise Problem(FORBIDDEN, *texts.OUTSIDE_SCOPE.format(issuer=issuer))
        account_id = await db.add_account(
            conn,
            username=username,
            display_name=request.display_name,
            role=request.role,
            issuer_code=issuer,
            password_hash=password_hash,
            temporary=True,
            created_by=principal.account_id,
        )
        if account_id is None:
            raise Problem(USERNAME_TAKEN, *texts.USERNAME_TAKEN_DETAIL.format(username=username))
        await journal.note(
            conn,
            principal,
            Action.ACCOUNT_CREATED,
            issuer_code=issuer,
            record_type="account",
            record_id=account_id,
            detail={"username": username, "role": request.role.value},
        )
        account = await db.get_account(conn, account_id)
        assert account is not None
        view = await _view_of(conn, account)
    return AccountWithPassword(account=view, temporary_password=password)


async def set_state(
    pool: Pool[Any], principal: Principal, account_id: uuid.UUID, state: AccountState
) -> AccountView:
    """Disables (every session ends; the person's tokens stop) or enables an account."""
    ensure_admin(principal)
    if account_id == principal.account_id and state == AccountState.DISABLED:
        raise Problem(FORBIDDEN, *texts.CANNOT_DISABLE_SELF)
    async with pool.acquire() as conn, conn.transaction():
        account = await _account_in_scope(conn, principal, account_id, lock=True)
        if await db.set_state(conn, account.id, state):
            if state == AccountState.DISABLED:
                await sessions_db.delete_all(conn, account.id)
                await db.forget_devices(conn, account.id)
            await journal.note(
                conn,
                principal,
                Action.ACCOUNT_DISABLED
                if state == AccountState.DISABLED
                else Action.ACCOUNT_ENABLED,
                issuer_code=account.issuer_code,
                record_type="account",
                record_id=account.id,
                detail={"username": account.username},
            )
        refreshed = await db.get_account(conn, account.id)
        assert refreshed is not None
        return await _view_of(conn, refreshed)


async def reset_password(
    pool: Pool[Any], principal: Principal, account_id: uuid.UUID, request: PasswordResetIn
) -> AccountWithPassword:
    """A new temporary password (every session of the account ends), and optionally no
    second factor any more (a lost phone)."""
    ensure_admin(principal)
    password = credentials.temporary_password()
    password_hash = await credentials.hash_password(password)
    async with pool.acquire() as conn, conn.transaction():
        account = await _account_in_scope(conn, principal, account_id, lock=True)
        await db.set_password(conn, account.id, password_hash, temporary=True)
        # A reset is often for a compromise: the tokens someone else may hold stop too.
        revoked = await db.revoke_all_tokens(conn, account.id)
        await db.forget_devices(conn, account.id)
        if request.reset_second_factor:
            await db.set_totp(conn, account.id, None, None)
            await db.replace_recovery_codes(conn, account.id, [])
        await sessions_db.delete_all(conn, account.id)
        await journal.note_account(
            conn,
            principal,
            Action.ACCOUNT_PASSWORD_RESET,
            account,
            detail={
                "username": account.username,
                "second_factor": request.reset_second_factor,
                "tokens_revoked": revoked,
            },
        )
        refreshed = await db.get_account(conn, account.id)
        assert refreshed is not None
        view = await _view_of(conn, refreshed)
    return AccountWithPassword(account=view, temporary_password=password)


async def change_password(
    pool: Pool[Any],
    principal: Principal,
    *,
    current: str,
    new: str,
    repeated: str,
    keep_session: bytes | None,
) -> None:
    """A person's own new password: the current one first, then the policy. Every other
    session of the account ends (`keep_session` is the one in use)."""
    assert principal.account_id is not None
    async with pool.acquire() as conn:
        account = await db.get_account(conn, principal.account_id)
    if account is None or not account.active:
        raise Problem(NOT_FOUND)
    await throttling.check_own_password(pool, account, current, "current")
    if new == current:
        raise _field_error("new", "same_password", texts.PASSWORD_UNCHANGED)
    if problems := password_problems(
        new, username=account.username, display_name=account.display_name
    ):
        raise _field_error("new", "weak_password", problems[0])
    if repeated != new:
        raise _field_error("repeated", "mismatch", texts.PASSWORDS_DIFFER)
    password_hash = await credentials.hash_password(new)
    async with pool.acquire() as conn, conn.transaction():
        if not await db.change_own_password(conn, account.id, account.password_hash, password_hash):
            raise _field_error("current", "wrong_password", texts.CURRENT_PASSWORD_WRONG)
        if keep_session is None:
            await sessions_db.delete_all(conn, account.id)
        else:
            await sessions_db.delete_others(conn, account.id, keep_session)
        await journal.note_account(
            conn,
            principal,
            Action.PASSWORD_CHANGED,
            account,
        )
