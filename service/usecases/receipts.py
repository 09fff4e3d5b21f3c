"""Verification receipts (docs/verification.md, "Biên nhận kiểm tra"): a QR check made again
on the server and kept under a short code, for an employer to print or pass on; and a
receipt read back with the answer then and the answer now, the register read afresh on
every view as on every check (no cache)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

from service import texts
from service.db import receipts as stored
from service.db.pool import Pool
from service.db.receipts import StoredReceipt
from service.db.standing import StandingReader
from service.domain import receipts as rules
from service.problems import NOT_FOUND, VALIDATION_ERROR, FieldError, Problem
from service.usecases.trust_list import TrustListCache
from service.usecases.verification import CheckedTokens, verify_online
from verifier.display import VIETNAM
from verifier.result import VerificationResult
from verifier.token import MAX_TEXT


@dataclass(frozen=True)
class Receipt:
    code: str  # as stored, without dashes
    created_at: datetime
    valid_until: datetime
    diploma_id: uuid.UUID | None
    then: dict[str, Any]  # the public answer as it was given (Vietnamese)


@dataclass(frozen=True)
class Viewed:
    receipt: Receipt
    now: VerificationResult  # checked just now
    now_answer: dict[str, Any]  # its public answer, as a receipt keeps one
    changed: bool
    diploma_id: uuid.UUID | None  # what the check now found, to count


def _receipt(row: StoredReceipt) -> Receipt:
    return Receipt(row.code, row.created_at, row.valid_until, row.diploma_id, row.result)


def _as_json(answer: dict[str, Any]) -> dict[str, Any]:
    """The answer as the table gives it back (dates as text), so that then and now compare."""
    loaded: dict[str, Any] = orjson.loads(orjson.dumps(answer))
    return loaded


def missing() -> Problem:
    return Problem(NOT_FOUND, *texts.RECEIPT_MISSING)


def expired_problem(until: datetime) -> Problem:
    day = f"{until.astimezone(VIETNAM):%d/%m/%Y}"
    return Problem(NOT_FOUND, *texts.RECEIPT_EXPIRED.format(day=day))


async def create(
    pool: Pool[Any],
    read_pool: Pool[Any],
    standing: StandingReader,
    trust: TrustListCache,
    checked: CheckedTokens | None,
    text: str,
    *,
    days: int,
) -> tuple[Receipt, VerificationResult]:
    """Checks `text` as /api/v1/verify does and keeps the answer; a code that is not genuine
    gets a receipt too (an employer may need to show that it failed). Never a posted result:
    the check is made here."""
    text = text.strip()
    if not text:
        raise Problem(
            VALIDATION_ERROR, errors=[FieldError(("token",), "missing", *texts.TOKEN_MISSING)]
        )
    if "\x00" in text:  # no QR text has one, and PostgreSQL's text cannot keep it
        raise Problem(
            VALIDATION_ERROR,
            errors=[
                FieldError(("token",), "nul_character", *texts.FIELD_MESSAGES["nul_character"])
            ],
        )
    if len(text) > MAX_TEXT:
        raise Problem(
            VALIDATION_ERROR,
            errors=[FieldError(("token",), "too_long", *texts.RECEIPT_TOKEN_TOO_LONG)],
        )
    result, diploma_id = await verify_online(read_pool, standing, trust, text, checked)
    created_at = datetime.now(UTC)
    until = rules.valid_until(created_at, days)
    answer = _as_json(rules.public_answer(result))
    async with pool.acquire() as conn:
        while True:  # a taken code (one chance in 2^60 a receipt) draws another
            code = rules.new_code()
            if await stored.add_receipt(
                conn,
                code=code,
                created_at=created_at,
                valid_until=until,
                qr_text=text,
                diploma_id=diploma_id,
                verdict=result.verdict.value,
                result=answer,
            ):
                break
    return Receipt(code, created_at, until, diploma_id, answer), result


async def view(
    pool: Pool[Any],
    read_pool: Pool[Any],
    standing: StandingReader,
    trust: TrustListCache,
    checked: CheckedTokens | None,
    typed: str,
) -> Viewed:
    """The receipt under `typed` (in any of the ways a code may be typed) with its QR text
    checked again now. Unknown: a 404 problem; expired: a 404 problem saying since when (and
    nothing of what it held)."""
    code = rules.normalised(typed)
    if code is None:
        raise missing()
    async with pool.acquire() as conn:  # the primary: a receipt just made is there
        row = await stored.get_receipt(conn, code)
    if row is None:
        raise missing()
    if rules.expired(row.valid_until, datetime.now(UTC)):
        raise expired_problem(row.valid_until)
    now, diploma_id = await verify_online(read_pool, standing, trust, row.qr_text, checked)
    now_answer = _as_json(rules.public_answer(now))
    receipt = _receipt(row)
    return Viewed(receipt, now, now_answer, rules.changed(receipt.then, now_answer), diploma_id)
