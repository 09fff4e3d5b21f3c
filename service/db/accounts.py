"""Issuers, accounts, tokens and the sign-in throttle, as the use cases and the CLI need them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

import asyncpg

from service.db.pool import Connection
from service.db.queries import Q
from service.domain.accounts import Account, AccountState, Principal, Role, hash_token
from service.domain.kinds import IssuerKind


async def add_issuer(
    conn: Connection,
    code: str,
    name: str,
    kind: IssuerKind,
    parent_code: str | None,
    pattern: str,
) -> bool:
    """False when an issuer with that code exists already."""
    return (
        await conn.fetchval(Q.insert_issuer, code, name, kind.value, parent_code, pattern)
        is not None
    )


async def list_issuers(conn: Connection) -> list[asyncpg.Record]:
    return list(await conn.fetch(Q.list_issuers))


# Accounts ---------------------------------------------------------------------------------


def _account(row: asyncpg.Record | None) -> Account | None:
    if row is None:
        return None
    return Account(
        id=row["id"],
        username=row["username"],
        display_name=row["display_name"],
        role=Role(row["role"]),
        issuer_code=row["issuer_code"],
        state=AccountState(row["state"]),
        password_hash=row["password_hash"],
        password_temporary=row["password_temporary"],
        totp_secret=row["totp_secret"],
        totp_last_step=row["totp_last_step"],
        created_by=row["created_by"],
        created_at=row["created_at"],
        demo=row["demo"],
    )


async def add_account(
    conn: Connection,
    *,
    username: str,
    display_name: str,
    role: Role,
    issuer_code: str | None,
    password_hash: str,
    temporary: bool,
    created_by: uuid.UUID | None,
    demo: bool = False,
) -> uuid.UUID | None:
    """The new account's id, or None when the username is taken."""
    account_id = uuid.uuid4()
    inserted = await conn.fetchval(
        Q.insert_account,
        account_id,
        username,
        display_name,
        role.value,
        issuer_code,
        password_hash,
        temporary,
        created_by,
        demo,
    )
    return None if inserted is None else account_id


async def get_account(conn: Connection, account_id: uuid.UUID) -> Account | None:
    return _account(await conn.fetchrow(Q.get_account, account_id))


async def lock_account(conn: Connection, account_id: uuid.UUID) -> Account | None:
    """The account, locked until the transaction ends."""
    return _account(await conn.fetchrow(Q.lock_account, account_id))


async def account_by_username(conn: Connection, username: str) -> Account | None:
    return _account(await conn.fetchrow(Q.get_account_by_username, username))


async def list_accounts(conn: Connection, within: str | None) -> list[asyncpg.Record]:
    """Every account (within None), or those of `within` and the issuers under it."""
    return list(await conn.fetch(Q.list_accounts, within, None))


async def account_row(conn: Connection, account_id: uuid.UUID) -> asyncpg.Record | None:
    """The account as the lists show it."""
    return await conn.fetchrow(Q.list_accounts, None, account_id)


async def set_state(conn: Connection, account_id: uuid.UUID, state: AccountState) -> bool:
    """False when the account was in that state already."""
    return await conn.fetchval(Q.set_account_state, account_id, state.value) is not None


async def set_password(
    conn: Connection, account_id: uuid.UUID, password_hash: str, *, temporary: bool
) -> None:
    await conn.execute(Q.set_password, account_id, password_hash, temporary)


async def change_own_password(
    conn: Connection, account_id: uuid.UUID, old_hash: str, new_hash: str
) -> bool:
    """False when the stored hash is no longer `old_hash`."""
    return await conn.fetchval(Q.change_own_password, account_id, old_hash, new_hash) is not None


async def rehash_password(conn: Connection, account_id: uuid.UUID, old: str, new: str) -> None:
    await conn.execute(Q.rehash_password, account_id, new, old)


async def set_totp(
    conn: Connection, account_id: uuid.UUID, secret: str | None, step: int | None
) -> None:
    await conn.execute(Q.set_totp, account_id, secret, step)


async def clear_totp_secrets(conn: Connection) -> list[tuple[uuid.UUID, str]]:
    """The accounts whose TOTP secret is still in the clear, with it."""
    return [(row["id"], row["totp_secret"]) for row in await conn.fetch(Q.clear_totp_secrets)]


async def sealed_totp_secrets(conn: Connection) -> list[str]:
    return [row["totp_secret"] for row in await conn.fetch(Q.sealed_totp_secrets)]


async def seal_totp_secret(
    conn: Connection, account_id: uuid.UUID, clear: str, sealed: str
) -> bool:
    """False when the account's secret is no longer `clear` (changed meanwhile)."""
    return str(await conn.execute(Q.seal_totp_secret, account_id, clear, sealed)) == "UPDATE 1"


async def use_totp_step(conn: Connection, account_id: uuid.UUID, step: int) -> bool:
    """False when that step (or a later one) was used already."""
    return await conn.fetchval(Q.use_totp_step, account_id, step) is not None


async def replace_recovery_codes(
    conn: Connection, account_id: uuid.UUID, hashes: Sequence[bytes]
) -> None:
    await conn.execute(Q.delete_recovery_codes, account_id)
    if hashes:
        await conn.execute(Q.insert_recovery_codes, account_id, list(hashes))


async def use_recovery_code(
    conn: Connection, account_id: uuid.UUID, code_hash: bytes
) -> int | None:
    """How many unused codes are left after using this one, or None when it is not an unused
    code of the account."""
    left: int | None = await conn.fetchval(Q.use_recovery_code, account_id, code_hash)
    return left


async def demo_accounts(conn: Connection, usernames: Sequence[str]) -> list[asyncpg.Record]:
    return list(await conn.fetch(Q.demo_accounts, list(usernames)))


# The sign-in throttle ---------------------------------------------------------------------


async def lock_throttle(conn: Connection, keys: Sequence[str]) -> datetime:
    """Locks the keys until the transaction ends; the database's time."""
    row = await conn.fetchrow(Q.lock_throttle, sorted(keys))
    assert row is not None  # an aggregate answers one row
    now: datetime = row["now"]
    return now


async def throttle_state(conn: Connection, keys: Sequence[str]) -> dict[str, tuple[int, datetime]]:
    rows = await conn.fetch(Q.throttle_state, list(keys))
    return {row["key"]: (row["failures"], row["last_failure_at"]) for row in rows}


async def record_failure(conn: Connection, keys: Sequence[str]) -> None:
    await conn.execute(Q.record_failure, list(keys))


async def clear_failures(conn: Connection, keys: Sequence[str]) -> None:
    await conn.execute(Q.clear_failures, list(keys))


async def forgive_attempt(
    conn: Connection, keys: Sequence[str], before: Sequence[datetime | None]
) -> None:
    await conn.execute(Q.forgive_attempt, list(keys), list(before))


async def purge_throttle(conn: Connection) -> None:
    await conn.execute(Q.purge_throttle)


async def add_device(conn: Connection, id_hash: bytes, account_id: uuid.UUID) -> None:
    await conn.execute(Q.insert_device, id_hash, account_id)


async def device_username(conn: Connection, id_hash: bytes) -> str | None:
    """The username of the account a known browser signed in to (within the year)."""
    username: str | None = await conn.fetchval(Q.find_device, id_hash)
    return username


async def forget_devices(conn: Connection, account_id: uuid.UUID) -> None:
    await conn.execute(Q.forget_devices, account_id)


async def purge_devices(conn: Connection) -> None:
    await conn.execute(Q.purge_devices)


# Tokens -----------------------------------------------------------------------------------


async def add_token(
    conn: Connection,
    token: str,
    role: Role,
    issuer_code: str | None,
    label: str = "",
    *,
    account_id: uuid.UUID | None = None,
    expires_at: datetime | None = None,
) -> uuid.UUID:
    token_id = uuid.uuid4()
    await conn.execute(
        Q.insert_token,
        token_id,
        hash_token(token),
        role.value,
        issuer_code,
        label,
        account_id,
        expires_at,
    )
    return token_id


async def find_principal(conn: Connection, token: str) -> Principal | None:
    """The principal of an active token (not revoked, not expired, its person active)."""
    row = await conn.fetchrow(Q.find_token, hash_token(token))
    if row is None:
        return None
    return Principal(
        role=Role(row["role"]),
        issuer_code=row["issuer_code"],
        token_id=row["id"],
        account_id=row["account_id"],
        username=row["username"],
    )


async def list_tokens(conn: Connection) -> list[asyncpg.Record]:
    return list(await conn.fetch(Q.list_tokens))


async def account_tokens(conn: Connection, account_id: uuid.UUID) -> list[asyncpg.Record]:
    return list(await conn.fetch(Q.list_account_tokens, account_id))


async def revoke_token(conn: Connection, token_id: uuid.UUID) -> bool:
    return await conn.fetchval(Q.revoke_token, token_id) is not None


async def revoke_all_tokens(conn: Connection, account_id: uuid.UUID) -> int:
    """Revokes every personal token of the account; how many."""
    return len(await conn.fetch(Q.revoke_all_account_tokens, account_id))


async def revoke_account_token(
    conn: Connection, token_id: uuid.UUID, account_id: uuid.UUID
) -> bool:
    return await conn.fetchval(Q.revoke_account_token, token_id, account_id) is not None


async def issuer_exists(conn: Connection, code: str) -> bool:
    return bool(await conn.fetchval(Q.issuer_exists, code))
