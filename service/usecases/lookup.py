"""Public verification without an account: by QR token, or by serial and date of birth.

Lookup by serial answers only a caller who also knows the date of birth, and every miss (no
such serial, a wrong date of birth, an unpublished record) gives the same verdict, body and
work, a signature verification included, so guessing learns nothing.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from datetime import UTC, date, datetime
from typing import Any

import asyncpg
import structlog

from service.db import standing as standing_db
from service.domain.standing import births, public_status
from service.usecases.trust_list import TrustListCache
from service.usecases.verification import log_step
from verifier import TrustedIssuer, TrustedKey, TrustList, kid_for, verify_record
from verifier.check import chain, with_custodian
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
        rows = await standing_db.lookup_by_serial(conn, serial.strip().upper(), issuer)
    # The date of birth as printed on the paper, or as a correction has put it right.
    matches = [
        r
        for r in rows
        if r["published"] and date_of_birth in births(r["date_of_birth"], r["corrected_current"])
    ]
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
    status, verdict, state = public_status(row)
    steps = (by_serial, *chain(_SIGNATURE_STEPS, None), present, status, log_step(row))
    found = VerificationResult(
        verdict, steps, fields, bytes(row["kid"]).hex(), datetime.now(UTC), state
    )
    return with_custodian(found, trust_list), row["id"]


_SIGNATURE_STEPS = (Step.SIGNATURE_VALID, Step.KEY_TRUSTED_AT_ISSUANCE)
