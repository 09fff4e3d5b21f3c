"""The holders' personal identification numbers (số định danh cá nhân): sealed when a
diploma's row is written (registration, re-issue), opened only for staff within scope, and
found by their keyed hash (docs/register.md). Shared by the families of actions that write
or read them, as access.py and journal.py are; it imports none of them.

The number never leaves this module unsealed except as the answer of `reveal` (journalled),
of `read_numbers` (for the national export) and inside a staged list's request; nothing here
logs it, and the journal's entries name the diploma, never the number.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import orjson
import structlog

from service import texts
from service.db import personal_ids as db
from service.db.pool import Connection, Pool
from service.domain import personal_ids as rules
from service.domain.accounts import Principal
from service.domain.graduates import GraduationDecisionIn
from service.domain.journal import Action
from service.domain.views import (
    PersonalIdMasked,
    PersonalIdMatch,
    PersonalIdMatches,
    PersonalIdShown,
)
from service.keystore import KeyStore
from service.problems import NO_PERSONAL_ID_KEY, NOT_FOUND, Problem
from service.sealing import PersonalIdKey, SealError
from service.usecases import journal
from service.usecases.access import diploma_in_scope, within_scope

log = structlog.get_logger(__name__)


def key_from(keystore: KeyStore) -> PersonalIdKey:
    """The sealing key, or the problem that says an operator must provide it."""
    key = keystore.personal_id_key()
    if key is None:
        raise Problem(NO_PERSONAL_ID_KEY, *texts.PERSONAL_ID_KEY_ABSENT)
    return key


def fingerprintable(keystore: KeyStore, request: GraduationDecisionIn) -> GraduationDecisionIn:
    """The request as its Idempotency-Key is bound to it: each number replaced by its keyed
    hash. The stored fingerprint is a plain SHA-256 of the request, and a single graduate's
    number (a province, a century and a year narrow it to a million or so) could be
    recovered from it by trying them all, given the rest of the row from a dump."""
    if all(g.personal_id is None for g in request.graduates):
        return request
    key = key_from(keystore)
    graduates = [
        g
        if g.personal_id is None
        else g.model_copy(update={"personal_id": key.lookup(g.personal_id).hex()})
        for g in request.graduates
    ]
    return request.model_copy(update={"graduates": graduates})


def seal_list(
    keystore: KeyStore, staged_id: uuid.UUID, request: GraduationDecisionIn
) -> tuple[GraduationDecisionIn, bytes | None]:
    """A checked list as the console keeps it until confirmed (0025_personal_ids): the
    request without its numbers, and the numbers sealed apart (one per graduate, or null),
    the staged list's id as associated data; None when the list has none."""
    numbers = [g.personal_id for g in request.graduates]
    if all(n is None for n in numbers):
        return request, None
    key = key_from(keystore)
    bare = [g.model_copy(update={"personal_id": None}) for g in request.graduates]
    sealed = key.seal(staged_id, orjson.dumps(numbers).decode("ascii"))
    return request.model_copy(update={"graduates": bare}), sealed


def open_list(
    keystore: KeyStore, staged_id: uuid.UUID, data: dict[str, Any], sealed: bytes | None
) -> dict[str, Any]:
    """The kept request's JSON with its graduates' numbers put back (seal_list's inverse)."""
    if sealed is None:
        return data
    numbers = orjson.loads(key_from(keystore).open(staged_id, sealed))
    for graduate, number in zip(data["graduates"], numbers, strict=True):
        graduate["personal_id"] = number
    return data


async def store(
    conn: Connection, keystore: KeyStore, numbers: Sequence[tuple[uuid.UUID, str | None]]
) -> None:
    """Seals each diploma's number (those that have one) in the caller's transaction: with
    the diplomas' own rows, so a crash leaves neither without the other."""
    given = [(diploma_id, number) for diploma_id, number in numbers if number is not None]
    if not given:
        return
    key = key_from(keystore)
    await db.insert(
        conn,
        key.key_id,
        [diploma_id for diploma_id, _ in given],
        [key.seal(diploma_id, number) for diploma_id, number in given],
        [key.lookup(number) for _, number in given],
    )


async def read_numbers(
    conn: Connection, keystore: KeyStore, diploma_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, str]:
    """The personal identification numbers of those of `diploma_ids` that have one, opened.
    No scope and no journal: the caller (the national export, a re-issue copying its
    diploma's number) has already decided who may read them, and says so in its own
    journal entry. Raises the no-personal-id-key problem when the key is absent or another."""
    stored = await db.sealed(conn, diploma_ids)
    if not stored:
        return {}
    key = key_from(keystore)
    opened = {}
    for diploma_id, (key_id, sealed) in stored.items():
        if key_id != key.key_id:
            raise Problem(NO_PERSONAL_ID_KEY, *texts.PERSONAL_ID_KEY_OTHER)
        try:
            opened[diploma_id] = key.open(diploma_id, sealed)
        except SealError:
            # The same key, and yet it does not open: altered in the database, or moved
            # onto another diploma's row. Never guessed at; the id says where to look.
            log.error("personal_id_unreadable", diploma_id=str(diploma_id))
            raise
    return opened


async def masked(
    conn: Connection, keystore: KeyStore, diploma_id: uuid.UUID
) -> PersonalIdMasked | None:
    """What the staff page and the API show of the diploma's number by default (a reader
    within scope has been checked by the caller)."""
    numbers = await read_numbers(conn, keystore, [diploma_id])
    number = numbers.get(diploma_id)
    if number is None:
        return None
    return PersonalIdMasked(
        masked=rules.masked(number), reveal=f"/api/v1/diplomas/{diploma_id}/personal-id"
    )


async def reveal(
    pool: Pool[Any], principal: Principal, keystore: KeyStore, diploma_id: uuid.UUID
) -> PersonalIdShown:
    """The whole number to a reader within scope, journalled (who, when, which diploma);
    not found when the diploma has none or is outside the scope."""
    async with pool.acquire() as conn, conn.transaction():
        row = await diploma_in_scope(conn, principal, diploma_id)
        number = (await read_numbers(conn, keystore, [diploma_id])).get(diploma_id)
        if number is None:
            raise Problem(NOT_FOUND)
        await journal.note(
            conn,
            principal,
            Action.PERSONAL_ID_REVEALED,
            issuer_code=row.issuer_code,
            record_type="diploma",
            record_id=diploma_id,
        )
    return PersonalIdShown(diploma_id=diploma_id, serial=row.serial, personal_id=number)


async def find(
    pool: Pool[Any], principal: Principal, keystore: KeyStore, number: str
) -> PersonalIdMatches:
    """The diplomas within the principal's scope whose holder has `number` (validated by
    the caller's model), journalled with how many were found (never the number)."""
    key = key_from(keystore)
    async with pool.acquire() as conn, conn.transaction():
        rows = await db.diplomas_by_lookup(conn, key.lookup(number))
        scope: dict[str, bool] = {}
        items = []
        for row in rows:
            code = row["issuer_code"]
            if code not in scope:
                scope[code] = await within_scope(conn, principal, code)
            if scope[code]:
                items.append(_match(row))
        await journal.note(
            conn,
            principal,
            Action.PERSONAL_ID_LOOKUP,
            issuer_code=principal.issuer_code,
            detail={"found": len(items)},
        )
    return PersonalIdMatches(items=items)


def _match(row: Any) -> PersonalIdMatch:
    diploma_id = row["id"]
    return PersonalIdMatch(
        id=diploma_id,
        issuer=row["issuer_code"],
        issuer_name=row["issuer_name"],
        kind=row["kind"],
        serial=row["serial"],
        register_number=row["register_number"],
        full_name=row["holder_name"],
        date_of_birth=row["date_of_birth"],
        issued_on=row["issued_on"],
        links={
            "self": f"/api/v1/diplomas/{diploma_id}",
            "page": f"/quan-ly/van-bang/{diploma_id}",
        },
    )
