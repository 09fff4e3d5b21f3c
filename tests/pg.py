"""The real PostgreSQL the tests use: TEST_DATABASE_URL when set, else an embedded server.

A template database is migrated and loaded with the demo data once per run; every test gets
its own copy (CREATE DATABASE ... TEMPLATE), so tests can commit, run concurrent batches and
still start from the same state.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from service.db.migrate import migrate
from service.demo import load_demo


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def server_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL", "").strip()
    if url:
        return url
    from service.db.embedded import start_embedded

    data_dir = Path(tempfile.mkdtemp(prefix="vanbang-test-"))
    return start_embedded(data_dir, cleanup="delete")


class Databases:
    def __init__(self, url: str) -> None:
        self.url = url
        self.prefix = f"vanbang_test_{os.getpid()}"
        self.template = f"{self.prefix}_template"
        self._numbers = itertools.count(1)

    async def _admin(self) -> asyncpg.Connection:
        return await asyncpg.connect(self.url)

    async def create_template(self) -> None:
        admin = await self._admin()
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{self.template}"')
            await admin.execute(f'CREATE DATABASE "{self.template}"')
        finally:
            await admin.close()
        conn = await asyncpg.connect(with_database(self.url, self.template))
        try:
            await migrate(conn)
            await load_demo(conn)
        finally:
            await conn.close()

    async def create(self) -> str:
        name = f"{self.prefix}_{next(self._numbers)}"
        admin = await self._admin()
        try:
            await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        finally:
            await admin.close()
        return with_database(self.url, name)

    async def create_empty(self) -> str:
        name = f"{self.prefix}_{next(self._numbers)}"
        admin = await self._admin()
        try:
            await admin.execute(f'CREATE DATABASE "{name}"')
        finally:
            await admin.close()
        return with_database(self.url, name)

    async def drop(self, url: str) -> None:
        name = urlsplit(url).path.lstrip("/")
        admin = await self._admin()
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()

    async def drop_template(self) -> None:
        await self.drop(with_database(self.url, self.template))
