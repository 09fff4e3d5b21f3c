"""`vanbang qr` and `vanbang demo`: a diploma's QR code, and the whole flow in one command."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import uuid

import asyncpg
import orjson

from service.cli.common import OPERATOR, CommandError, command_pool
from service.settings import QR_MODULE_RANGE, Settings


async def qr(settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace) -> int:
    from service.db.register import get_diploma
    from service.qr.tokens import diploma_qr_text
    from service.signing import keystore_for
    from service.usecases.printing import diploma_qr

    keystore = keystore_for(settings)
    if args.output is None:
        row = await get_diploma(conn, args.diploma_id)
        if row is None:
            raise CommandError(f"no diploma {args.diploma_id}")
        print(diploma_qr_text(row, keystore, settings.public_url))
        return 0
    suffix = args.output.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise CommandError("the output file must end in .png or .svg")
    module_mm = settings.qr_module_mm if args.module_mm is None else args.module_mm
    low, high = QR_MODULE_RANGE
    if not low <= module_mm <= high:
        raise CommandError(f"--module-mm must be from {low:g} to {high:g}")
    if not 72 <= args.dpi <= 1200:
        raise CommandError("--dpi must be from 72 to 1200")
    async with command_pool(settings) as pool:
        image, serial = await diploma_qr(
            pool,
            OPERATOR,
            args.diploma_id,
            keystore=keystore,
            public_url=settings.public_url,
            image="png" if suffix == ".png" else "svg",
            module_mm=module_mm,
            dpi=args.dpi,
        )
    args.output.write_bytes(image)
    print(f"wrote the QR code of {serial} to {args.output}", file=sys.stderr)
    return 0


async def demo(settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace) -> int:
    from service.db.migrate import migrate
    from service.db.register import get_diploma
    from service.demo import load_demo, load_demo_custody
    from service.domain.graduates import parse_request
    from service.qr.tokens import diploma_qr_text
    from service.resources import examples_dir
    from service.signing import Signing, keystore_for
    from service.usecases.registration import register_decision

    if settings.env == "production":
        raise CommandError("the demo signs with the public demo keys; not in production")
    settings = dataclasses.replace(settings, demo=True)
    await migrate(conn)  # a newcomer's first command may meet a fresh database
    await load_demo(conn)
    data = json.loads((examples_dir() / "graduation-decision.json").read_text(encoding="utf-8"))
    # A fresh decision number and serials, so the demo can run again on the same database.
    run = uuid.uuid4().hex[:6].upper()
    data["issuer"] = "SGDDT-HN"
    data["decision"]["number"] = f"DEMO-{run}/QĐ-SGDĐT"
    for index, graduate in enumerate(data["graduates"], start=1):
        graduate["serial"] = f"DEMO{run}-{index:03d}"
    keystore = keystore_for(settings)
    async with command_pool(settings, size=2) as pool:
        await load_demo_custody(pool, Signing(keystore))
        answer = await register_decision(
            pool, OPERATOR, parse_request(data), signing=Signing(keystore)
        )
    result = orjson.loads(answer.body)
    diplomas = []
    for diploma in result["diplomas"]:
        row = await get_diploma(conn, uuid.UUID(diploma["id"]))
        assert row is not None
        diplomas.append({**diploma, "qr_url": diploma_qr_text(row, keystore, settings.public_url)})
    base = settings.public_url
    if args.json:
        print(
            orjson.dumps(
                {
                    "decision": result["id"],
                    "number": result["number"],
                    "print_pdf": f"{base}/api/v1/graduation-decisions/{result['id']}/print.pdf",
                    "diplomas": diplomas,
                },
                option=orjson.OPT_INDENT_2,
            ).decode()
        )
        return 0
    print(
        f"registered demo decision {result['number']} ({result['id']}) with "
        f"{len(diplomas)} signed diplomas for SGDDT-HN"
    )
    print(f"printable sheet: {base}/api/v1/graduation-decisions/{result['id']}/print.pdf")
    for diploma in diplomas:
        print(f"{diploma['id']}  {diploma['serial']:<16} {diploma['full_name']}")
        print(f"    {diploma['qr_url']}")
    return 0
