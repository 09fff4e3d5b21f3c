"""`vanbang issuer ...` and `vanbang token ...`."""

from __future__ import annotations

import argparse

import asyncpg

from service.cli.common import CommandError
from service.domain.accounts import Role, new_token
from service.domain.kinds import IssuerKind
from service.domain.numbering import PatternError, check_pattern
from service.settings import Settings


async def issuer_add(settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace) -> int:
    from service.db.accounts import add_issuer

    code = args.code.upper()
    try:
        pattern = check_pattern(args.pattern)
    except PatternError as exc:
        raise CommandError(str(exc)) from None
    try:
        added = await add_issuer(
            conn,
            code,
            args.name,
            IssuerKind(args.kind),
            args.parent.upper() if args.parent else None,
            pattern,
        )
    except asyncpg.ForeignKeyViolationError:
        raise CommandError(f"no issuer {args.parent} to be the parent") from None
    except asyncpg.CheckViolationError:
        raise CommandError(
            f"{code!r} is not a valid issuer code (A-Z, 0-9, - and _; 2-32)"
        ) from None
    if not added:
        raise CommandError(f"issuer {code} already exists")
    print(f"added issuer {code}")
    return 0


async def issuer_list(
    settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace
) -> int:
    from service.db.accounts import list_issuers

    for row in await list_issuers(conn):
        parent = row["parent_code"] or "-"
        print(f"{row['code']:<16} {row['kind']:<22} {parent:<16} {row['name']}")
    return 0


async def token_create(
    settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace
) -> int:
    from service.db.accounts import add_token
    from service.db.register import get_issuer

    role = Role(args.role)
    issuer = args.issuer.upper() if args.issuer else None
    if role == Role.ADMIN and issuer:
        raise CommandError("an admin token has no issuer")
    if role != Role.ADMIN:
        if not issuer:
            raise CommandError(f"a {role} token needs --issuer")
        if await get_issuer(conn, issuer) is None:
            raise CommandError(f"no issuer {issuer}")
    token = new_token()
    await add_token(conn, token, role, issuer, args.label)
    print(token)
    return 0


async def token_list(settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace) -> int:
    from service.db.accounts import list_tokens

    for row in await list_tokens(conn):
        state = "revoked" if row["revoked_at"] else "active"
        print(
            f"{row['id']}  {row['role']:<8} {row['issuer_code'] or '-':<16} {state:<8} "
            f"{row['label']}"
        )
    return 0


async def token_revoke(
    settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace
) -> int:
    from service.db.accounts import revoke_token

    if not await revoke_token(conn, args.id):
        raise CommandError(f"no active token {args.id}")
    print(f"revoked {args.id}")
    return 0
