"""`vanbang backup FILE` and `vanbang restore FILE`: the database in PostgreSQL's custom
format, by the pg_dump and pg_restore of the server's own major version; a restore only
into an empty database, in one transaction (docs/operations.md, "Backups and restore").

The private keys are never in a backup: they live in files under VANBANG_KEYS_DIR (or on a
token), which are backed up apart."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import asyncpg

from service import texts
from service.cli.common import CommandError
from service.db.backup import log_state, server_version, user_objects
from service.db.pg_tools import PgToolError, PgTools, find_tools, search_dirs
from service.settings import Settings
from service.texts import Text


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    pg_bin = "the directory of pg_dump and pg_restore of the server's major version"
    backup_cmd = commands.add_parser(
        "backup", help="write the database to a file (pg_dump custom format; no keys)"
    )
    backup_cmd.add_argument("file", type=Path, help="the backup file to create (never replaced)")
    backup_cmd.add_argument("--pg-bin", type=Path, metavar="DIR", help=pg_bin)
    restore_cmd = commands.add_parser(
        "restore", help="restore a backup into an empty database, all or nothing"
    )
    restore_cmd.add_argument("file", type=Path, help="a file `vanbang backup` wrote")
    restore_cmd.add_argument("--pg-bin", type=Path, metavar="DIR", help=pg_bin)


def _refusal(text: Text) -> CommandError:
    return CommandError(f"{text.vi}\n  {text.en}")


async def _tools(settings: Settings, conn: asyncpg.Connection, pg_bin: Path | None) -> PgTools:
    version = await server_version(conn)
    if pg_bin is not None:
        dirs = [pg_bin]
    elif settings.embedded_database:
        from service.db.embedded import embedded_bin_dir

        dirs = [embedded_bin_dir(settings.data_dir)]
    else:
        dirs = search_dirs(version.major)
    tools = find_tools(version.major, dirs)
    if tools is None:
        raise _refusal(
            texts.PG_TOOLS_MISSING.format(
                major=version.major,
                version=version.version,
                dirs=", ".join(str(d) for d in dirs),
            )
        )
    return tools


def _url(settings: Settings) -> str:
    assert settings.database_url is not None
    return settings.database_url


async def backup(settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace) -> int:
    target: Path = args.file
    if target.exists():
        raise _refusal(texts.BACKUP_FILE_EXISTS.format(file=target))
    tools = await _tools(settings, conn, args.pg_bin)
    state = await log_state(conn)  # at most what the dump's snapshot holds
    # Written beside the target under another name, 0600 from the start (it holds personal
    # data), and linked to its name only once pg_dump finished and the file reads back.
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        await tools.run(
            "pg_dump", "--format=custom", f"--file={partial}", "--no-password", url=_url(settings)
        )
        await tools.run("pg_restore", "--list", str(partial))
        os.link(partial, target)  # fails, rather than replace, if the name was taken meanwhile
    except PgToolError as exc:
        raise _refusal(texts.BACKUP_FAILED.format(error=exc)) from None
    finally:
        partial.unlink(missing_ok=True)
    done = texts.BACKUP_DONE.format(
        file=target,
        size=target.stat().st_size,
        major=tools.major,
        leaves=state.leaves,
        root=state.root,
    )
    keys = texts.BACKUP_KEYS_APART.format(keys_dir=settings.keys_dir)
    for text in (done, keys):
        print(text.vi)
        print(f"  {text.en}")
    return 0


async def restore(settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace) -> int:
    source: Path = args.file
    if not source.is_file():
        raise _refusal(texts.RESTORE_UNREADABLE.format(file=source, error="no such file"))
    objects = await user_objects(conn)
    if objects:
        raise _refusal(texts.RESTORE_NOT_EMPTY.format(objects=", ".join(objects)))
    tools = await _tools(settings, conn, args.pg_bin)
    try:
        await tools.run("pg_restore", "--list", str(source))
    except PgToolError as exc:
        raise _refusal(texts.RESTORE_UNREADABLE.format(file=source, error=exc)) from None
    try:
        # One transaction: a failure anywhere leaves the database as empty as it was. Data
        # is loaded before the triggers and constraints are made (pg_restore's order), so
        # the append-only and log triggers neither refuse nor re-log the rows; the objects
        # belong to the user restoring (the service's own), whoever owned them before.
        await tools.run(
            "pg_restore",
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-acl",
            "--no-password",
            str(source),
            url=_url(settings),
        )
    except PgToolError as exc:
        raise _refusal(texts.RESTORE_FAILED.format(error=exc)) from None
    state = await log_state(conn)
    done = texts.RESTORE_DONE.format(file=source, leaves=state.leaves, root=state.root)
    print(done.vi)
    print(f"  {done.en}")
    return 0
