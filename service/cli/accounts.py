"""`vanbang issuer ...` and `vanbang token ...`."""

from __future__ import annotations

import argparse
import uuid
from typing import Any

import asyncpg

from service.cli.common import CommandError, command_pool
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
    from service.domain.journal import Action
    from service.usecases.journal import note

    token = new_token()
    async with conn.transaction():
        token_id = await add_token(conn, token, role, issuer, args.label)
        await note(
            conn,
            None,
            Action.TOKEN_CREATED,
            issuer_code=issuer,
            record_type="token",
            record_id=token_id,
            detail={"label": args.label, "role": role.value, "operator": True},
        )
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
    from service.domain.journal import Action
    from service.usecases.journal import note

    async with conn.transaction():
        if not await revoke_token(conn, args.id):
            raise CommandError(f"no active token {args.id}")
        await note(
            conn,
            None,
            Action.TOKEN_REVOKED,
            issuer_code=None,
            record_type="token",
            record_id=args.id,
            detail={"operator": True},
        )
    print(f"revoked {args.id}")
    return 0


# `vanbang account ...`: people's accounts, for the operator (an admin of every issuer) ----


async def _account_id(conn: asyncpg.Connection, username: str) -> uuid.UUID:
    from service.db.accounts import account_by_username
    from service.domain.accounts import normal_username

    account = await account_by_username(conn, normal_username(username))
    if account is None:
        raise CommandError(f"no account {username}")
    return account.id


def _print_account(view: Any) -> None:
    state = view.state.value + (", must change password" if view.must_change_password else "")
    print(
        f"{view.username:<24} {view.role.value:<8} {view.issuer or '*':<16} {state:<30} "
        f"{view.display_name}"
    )


async def account_create(
    settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace
) -> int:
    from service.cli.common import OPERATOR
    from service.domain.account_views import AccountIn
    from service.domain.graduates import validate
    from service.usecases import accounts

    request = validate(
        AccountIn,
        {
            "username": args.username,
            "display_name": args.name,
            "role": args.role,
            "issuer": args.issuer,
        },
    )
    async with command_pool(settings) as pool:
        created = await accounts.create_account(pool, OPERATOR, request)
    _print_account(created.account)
    print(
        "temporary password (shown once, changed at the first sign-in): "
        + created.temporary_password
    )
    return 0


async def account_list(
    settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace
) -> int:
    from service.cli.common import OPERATOR
    from service.usecases import accounts

    async with command_pool(settings) as pool:
        listed = await accounts.list_accounts(pool, OPERATOR)
    issuer = args.issuer.upper() if args.issuer else None
    for view in listed.accounts:
        if issuer is None or view.issuer == issuer:
            _print_account(view)
    return 0


async def _set_state(
    settings: Settings, conn: asyncpg.Connection, username: str, state: Any
) -> int:
    from service.cli.common import OPERATOR
    from service.usecases import accounts

    account_id = await _account_id(conn, username)
    async with command_pool(settings) as pool:
        view = await accounts.set_state(pool, OPERATOR, account_id, state)
    _print_account(view)
    return 0


async def account_disable(
    settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace
) -> int:
    from service.domain.accounts import AccountState

    return await _set_state(settings, conn, args.username, AccountState.DISABLED)


async def account_enable(
    settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace
) -> int:
    from service.domain.accounts import AccountState

    return await _set_state(settings, conn, args.username, AccountState.ACTIVE)


async def account_reset_password(
    settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace
) -> int:
    from service.cli.common import OPERATOR
    from service.domain.account_views import PasswordResetIn
    from service.usecases import accounts

    account_id = await _account_id(conn, args.username)
    request = PasswordResetIn(reset_second_factor=args.second_factor)
    async with command_pool(settings) as pool:
        reset = await accounts.reset_password(pool, OPERATOR, account_id, request)
    _print_account(reset.account)
    print(
        f"temporary password (shown once, changed at the next sign-in): {reset.temporary_password}"
    )
    return 0
