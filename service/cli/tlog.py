"""`vanbang audit verify`: the issuance log recomputed from the database and compared with
its checkpoints (service/tlog/recompute.py)."""

from __future__ import annotations

import argparse

import asyncpg

from service.cli.common import CommandError
from service.settings import Settings


async def audit_verify(
    settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace
) -> int:
    from service.db.pool import create_pool
    from service.signing import keystore_for
    from service.tlog.recompute import verify_log
    from service.tlog.sequencer import LogSigner

    key = keystore_for(settings).log_key()
    if key is None:
        raise CommandError("no log key: run `vanbang key log` first")
    assert settings.database_url is not None
    pool = await create_pool(settings.database_url, size=2)
    try:
        report = await verify_log(pool, LogSigner(settings.log_origin, key))
    finally:
        await pool.close()
    for problem in report.problems:
        print(f"PROBLEM {problem}")
    verdict = "consistent" if report.ok else f"{len(report.problems)} problem(s)"
    print(f"log of {report.leaves} leaves, {report.checkpoints} checkpoints: {verdict}")
    return 0 if report.ok else 1
