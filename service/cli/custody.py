"""`vanbang custody transfer` and `custody show`: an issuer's register passed to another body
(docs/custody.md), recorded by the operator (an admin) with the API's rules and answer."""

from __future__ import annotations

import argparse

import asyncpg
import orjson

from service.cli.common import OPERATOR, command_pool
from service.settings import Settings
from service.signing import Signing, keystore_for
from service.usecases import writes


async def transfer(settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace) -> int:
    from service.domain.custody import TransferIn
    from service.domain.graduates import validate
    from service.usecases.custody import transfer as act

    code = args.issuer.upper()
    request = validate(
        TransferIn,
        {
            "to": args.to,
            "effective_on": args.effective_on,
            "legal_basis": args.legal_basis,
            "reason": args.reason,
        },
    )
    async with command_pool(settings) as pool:
        written = await writes.run(
            pool,
            OPERATOR,
            lambda w: act(w, code, request),
            signing=Signing(keystore_for(settings)),
            idempotency_key=args.idempotency_key,
            request_hash=writes.fingerprint(f"custody transfer {code}", request),
        )
    print(orjson.dumps(written.answer, option=orjson.OPT_INDENT_2).decode())
    return 0


async def show(settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace) -> int:
    from service.usecases.custody import custody_of

    async with command_pool(settings) as pool:
        answer = await custody_of(pool, OPERATOR, args.issuer.upper())
    print(orjson.dumps(answer.model_dump(mode="json"), option=orjson.OPT_INDENT_2).decode())
    return 0


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    custody = commands.add_parser(
        "custody", help="the custody of registers (a body's register passed to another)"
    ).add_subparsers(dest="action", required=True, metavar="ACTION")
    move = custody.add_parser(
        "transfer", help="record that an issuer's register passes to another body"
    )
    move.add_argument("issuer", help="the code of the issuer whose register it is")
    move.add_argument("--to", required=True, help="the receiving body's code")
    move.add_argument("--effective-on", required=True, help="the legal date (dd/mm/yyyy)")
    move.add_argument(
        "--legal-basis",
        required=True,
        help="the circular or decision it follows, by number and year",
    )
    move.add_argument("--reason", required=True)
    move.add_argument("--idempotency-key", help="retrying with the same key records once")
    shown = custody.add_parser("show", help="who holds an issuer's register, and since when")
    shown.add_argument("issuer")
