"""`vanbang audit verify`: the issuance log recomputed from the database and compared with
its checkpoints (service/tlog/recompute.py); the result is kept for the issuance log page."""

from __future__ import annotations

import argparse

import asyncpg

from service.cli.common import CommandError, command_pool
from service.settings import Settings


async def audit_verify(
    settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace
) -> int:
    from service.signing import keystore_for
    from service.tlog.sequencer import LogSigner
    from service.usecases import issuance_log

    key = keystore_for(settings).log_key()
    if key is None:
        raise CommandError("no log key: run `vanbang key log` first")
    async with command_pool(settings, size=2) as pool:
        report = await issuance_log.audit(pool, LogSigner(settings.log_origin, key), "cli")
    for problem in report.problems:
        print(f"PROBLEM {problem}")
    verdict = "consistent" if report.ok else f"{len(report.problems)} problem(s)"
    print(f"log of {report.leaves} leaves, {report.checkpoints} checkpoints: {verdict}")
    return 0 if report.ok else 1
