"""Public verification without an account: by QR token, or by serial and date of birth.

Lookup by serial answers only a caller who also knows the date of birth, and every miss (no
such serial, a wrong date of birth, an unpublished record) gives the same verdict, body and
work, a signature verification included, so guessing learns nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from typing import Any

import asyncpg
import orjson
import structlog

from service.background import every
from service.db.queries import Q
from service.trust import TrustListCache
from service.verification import log_step, register_status
from verifier import TrustedIssuer, TrustedKey, TrustList, kid_for, verify_record
from verifier.check import chain
from verifier.cose import sign1
from verifier.errors import VerificationError
from verifier.keys import raw_public
from verifier.record import encode_record
from verifier.result import (
    REGISTER_STEPS,
    Outcome,
    Step,
    StepResult,
    Verdict,
    VerificationResult,
)
from verifier.trust_list import encode_trust_list, sign_trust_list

log = structlog.get_logger(__name__)
# The public ceiling (architecture.md) as register columns; the issuer is added by its code.
PUBLIC_COLUMNS = (
    "kind",
    "holder_name",
    "date_of_birth",
    "major",
    "classification",
    "serial",
    "register_number",
    "issuer_name",
    "issued_on",
)


def _decoy() -> tuple[bytes, TrustList]:
    """A signed record and a trust list of a throw-away key: a miss verifies it, so that it
    costs what a hit costs."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    moment = datetime(2020, 1, 1, tzinfo=UTC)
    record = encode_record(
        {
            "v": 1,
            "issuer": "DECOY",
            "kind": "thpt",
            "regulation": "TT21/2019",
            "serial": "X",
            "register_number": "1/2020",
            "holder_name": "Decoy",
            "date_of_birth": "2000-01-01",
            "gender": "male",
            "graduation_year": 2020,
            "place_of_issue": "-",
            "issued_on": "2020-01-02",
            "signer_name": "-",
            "signer_title": "-",
            "salt": os.urandom(16),
            "issued_at": int(moment.timestamp()) + 60,
        }
    )
    trusted = TrustedKey(
        kid_for(key.public_key()), "DECOY", key.public_key(), raw_public(key.public_key()), moment
    )
    root = Ed25519PrivateKey.generate()
    listed = encode_trust_list(
        [TrustedIssuer("DECOY", "-", "other", None)], [trusted], updated_at=moment
    )
    trust = TrustList.from_bytes(sign_trust_list(listed, root), root_key=root.public_key())
    return sign1(record, key, trusted.kid), trust


_DECOY_RECORD, _DECOY_TRUST = _decoy()


def _not_found() -> VerificationResult:
    steps = (
        StepResult(Step.TOKEN_DECODED, Outcome.SKIPPED, Step.TOKEN_DECODED, "by_serial"),
        StepResult(Step.SIGNATURE_VALID, Outcome.SKIPPED, Step.SIGNATURE_VALID, "no_record"),
        StepResult(
            Step.KEY_TRUSTED_AT_ISSUANCE, Outcome.SKIPPED, Step.KEY_TRUSTED_AT_ISSUANCE, "no_record"
        ),
        StepResult(
            Step.PRESENT_IN_REGISTER,
            Outcome.FAILED,
            "not_in_register",
            "no published diploma with this serial and date of birth",
        ),
        StepResult(Step.CURRENT_STATUS, Outcome.SKIPPED, Step.CURRENT_STATUS, ""),
        StepResult(Step.LOG_INCLUDED, Outcome.SKIPPED, Step.LOG_INCLUDED, ""),
    )
    return VerificationResult(Verdict.NOT_FOUND, steps, {}, None, datetime.now(UTC))


async def lookup(
    pool: asyncpg.Pool[Any],
    trust: TrustListCache,
    *,
    serial: str,
    date_of_birth: date,
    issuer: str | None,
) -> tuple[VerificationResult, uuid.UUID | None]:
    """The result, and the diploma found (for counting), by serial and date of birth."""
    trust_list = (await trust.current(pool)).parsed
    async with pool.acquire() as conn:
        rows = await conn.fetch(Q.lookup_by_serial, serial.strip().upper(), issuer)
    # The date of birth as printed on the paper, or as a correction has put it right.
    matches = [r for r in rows if r["published"] and date_of_birth in _births(r)]
    if len(matches) != 1:
        # The same work as a hit: one signature verified.
        with contextlib.suppress(VerificationError):
            verify_record(_DECOY_RECORD, _DECOY_TRUST)
        return _not_found(), None
    row = matches[0]
    fields: dict[str, Any] = {"issuer": row["issuer_code"]}
    for name in PUBLIC_COLUMNS:
        value = row[name]
        if value is not None:
            fields[name] = value.isoformat() if isinstance(value, date) else value
    by_serial = StepResult(Step.TOKEN_DECODED, Outcome.SKIPPED, Step.TOKEN_DECODED, "by_serial")
    try:
        verify_record(bytes(row["signed"]), trust_list)
    except VerificationError as exc:
        # The register holds a record its own trust list does not vouch for: edited rows.
        log.warning("stored_record_does_not_verify", diploma_id=str(row["id"]), reason=exc.code)
        register = [StepResult(s, Outcome.SKIPPED, s, "") for s in REGISTER_STEPS]
        steps = (by_serial, *chain(_SIGNATURE_STEPS, exc), *register)
        return VerificationResult(Verdict.NOT_GENUINE, steps, fields, None, datetime.now(UTC)), row[
            "id"
        ]
    present = StepResult(Step.PRESENT_IN_REGISTER, Outcome.PASSED, Step.PRESENT_IN_REGISTER, "")
    status, verdict, state = register_status(row)
    steps = (by_serial, *chain(_SIGNATURE_STEPS, None), present, status, log_step(row))
    return VerificationResult(
        verdict, steps, fields, bytes(row["kid"]).hex(), datetime.now(UTC), state
    ), row["id"]


def _births(row: asyncpg.Record) -> tuple[date, ...]:
    if row["corrected_current"] is None:
        return (row["date_of_birth"],)
    corrected = date.fromisoformat(orjson.loads(row["corrected_current"])["date_of_birth"])
    return (row["date_of_birth"], corrected)


_SIGNATURE_STEPS = (Step.SIGNATURE_VALID, Step.KEY_TRUSTED_AT_ISSUANCE)


class VerificationCounter:
    """Counts verifications per diploma in memory and adds them to the database every few
    seconds in one statement: a hot diploma never becomes a hot row. Counts not yet flushed
    are lost if the process dies; they are statistics, not the register. A diploma's last
    verification is recorded as the time of the flush that saves it, at most `interval`
    seconds late."""

    def __init__(self, interval: float = 2.0) -> None:
        self.interval = interval
        self._pending: defaultdict[uuid.UUID, int] = defaultdict(int)
        # One flush at a time: when flush() returns, everything counted before it is saved,
        # even if the periodic flush was writing when it was called.
        self._flushing = asyncio.Lock()

    def count(self, diploma_id: uuid.UUID) -> None:
        self._pending[diploma_id] += 1

    async def flush(self, pool: asyncpg.Pool[Any]) -> int:
        async with self._flushing:
            return await self._flush(pool)

    async def _flush(self, pool: asyncpg.Pool[Any]) -> int:
        if not self._pending:
            return 0
        pending, self._pending = self._pending, defaultdict(int)
        ids = list(pending)
        async with pool.acquire() as conn:
            await conn.execute(
                Q.count_verifications, ids, [pending[i] for i in ids], datetime.now(UTC)
            )
        return len(ids)

    @contextlib.asynccontextmanager
    async def running(self, pool: asyncpg.Pool[Any]) -> AsyncIterator[None]:
        async with every(self.interval, lambda: self.flush(pool), "verification_counts_not_saved"):
            yield
        await self.flush(pool)
