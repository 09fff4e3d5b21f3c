"""`vanbang export national`: the national diploma database export (docs/national-export.md)
as JSON lines, one record a line, from a cursor to the end of the log; the next cursor is
printed for the next run."""

from __future__ import annotations

import argparse
import os
import sys

import asyncpg
import orjson

from service.cli.common import OPERATOR, command_pool
from service.settings import Settings


async def export_national(
    settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace
) -> int:
    from service.domain.national_export import MAX_LIMIT
    from service.signing import keystore_for
    from service.usecases import national_export

    del conn  # the use case takes a pool
    # Whole or not at all: a run that fails leaves no file, and prints no cursor.
    partial = None if args.out is None else args.out.with_name(args.out.name + ".partial")
    out = sys.stdout if partial is None else partial.open("w", encoding="utf-8")
    cursor, more, records, version = args.after, True, 0, ""
    try:
        async with command_pool(settings) as pool:
            while more:
                page = await national_export.page(
                    pool,
                    OPERATOR,
                    after=cursor,
                    limit=MAX_LIMIT,
                    issuer=args.issuer,
                    keystore=keystore_for(settings),
                )
                for record in page.records:
                    out.write(orjson.dumps(record.model_dump(mode="json")).decode() + "\n")
                out.flush()
                records += len(page.records)
                cursor, more, version = page.next, page.more, page.mapping.version
    except BaseException:
        if partial is not None:
            out.close()
            partial.unlink(missing_ok=True)
        raise
    if partial is not None:
        out.close()
        os.replace(partial, args.out)
    print(cursor, file=sys.stdout if partial is not None else sys.stderr)
    print(f"{records} record(s) in mapping {version}", file=sys.stderr)
    return 0
