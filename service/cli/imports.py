"""`vanbang import`: register a graduation decision from a file."""

from __future__ import annotations

import argparse
import sys
import uuid
from typing import TYPE_CHECKING, Any

import asyncpg
import orjson

from service.cli.common import OPERATOR, CommandError, command_pool
from service.problems import DUPLICATE_DECISION, DUPLICATE_SERIAL, Problem
from service.settings import Settings

if TYPE_CHECKING:
    from service.domain.graduates import GraduationDecisionIn


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
    # Any size up to VANBANG_MAX_LIST_ROWS: more than a part holds is registered in parts.
    body = await parse_body(media_type, args.file.read_bytes(), max_rows=settings.max_list_rows)
    data = body.data
    if isinstance(data, dict):
        named = data.get("issuer")
        if named is not None and str(named).upper() != args.issuer.upper():
            raise CommandError(f"the file is for issuer {named}, not {args.issuer}")
        data["issuer"] = args.issuer
    async with command_pool(settings) as pool:
        signing = Signing(keystore_for(settings))
        decision_id: uuid.UUID | None = args.part_of

        every_row = None if body.locator is None else list(body.locator.graduate_rows)

        async def register(
            request: GraduationDecisionIn, key: str | None, dry_run: bool, start: int = 0
        ) -> Any:
            # The file's rows of this request's graduates, to name them in the warnings.
            rows = None if every_row is None else every_row[start : start + len(request.graduates)]
            if decision_id is None:
                return await register_decision(
                    pool,
                    OPERATOR,
                    request,
                    signing=signing,
                    idempotency_key=key,
                    dry_run=dry_run,
                    rows=rows,
                    public_url=settings.public_url,
                )
            return await register_part(
                pool,
                OPERATOR,
                decision_id,
                request,
                signing=signing,
                idempotency_key=key,
                dry_run=dry_run,
                rows=rows,
                public_url=settings.public_url,
            )

        with body.locating():
            request = parse_request(data)
            size = settings.max_batch_rows
            parts: list[Any] = []  # each part's answer
            if len(request.graduates) <= size:
                parts.append(await register(request, args.idempotency_key, False))
            else:
                # The whole list checked first (every row named as the file numbers it),
                # then registered a part at a time, each with its own key when one is given.
                try:
                    await register(request, None, True)
                except Problem as problem:
                    # Run again with its key, the file is its own duplicate: its parts'
                    # keys answer what they registered (or the refusal, if another did).
                    retried = args.idempotency_key is not None
                    if not retried or problem.type not in (DUPLICATE_DECISION, DUPLICATE_SERIAL):
                        raise
                graduates = request.graduates
                for part, start in enumerate(range(0, len(graduates), size), 1):
                    piece = request.model_copy(
                        update={"graduates": graduates[start : start + size]}
                    )
                    key = args.idempotency_key and f"{args.idempotency_key}:part{part}"
                    written = await register(piece, key, False, start)
                    parts.append(written)
                    decision_id = uuid.UUID(written.answer["id"])
                    print(f"part {written.answer['part']} registered", file=sys.stderr)
    # One answer for the whole file: the last part's, with every part's diplomas.
    result = {
        **parts[-1].answer,
        "diplomas": [d for w in parts for d in w.answer["diplomas"]],
        "warnings": [x for w in parts for x in w.answer["warnings"]],
    }
    if args.json:
        print(orjson.dumps(result, option=orjson.OPT_INDENT_2).decode())
        return 0
    replayed = all(w.replayed for w in parts)
    note = " (already registered with this idempotency key)" if replayed else ""
    split = f" in {len(parts)} parts" if len(parts) > 1 else ""
    if args.part_of is None:
        print(
            f"decision {result['number']} ({result['id']}): {result['graduate_count']} "
            f"diploma(s) registered for {result['issuer']}{split}{note}"
        )
    else:
        numbers = ", ".join(str(w.answer.get("part", 1)) for w in parts)
        print(
            f"decision {result['number']} ({result['id']}), part {numbers}: "
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
