"""`vanbang import`: register a graduation decision from a file."""

from __future__ import annotations

import argparse

import asyncpg
import orjson

from service.cli.common import OPERATOR, CommandError, command_pool
from service.settings import Settings


async def import_file(
    settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace
) -> int:
    from service.domain.graduates import parse_request
    from service.formats.uploads import media_type_for, parse_body
    from service.signing import Signing, keystore_for
    from service.usecases.registration import register_decision, register_part

    media_type = media_type_for(args.file.name)
    if media_type is None:
        raise CommandError(f"{args.file}: expected a .json, .csv or .xlsx file")
    body = await parse_body(media_type, args.file.read_bytes(), max_rows=settings.max_batch_rows)
    data = body.data
    if isinstance(data, dict):
        named = data.get("issuer")
        if named is not None and str(named).upper() != args.issuer.upper():
            raise CommandError(f"the file is for issuer {named}, not {args.issuer}")
        data["issuer"] = args.issuer
    async with command_pool(settings) as pool:
        with body.locating():
            signing = Signing(keystore_for(settings))
            rows = None if body.locator is None else body.locator.graduate_rows
            if args.part_of is None:
                written = await register_decision(
                    pool,
                    OPERATOR,
                    parse_request(data),
                    signing=signing,
                    idempotency_key=args.idempotency_key,
                    rows=rows,
                    public_url=settings.public_url,
                )
            else:
                written = await register_part(
                    pool,
                    OPERATOR,
                    args.part_of,
                    parse_request(data),
                    signing=signing,
                    idempotency_key=args.idempotency_key,
                    rows=rows,
                    public_url=settings.public_url,
                )
    result = written.answer
    if args.json:
        print(orjson.dumps(result, option=orjson.OPT_INDENT_2).decode())
        return 0
    note = " (already registered with this idempotency key)" if written.replayed else ""
    if result.get("part", 1) == 1:
        print(
            f"decision {result['number']} ({result['id']}): {result['graduate_count']} "
            f"diploma(s) registered for {result['issuer']}{note}"
        )
    else:
        print(
            f"decision {result['number']} ({result['id']}), part {result['part']}: "
            f"{len(result['diplomas'])} diploma(s) registered for {result['issuer']}, "
            f"{result['graduate_count']} in all{note}"
        )
    for diploma in result["diplomas"]:
        print(
            f"  {diploma['serial']:<16} {diploma['register_number']:<20} {diploma['id']}  "
            f"{diploma['full_name']}"
        )
    for warning in result["warnings"]:
        where = f"row {warning['row']}" if warning["row"] else warning["pointer"]
        print(f"  warning, {where}: {warning['message_en']}")
    return 0
