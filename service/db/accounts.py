"""Issuers and tokens as the CLI and the authentication step need them."""

from __future__ import annotations

import uuid

import asyncpg

from service.db.pool import Connection
from service.db.queries import Q
from service.domain.accounts import Principal, Role, hash_token
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


async def add_token(
    conn: Connection, token: str, role: Role, issuer_code: str | None, label: str = ""
) -> uuid.UUID:
    token_id = uuid.uuid4()
    await conn.execute(Q.insert_token, token_id, hash_token(token), role.value, issuer_code, label)
    return token_id


async def find_principal(conn: Connection, token: str) -> Principal | None:
    row = await conn.fetchrow(Q.find_token, hash_token(token))
    if row is None:
        return None
    return Principal(token_id=row["id"], role=Role(row["role"]), issuer_code=row["issuer_code"])


async def list_tokens(conn: Connection) -> list[asyncpg.Record]:
    return list(await conn.fetch(Q.list_tokens))


async def revoke_token(conn: Connection, token_id: uuid.UUID) -> bool:
    return await conn.fetchval(Q.revoke_token, token_id) is not None
