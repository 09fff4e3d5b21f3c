"""What `vanbang backup` and `vanbang restore` ask the database: its server's version and
whether it is empty."""

from __future__ import annotations

from dataclasses import dataclass

from service.db.pool import Connection
from service.db.queries import Q


@dataclass(frozen=True)
class ServerVersion:
    major: int
    version: str  # as the server says it, e.g. "16.4 (Debian 16.4-1.pgdg120+1)"


async def server_version(conn: Connection) -> ServerVersion:
    row = await conn.fetchrow(Q.backup_server_version)
    assert row is not None  # one row, always
    return ServerVersion(major=row["major"], version=row["version"])


async def user_objects(conn: Connection, *, limit: int = 5) -> list[str]:
    """Up to `limit` objects the database holds beyond a fresh CREATE DATABASE; none: it is
    empty."""
    return [row["name"] for row in await conn.fetch(Q.backup_user_objects, limit)]


@dataclass(frozen=True)
class LogState:
    leaves: int
    root: str  # hex; "-" before the first checkpoint


async def log_state(conn: Connection) -> LogState:
    """The issuance log's latest checkpoint, as a backup and a restore report it."""
    row = await conn.fetchrow(Q.log_latest_checkpoint)
    if row is None:
        return LogState(0, "-")
    return LogState(row["size"], bytes(row["root"]).hex())
