"""The `vanbang` command: serve, migrate, import, and manage issuers and tokens."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import sys
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import orjson

from service import __version__
from service.db.migrate import MigrationError, migrate
from service.db.pool import create_pool
from service.domain.accounts import Principal, Role, new_token
from service.domain.kinds import IssuerKind
from service.domain.numbering import DEFAULT_PATTERN, PatternError, check_pattern
from service.keystore import KeyStoreError
from service.problems import Problem
from service.resources import demo_dir
from service.settings import Settings, SettingsError
from verifier.keys import kid_for, raw_public

# The operator running `vanbang import` on the server: an admin with no token.
OPERATOR = Principal(token_id=uuid.UUID(int=0), role=Role.ADMIN, issuer_code=None)


class CommandError(Exception):
    """A command could not do what was asked; the message says why."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vanbang", description="Diploma register and verification service."
    )
    parser.add_argument("--version", action="version", version=f"vanbang {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="migrate, then serve HTTP")
    serve.add_argument("--host", help="address to listen on (default VANBANG_HOST)")
    serve.add_argument("--port", type=int, help="port to listen on (default VANBANG_PORT)")

    commands.add_parser("migrate", help="apply pending database migrations")

    imp = commands.add_parser("import", help="register a graduation decision from a file")
    imp.add_argument("file", type=Path, help="a .json, .csv or .xlsx graduation decision")
    imp.add_argument("--issuer", required=True, help="code of the issuing authority")
    imp.add_argument("--idempotency-key", help="retrying with the same key registers once")
    imp.add_argument("--json", action="store_true", help="print the answer as JSON")

    issuer = commands.add_parser("issuer", help="issuing authorities").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    add = issuer.add_parser("add", help="add an issuing authority")
    add.add_argument("code", help="short code, e.g. SGDDT-HN")
    add.add_argument("--name", required=True, help="full name, e.g. 'Sở GDĐT Hà Nội'")
    add.add_argument("--kind", required=True, choices=[k.value for k in IssuerKind])
    add.add_argument("--parent", help="code of the issuer above it")
    add.add_argument(
        "--pattern",
        default=DEFAULT_PATTERN,
        help="register-number pattern with {n}, {year}, {kind} (default %(default)s)",
    )
    issuer.add_parser("list", help="list issuing authorities")

    key = commands.add_parser("key", help="signing keys").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    generate = key.add_parser("generate", help="create an issuer's first signing key")
    generate.add_argument("--issuer", required=True, help="code of the issuing authority")
    rotate = key.add_parser("rotate", help="retire the issuer's key and activate a new one")
    rotate.add_argument("--issuer", required=True, help="code of the issuing authority")
    compromised = key.add_parser(
        "compromised", help="distrust every signature by a key from a time on"
    )
    compromised.add_argument("kid", help="the key id, 16 hex digits")
    compromised.add_argument(
        "--since", required=True, help="ISO 8601 time with offset, e.g. 2026-03-01T08:00:00+07:00"
    )
    key_list = key.add_parser("list", help="list signing keys and their validity")
    key_list.add_argument("--issuer", help="only this issuer's keys")
    key.add_parser("root", help="create the root key that signs the trust list")

    token = commands.add_parser("token", help="API bearer tokens").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    create = token.add_parser("create", help="create a token and print it (only once)")
    create.add_argument("--role", required=True, choices=[r.value for r in Role])
    create.add_argument("--issuer", help="the issuer a clerk works for or an auditor oversees")
    create.add_argument("--label", default="", help="a note on who holds the token")
    token.add_parser("list", help="list tokens (never the tokens themselves)")
    revoke = token.add_parser("revoke", help="revoke a token by its id")
    revoke.add_argument("id", type=uuid.UUID)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"vanbang: configuration error: {exc}", file=sys.stderr)
        return 2
    from service.log import configure_logging

    configure_logging(settings)
    try:
        if args.command == "serve":
            return serve(settings, args)
        return asyncio.run(_run(settings, args))
    except Problem as problem:
        _print_problem(problem)
        return 1
    except KeyStoreError as exc:
        print(f"vanbang: key error: {exc}", file=sys.stderr)
        return 2
    except (CommandError, MigrationError, OSError, asyncpg.PostgresError) as exc:
        print(f"vanbang: {exc}", file=sys.stderr)
        return 1


def resolve_database(settings: Settings) -> Settings:
    """Starts or joins the embedded server when DATABASE_URL is not set."""
    if settings.database_url is not None:
        return settings
    from service.db.embedded import start_embedded

    return dataclasses.replace(settings, database_url=start_embedded(settings.data_dir))


def serve(settings: Settings, args: argparse.Namespace) -> int:
    from aiohttp import web

    from service.app import create_app

    embedded = settings.embedded_database
    settings = resolve_database(settings)
    settings = dataclasses.replace(
        settings, host=args.host or settings.host, port=args.port or settings.port
    )
    tokens = asyncio.run(_prepare(settings))
    base = f"http://{settings.host}:{settings.port}"
    print(f"vanbang {__version__} serving on {base}")
    print(f"  health:    {base}/healthz")
    print(f"  register:  POST {base}/api/v1/graduation-decisions")
    print(f"  trust:     {base}/.well-known/vanbang/trust-list")
    where = f"embedded PostgreSQL in {settings.data_dir}" if embedded else "DATABASE_URL"
    print(f"  database:  {where}")
    for token in tokens:
        scope = f" of {token['issuer']}" if token.get("issuer") else ""
        print(f"  demo {token['role']} token{scope}: {token['token']}")
    sys.stdout.flush()
    web.run_app(
        create_app(settings), host=settings.host, port=settings.port, print=None, access_log=None
    )
    return 0


async def _prepare(settings: Settings) -> list[dict[str, Any]]:
    assert settings.database_url is not None
    conn = await asyncpg.connect(settings.database_url)
    try:
        await migrate(conn)
        if settings.env == "production":
            from service.db.keys import active_kids
            from service.signing import keystore_for

            keystore_for(settings).refuse_demo_keys(demo_dir(), await active_kids(conn))
        if settings.demo:
            from service.demo import load_demo

            return await load_demo(conn)
        return []
    finally:
        await conn.close()


async def _run(settings: Settings, args: argparse.Namespace) -> int:
    settings = resolve_database(settings)
    assert settings.database_url is not None
    conn = await asyncpg.connect(settings.database_url)
    try:
        if args.command == "migrate":
            done = await migrate(conn)
            print(f"applied {len(done)} migration(s)" if done else "database is up to date")
            return 0
        action = _ACTIONS[(args.command, getattr(args, "action", None))]
        return await action(settings, conn, args)
    finally:
        await conn.close()


async def _import(settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace) -> int:
    from service.domain.graduates import parse_request
    from service.http.body import media_type_for, parse_body
    from service.register import register_decision
    from service.signing import Signing, keystore_for

    media_type = media_type_for(args.file.name)
    if media_type is None:
        raise CommandError(f"{args.file}: expected a .json, .csv or .xlsx file")
    body = await parse_body(media_type, args.file.read_bytes(), max_rows=settings.max_batch_rows)
    data = body.data
    if isinstance(data, dict):
        named = data.get("issuer")
        if named is not None and str(named).upper() != args.issuer.upper():
            raise CommandError(f"the file is for issuer {named}, not {args.issuer}")
        data["issuer"] = args.issuer
    assert settings.database_url is not None
    pool = await create_pool(settings.database_url, size=1)
    try:
        with body.locating():
            answer = await register_decision(
                pool,
                OPERATOR,
                parse_request(data),
                signing=Signing(keystore_for(settings)),
                idempotency_key=args.idempotency_key,
            )
    finally:
        await pool.close()
    result = orjson.loads(answer.body)
    if args.json:
        print(orjson.dumps(result, option=orjson.OPT_INDENT_2).decode())
        return 0
    note = " (already registered with this idempotency key)" if answer.replayed else ""
    print(
        f"decision {result['number']} ({result['id']}): {result['graduate_count']} "
        f"diploma(s) registered for {result['issuer']}{note}"
    )
    for diploma in result["diplomas"]:
        print(
            f"  {diploma['serial']:<16} {diploma['register_number']:<20} {diploma['id']}  "
            f"{diploma['full_name']}"
        )
    return 0


async def _issuer_add(
    settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace
) -> int:
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


async def _issuer_list(
    settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace
) -> int:
    from service.db.accounts import list_issuers

    for row in await list_issuers(conn):
        parent = row["parent_code"] or "-"
        print(f"{row['code']:<16} {row['kind']:<22} {parent:<16} {row['name']}")
    return 0


async def _token_create(
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


async def _token_list(
    settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace
) -> int:
    from service.db.accounts import list_tokens

    for row in await list_tokens(conn):
        state = "revoked" if row["revoked_at"] else "active"
        print(
            f"{row['id']}  {row['role']:<8} {row['issuer_code'] or '-':<16} {state:<8} "
            f"{row['label']}"
        )
    return 0


async def _token_revoke(
    settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace
) -> int:
    from service.db.accounts import revoke_token

    if not await revoke_token(conn, args.id):
        raise CommandError(f"no active token {args.id}")
    print(f"revoked {args.id}")
    return 0


def _now_seconds() -> datetime:
    # Key windows are whole seconds, as the issued-at times they are judged against.
    return datetime.now(UTC).replace(microsecond=0)


async def _new_key(settings: Settings, conn: asyncpg.Connection, issuer: str) -> str:
    """Creates a key file and registers its public half; both or neither."""
    from service.db.keys import insert_key
    from service.signing import keystore_for

    keystore = keystore_for(dataclasses.replace(settings, demo=False))
    async with conn.transaction():
        created = keystore.create_issuer_key()
        await insert_key(
            conn, created.kid, issuer, raw_public(created.private_key.public_key()), _now_seconds()
        )
    return created.kid.hex()


async def _key_generate(
    settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace
) -> int:
    from service.db.keys import active_kid
    from service.db.register import get_issuer

    issuer = args.issuer.upper()
    if await get_issuer(conn, issuer) is None:
        raise CommandError(f"no issuer {issuer}")
    if await active_kid(conn, issuer) is not None:
        raise CommandError(f"{issuer} has an active key; use `vanbang key rotate`")
    kid = await _new_key(settings, conn, issuer)
    print(f"key {kid} signs for {issuer} from now on ({settings.keys_dir / (kid + '.pem')})")
    return 0


async def _key_rotate(
    settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace
) -> int:
    from service.db.keys import retire_active_key

    issuer = args.issuer.upper()
    async with conn.transaction():
        old = await retire_active_key(conn, issuer, _now_seconds())
        if old is None:
            raise CommandError(f"{issuer} has no active key; use `vanbang key generate`")
        kid = await _new_key(settings, conn, issuer)
    print(f"key {old.hex()} retired; key {kid} signs for {issuer} from now on")
    return 0


async def _key_compromised(
    settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace
) -> int:
    from service.db.keys import mark_compromised

    try:
        kid = bytes.fromhex(args.kid)
        since = datetime.fromisoformat(args.since)
    except ValueError as exc:
        raise CommandError(f"bad key id or time: {exc}") from None
    if since.tzinfo is None:
        raise CommandError("--since needs a UTC offset, e.g. 2026-03-01T08:00:00+07:00")
    issuer = await mark_compromised(conn, kid, since.replace(microsecond=0))
    if issuer is None:
        raise CommandError(f"no key {args.kid}")
    print(
        f"key {args.kid} of {issuer}: every signature from {since.isoformat()} on is "
        f"untrusted; give {issuer} a new key with `vanbang key generate --issuer {issuer}`"
    )
    return 0


async def _key_list(settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace) -> int:
    from service.db.keys import list_keys

    for row in await list_keys(conn, args.issuer.upper() if args.issuer else None):
        until = row["not_after"].isoformat() if row["not_after"] else "active"
        state = (
            f" compromised since {row['compromised_since'].isoformat()}"
            if row["compromised_since"]
            else ""
        )
        print(
            f"{bytes(row['kid']).hex()}  {row['issuer_code']:<16} "
            f"{row['not_before'].isoformat()} .. {until}{state}"
        )
    return 0


async def _key_root(settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace) -> int:
    from service.keystore import KeyStore

    root = KeyStore(settings.keys_dir).create_root_key()
    print(
        f"root key {kid_for(root.public_key()).hex()}: {settings.keys_dir / 'root.pem'}; "
        f"give verifiers {settings.keys_dir / 'root.pub.pem'}"
    )
    return 0


_Action = Callable[[Settings, asyncpg.Connection, argparse.Namespace], Awaitable[int]]
_ACTIONS: dict[tuple[str, str | None], _Action] = {
    ("import", None): _import,
    ("issuer", "add"): _issuer_add,
    ("issuer", "list"): _issuer_list,
    ("key", "generate"): _key_generate,
    ("key", "rotate"): _key_rotate,
    ("key", "compromised"): _key_compromised,
    ("key", "list"): _key_list,
    ("key", "root"): _key_root,
    ("token", "create"): _token_create,
    ("token", "list"): _token_list,
    ("token", "revoke"): _token_revoke,
}


def _print_problem(problem: Problem) -> None:
    print(f"vanbang: {problem.type.title_en}", file=sys.stderr)
    if problem.detail_en:
        print(f"  {problem.detail_en}", file=sys.stderr)
    for error in problem.errors:
        where = f"row {error.row}, {error.column}" if error.row else error.pointer
        print(f"  {where}: {error.message_en}", file=sys.stderr)
