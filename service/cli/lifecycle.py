"""`vanbang revoke`, `correct`, `reissue`, `copy`, `handover` and `blanks`: the lifecycle
actions of the API, run by the operator (an admin) on the server, with the same rules and the
same answer."""

from __future__ import annotations

import argparse
import uuid
from collections.abc import Awaitable, Callable
from typing import TypeVar

import asyncpg
import orjson
from pydantic import BaseModel

from service.cli.common import OPERATOR, CommandError, command_pool
from service.domain.events import Event
from service.settings import Settings
from service.signing import Signing, keystore_for
from service.usecases import writes
from service.usecases.writes import Write

M = TypeVar("M", bound=BaseModel)
Act = Callable[[Write, M], Awaitable[Event]]


async def _run(settings: Settings, parsed: M, act: Act[M], key: str | None) -> int:
    signing = Signing(keystore_for(settings))
    async with command_pool(settings) as pool:
        written = await writes.run(
            pool,
            OPERATOR,
            lambda w: act(w, parsed),
            signing=signing,
            idempotency_key=key,
            request_hash=writes.fingerprint(type(parsed).__name__, parsed),
        )
    print(orjson.dumps(written.answer, option=orjson.OPT_INDENT_2).decode())
    return 0


def _changes(pairs: list[str] | None) -> dict[str, str]:
    changes = {}
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        if not sep:
            raise CommandError(f"--set takes FIELD=VALUE, not {pair!r}")
        changes[name.strip()] = value
    return changes


def _diploma(
    act: Callable[[Write, uuid.UUID, M], Awaitable[Event]], diploma_id: uuid.UUID
) -> Act[M]:
    return lambda w, parsed: act(w, diploma_id, parsed)


def _issuer(act: Callable[[Write, str, M], Awaitable[Event]], code: str) -> Act[M]:
    return lambda w, parsed: act(w, code, parsed)


async def revoke(settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace) -> int:
    from service.domain.graduates import validate
    from service.domain.lifecycle import RevocationIn
    from service.usecases.revocations import revoke as act

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
    return await _run(settings, request, _diploma(act, args.diploma_id), args.idempotency_key)


async def correct(settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace) -> int:
    from service.domain.lifecycle import parse_correction
    from service.usecases.corrections import correct as act

    request = parse_correction(
        {
            "decision_number": args.decision_number,
            "decided_on": args.decided_on,
            "signer": {"name": args.signer_name, "title": args.signer_title},
            "ground": args.ground,
            "reason": args.reason,
            "changes": _changes(args.set),
        }
    )
    return await _run(settings, request, _diploma(act, args.diploma_id), args.idempotency_key)


async def reissue(settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace) -> int:
    from service.domain.graduates import validate
    from service.domain.lifecycle import ReissueIn
    from service.usecases.reissues import reissue as act

    request = validate(
        ReissueIn,
        {
            "serial": args.serial,
            "issued_on": args.issued_on,
            "reason": args.reason,
            "changes": _changes(args.set),
        },
    )
    return await _run(settings, request, _diploma(act, args.diploma_id), args.idempotency_key)


async def copy(settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace) -> int:
    from service.domain.graduates import validate
    from service.domain.lifecycle import CopyIn
    from service.usecases.copies import certify as act

    request = validate(
        CopyIn,
        {
            "requester_name": args.requester_name,
            "relation": args.relation,
            "id_document_type": args.id_type,
            "id_document_number": args.id_number,
            "copies": args.copies,
            "issued_on": args.issued_on,
            "signer": {
                "name": args.signer_name,
                "title": args.signer_title,
                "on_behalf_of": args.on_behalf_of,
            },
        },
    )
    return await _run(settings, request, _diploma(act, args.diploma_id), args.idempotency_key)


async def handover(settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace) -> int:
    from service.domain.lifecycle import parse_handover
    from service.usecases.handovers import hand_over as act

    given = {
        "id_document_type": args.id_type,
        "id_document_number": args.id_number,
        "authorisation": args.authorisation,
        "note": args.note,
    }
    request = parse_handover(
        {
            "recipient_name": args.recipient,
            "relation": args.relation,
            "handed_over_on": args.date,
            "handed_over_by": args.handed_over_by,
            **{name: value for name, value in given.items() if value is not None},
        }
    )
    return await _run(settings, request, _diploma(act, args.diploma_id), args.idempotency_key)


async def blanks_receive(
    settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace
) -> int:
    from service.domain.blanks import BlankReceiptIn
    from service.domain.graduates import validate
    from service.usecases.blanks import receive as act

    request = validate(
        BlankReceiptIn,
        {
            "kind": args.kind,
            "first_serial": args.first,
            "last_serial": args.last,
            "received_on": args.received_on,
            "reference": args.reference,
        },
    )
    return await _run(settings, request, _issuer(act, args.issuer.upper()), args.idempotency_key)


async def blanks_spoil(
    settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace
) -> int:
    from service.domain.blanks import BlankSpoilIn
    from service.domain.graduates import validate
    from service.usecases.blanks import spoil as act

    request = validate(
        BlankSpoilIn,
        {
            "kind": args.kind,
            "serials": args.serial,
            "occurred_on": args.occurred_on,
            "reason": args.reason,
        },
    )
    return await _run(settings, request, _issuer(act, args.issuer.upper()), args.idempotency_key)


async def blanks_destroy(
    settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace
) -> int:
    from service.domain.blanks import BlankDestructionIn
    from service.domain.graduates import validate
    from service.usecases.blanks import destroy as act

    request = validate(
        BlankDestructionIn,
        {
            "kind": args.kind,
            "serials": args.serial,
            "minutes_number": args.minutes_number,
            "council": args.council,
            "reason": args.reason,
            "method": args.method,
            "destroyed_on": args.destroyed_on,
        },
    )
    return await _run(settings, request, _issuer(act, args.issuer.upper()), args.idempotency_key)


async def blanks_report(
    settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace
) -> int:
    from service.usecases.blanks import report

    async with command_pool(settings) as pool:
        answer = (await report(pool, OPERATOR, args.issuer.upper(), args.year)).model_dump(
            mode="json"
        )
    if args.json:
        print(orjson.dumps(answer, option=orjson.OPT_INDENT_2).decode())
        return 0
    print(f"{answer['issuer']} {answer['name']}, {answer['year']}")
    columns = ("kind", "on_hand_at_start", "received", "used", "spoiled", "destroyed")
    print("  ".join(f"{c:>16}" for c in (*columns, "on_hand_at_end")))
    for row in answer["kinds"]:
        print("  ".join(f"{row[c]!s:>16}" for c in (*columns, "on_hand_at_end")))
    return 0


async def blanks_track(
    settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace
) -> int:
    from service.db.blanks import set_tracking
    from service.domain.journal import Action
    from service.usecases.journal import note

    code = args.issuer.upper()
    async with conn.transaction():
        if not await set_tracking(conn, code, args.state == "on"):
            raise CommandError(f"no issuer has the code {code}")
        await note(
            conn,
            None,
            Action.BLANKS_TRACKING,
            issuer_code=code,
            record_type="issuer",
            record_id=code,
            detail={"tracks_blanks": args.state == "on"},
        )
    print(f"{code}: blank forms {'tracked' if args.state == 'on' else 'not tracked'}")
    return 0
