"""The real PostgreSQL the tests use: TEST_DATABASE_URL when set, else an embedded server.

A template database is migrated and loaded with the demo data once per run; every test gets
its own copy (CREATE DATABASE ... TEMPLATE), so tests can commit, run concurrent batches and
still start from the same state.

Copies are made ahead and dropped behind by a thread of their own (Databases): that took a
third of the suite's time off it (60 s to 40 s on this machine).
"""

from __future__ import annotations

import asyncio
import itertools
import os
import queue
import tempfile
import threading
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
    """The test databases of one run. `create()` hands out a copy of the template made ahead
    of time by a thread of its own, which also drops finished copies (`drop_later`): creating
    and dropping a copy is mostly the server's file work (60 to 170 ms here), so it overlaps
    the tests instead of adding to them."""

    SPARES = 2  # copies made ahead

    def __init__(self, url: str) -> None:
        self.url = url
        self.prefix = f"vanbang_test_{os.getpid()}"
        self.template = f"{self.prefix}_template"
        self._numbers = itertools.count(1)
        self._to_drop: queue.Queue[str] = queue.Queue()
        self._ready: queue.Queue[str | BaseException] = queue.Queue()
        self._stop = threading.Event()
        self._worker: threading.Thread | None = None
        self._errors: list[BaseException] = []

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
        """A fresh copy of the template, for one test."""
        self._start()
        made = await asyncio.to_thread(self._ready.get)
        if isinstance(made, BaseException):
            raise made
        return made

    def drop_later(self, url: str) -> None:
        """Drops the database in the background (the test that used it is over)."""
        self._start()
        self._to_drop.put(url)

    def finish(self) -> None:
        """Stops the thread once it has dropped every database it was given, and the spares;
        raises the first failure."""
        if self._worker is not None:
            self._stop.set()
            self._worker.join()
            self._worker = None
        if self._errors:
            raise self._errors[0]

    def _start(self) -> None:
        if self._worker is None:
            self._worker = threading.Thread(target=lambda: asyncio.run(self._work()), daemon=True)
            self._worker.start()

    async def _work(self) -> None:
        # One connection, opened now: tests/verifier turns sockets off while it runs, and
        # work may fall then; an open connection is not affected.
        admin = await self._admin()
        try:
            while not (self._stop.is_set() and self._to_drop.empty()):
                if self._ready.qsize() < self.SPARES and not self._stop.is_set():
                    # Spares first: a test may be waiting for one.
                    try:
                        self._ready.put(await self._copy(admin))
                    except Exception as exc:
                        self._ready.put(exc)
                    continue
                try:
                    url = await asyncio.to_thread(self._to_drop.get, timeout=0.05)
                except queue.Empty:
                    continue
                await self._drop_on(admin, url)
            while not self._ready.empty():
                spare = self._ready.get()
                if isinstance(spare, str):
                    await self._drop_on(admin, spare)
        finally:
            await admin.close()

    async def _copy(self, admin: asyncpg.Connection) -> str:
        name = f"{self.prefix}_{next(self._numbers)}"
        await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        return with_database(self.url, name)

    async def _drop_on(self, admin: asyncpg.Connection, url: str) -> None:
        name = urlsplit(url).path.lstrip("/")
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        except Exception as exc:  # reported by finish()
            self._errors.append(exc)

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
