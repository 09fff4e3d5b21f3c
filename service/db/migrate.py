"""Numbered, forward-only migrations from sql/migrations/NNNN_name.sql.

All pending migrations run in one transaction under an advisory lock, so two processes that
start at once migrate once. An applied migration whose file has since changed is an error:
history is never rewritten, a new numbered file is added instead.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import structlog

from service.db.queries import Q
from service.resources import sql_dir

log = structlog.get_logger(__name__)

_FILE = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


class MigrationError(RuntimeError):
    """The migrations on disk and those recorded in the database disagree."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> bytes:
        return hashlib.sha256(self.sql.encode()).digest()


def load_migrations(directory: Path | None = None) -> list[Migration]:
    directory = directory or sql_dir() / "migrations"
    found = []
    for path in sorted(directory.iterdir()):
        match = _FILE.match(path.name)
        if match is None:
            raise MigrationError(f"{path.name} is not named NNNN_name.sql")
        found.append(Migration(int(match[1]), match[2], path.read_text(encoding="utf-8")))
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise MigrationError(f"migration numbers must run 1, 2, 3 ... without gaps: {versions}")
    return found


async def migrate(conn: asyncpg.Connection, migrations: list[Migration] | None = None) -> list[int]:
    """Applies the pending migrations; returns the versions applied now."""
    migrations = load_migrations() if migrations is None else migrations
    async with conn.transaction():
        await conn.execute(Q.lock_migrations)
        await conn.execute(Q.create_schema_migrations)
        applied = {row["version"]: row for row in await conn.fetch(Q.applied_migrations)}
        done = []
        for migration in migrations:
            row = applied.get(migration.version)
            if row is not None:
                if bytes(row["checksum"]) != migration.checksum:
                    raise MigrationError(
                        f"migration {migration.version:04d}_{migration.name} was changed after "
                        "it was applied; add a new migration instead"
                    )
                continue
            await conn.execute(migration.sql)
            await conn.execute(
                Q.record_migration, migration.version, migration.name, migration.checksum
            )
            done.append(migration.version)
            log.info("migration_applied", version=migration.version, name=migration.name)
        unknown = set(applied) - {m.version for m in migrations}
        if unknown:
            raise MigrationError(
                f"the database has migrations this release does not know: {sorted(unknown)}"
            )
    return done
