"""`vanbang worker`: background jobs' worker apart from the server (docs/jobs.md)."""

from __future__ import annotations

import argparse
import asyncio
import os
from concurrent.futures import ThreadPoolExecutor

import asyncpg

from service.cli.serve import resolve_database
from service.db.migrate import migrate
from service.db.pool import create_pool
from service.docsign.registry import doc_signers_for
from service.settings import Settings, SettingsError
from service.signing import Signing, keystore_for


def worker(settings: Settings, args: argparse.Namespace) -> int:
    if args.concurrency is not None and not 1 <= args.concurrency <= 64:
        raise SettingsError("--concurrency must be between 1 and 64")
    settings = resolve_database(settings)
    asyncio.run(_work(settings, args.concurrency or max(1, settings.job_workers)))
    return 0


async def _work(settings: Settings, concurrency: int) -> None:
    from service import worker as jobs_worker
    from service.tlog.sequencer import LogSigner

    url = settings.database_url
    assert url is not None
    conn = await asyncpg.connect(url)
    try:
        await migrate(conn)  # locked and idempotent: the server may be migrating too
    finally:
        await conn.close()
    pool = await create_pool(url, size=min(settings.db_pool_size, concurrency + 2))
    executor = ThreadPoolExecutor(max_workers=os.cpu_count() or 2, thread_name_prefix="sign")
    keystore = keystore_for(settings)
    log_key = keystore.log_key()
    runner = jobs_worker.Runner(
        pool,
        Signing(keystore, executor),
        settings.max_batch_rows,
        settings.public_url,
        None if log_key is None else LogSigner(settings.log_origin, log_key),
        qr_module_mm=settings.qr_module_mm,
        doc_signers=doc_signers_for(settings),
        tsa_url=settings.tsa_url,
    )
    print(f"vanbang worker: running background jobs, {concurrency} at once", flush=True)
    try:
        # procrastinate's own signal handlers: SIGTERM or Ctrl-C lets running jobs finish.
        async with jobs_worker.running(
            url,
            runner,
            concurrency=concurrency,
            heartbeat_seconds=settings.job_heartbeat_seconds,
            install_signal_handlers=True,
            audit_hours=settings.log_audit_hours,
        ) as task:
            await task
    finally:
        await pool.close()
        executor.shutdown(wait=True)
