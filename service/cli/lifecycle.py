"""`vanbang revoke`: record a revocation decision (Art. 25) as the operator."""

from __future__ import annotations

import argparse

import asyncpg
import orjson

from service.cli.common import OPERATOR
from service.db.pool import create_pool
from service.settings import Settings


async def revoke(settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace) -> int:
    from service.domain.graduates import validate
    from service.domain.lifecycle import RevocationIn
    from service.lifecycle import revoke as record
    from service.signing import Signing, keystore_for

    request = validate(
        RevocationIn,
        {
            "decision_number": args.decision_number,
            "decided_on": args.decided_on,
            "authority": args.authority,
            "ground": args.ground,
            "reason": args.reason,
        },
    )
    assert settings.database_url is not None
    pool = await create_pool(settings.database_url, size=1)
    try:
        answer = await record(
            pool, OPERATOR, args.diploma_id, request, signing=Signing(keystore_for(settings))
        )
    finally:
        await pool.close()
    print(orjson.dumps(answer, option=orjson.OPT_INDENT_2).decode())
    return 0
