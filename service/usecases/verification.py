"""Checking a QR token with the register: the offline checks of the verifier, then whether
the register holds the very record the token was made from, and its current status.

The register keeps the SHA-256 of every token it issues (0022_token_digests). A check asks
for the diploma the token names, with its status, and whether the token's bytes are that
diploma's token as issued, in one batched query; bytes the register recognises need no
signature verification (Ed25519 is deterministic: the same token is the same bytes), only
the key's trust at issuance, judged against the current trust list. Bytes it does not know
are verified in full, as `vanbang-verify` verifies them.

`current_status` answers in force, corrected (with the current content and the decision),
replaced (with the new serial) or revoked (with the decision).
"""

from __future__ import annotations

import hashlib
import uuid
from collections import OrderedDict
from datetime import UTC, datetime
from typing import Any

import asyncpg

from service.db.standing import StandingReader
from service.domain.standing import public_status
from service.usecases.trust_list import SignedTrustList, TrustListCache
from verifier.check import check_recognised, check_token, genuine, read_token
from verifier.errors import VerificationError
from verifier.result import Outcome, Step, StepResult, Verdict, VerificationResult
from verifier.token import record_digest, token_from_text, token_key

# A token read but not yet verified: its fields as shown, its key id, the SHA-256 of its bytes.
Read = tuple[dict[str, Any], bytes, bytes]


class CheckedTokens:
    """What is remembered of recently seen tokens, so that a QR code scanned again costs
    less. Both kinds are kept only for genuine tokens (they are as many as real diplomas,
    and a client sending junk cannot fill them), and only as tuples of dicts of strings and
    numbers, which the garbage collector does not track, so a full cache adds nothing to a
    collection's pause (whole results did: 40,000 objects for 5,000 tokens).

    - `read`: a token's fields, key id and digest, decoded once, for tokens the register
      recognised (`keep`); they do not depend on the trust list.
    - `check`: the full offline check (the signature verified), for tokens it does not
      know. Checking the same bytes against the same trust list always gives the same
      answer; a changed trust list (new ETag) starts afresh.

    The register is still asked every time. `verified` counts the signatures this cache
    had verified (a full check past decoding) and `recognised` the checks answered by
    recognition, for tests and the bench."""

    def __init__(self, size: int = 20_000) -> None:
        self._size = size
        self._genuine: OrderedDict[tuple[str, str], tuple[dict[str, Any], str]] = OrderedDict()
        self._read: OrderedDict[str, Read] = OrderedDict()
        self.hits = 0
        self.verified = 0
        self.recognised = 0

    def read(self, text: str) -> Read | None:
        """The token in `text` decoded, not verified; None when it is not well-formed."""
        key = token_key(text)
        kept = self._read.get(key)
        if kept is not None:
            self._read.move_to_end(key)
            return kept
        try:
            token = token_from_text(text)
            fields, kid = read_token(token)
        except VerificationError:
            return None
        return fields, kid, hashlib.sha256(token).digest()

    def keep(self, text: str, read: Read) -> None:
        """Remembers a token the register recognised as its own."""
        self.recognised += 1
        key = token_key(text)
        if key not in self._read:
            self._read[key] = read
            if len(self._read) > self._size:
                self._read.popitem(last=False)

    def check(self, text: str, signed: SignedTrustList) -> VerificationResult:
        # Keyed by the token's text as a QR code writes it, so a hit decodes nothing.
        key = (signed.etag, token_key(text))
        kept = self._genuine.get(key)
        if kept is not None:
            self.hits += 1
            self._genuine.move_to_end(key)
            return genuine(*kept)
        try:
            token = token_from_text(text)
        except VerificationError:
            return check_token(text, signed.parsed)  # malformed: nothing worth keeping
        self.verified += 1
        result = check_token(token, signed.parsed)
        if result.verdict == Verdict.GENUINE and result.kid is not None:
            self._genuine[key] = (result.fields, result.kid)
            if len(self._genuine) > self._size:
                self._genuine.popitem(last=False)
        return result


def _askable(*values: Any) -> bool:
    """Whether the register can be asked for these values: text PostgreSQL can hold. A
    token's fields are read before its signature is known good, and one value the database
    refuses would fail every check in its batch."""
    return all(isinstance(v, str) and "\x00" not in v for v in values)


async def verify_online(
    pool: asyncpg.Pool[Any],
    standing: StandingReader,
    trust: TrustListCache,
    text: str,
    checked: CheckedTokens | None = None,
) -> tuple[VerificationResult, uuid.UUID | None]:
    """The result, and the diploma the token is of when the register holds it. `pool`
    serves the trust list; the register is read through `standing`."""
    signed = await trust.current(pool)
    checked = checked if checked is not None else CheckedTokens(size=0)
    read = checked.read(text)
    if read is None:  # not a token: which check fails, and why
        return check_token(text, signed.parsed), None
    fields, kid, digest = read
    serial, issuer, kind = fields["serial"], fields["issuer"], fields["kind"]
    row = None
    if _askable(serial, issuer, kind):
        try:
            row = await standing.find(serial, issuer, kind, digest)
        except Exception:
            # As before the register was asked first: a token that fails its own checks
            # says so even when the register cannot be read.
            result = checked.check(text, signed)
            if not result.ok:
                return result, None
            raise
    if row is not None and row["recognised"]:
        result = check_recognised(fields, kid, signed.parsed)
        checked.keep(text, read)
    else:
        result = checked.check(text, signed)
    if not result.ok:
        return result, None
    checked_at = datetime.now(UTC)
    if row is None or record_digest(bytes(row["signed"])).hex() != fields["record_digest"]:
        reason = "not_in_register" if row is None else "record_mismatch"
        present = StepResult(
            Step.PRESENT_IN_REGISTER,
            Outcome.FAILED,
            reason,
            f"serial {fields['serial']} of {fields['issuer']}",
        )
        status = StepResult(Step.CURRENT_STATUS, Outcome.SKIPPED, Step.CURRENT_STATUS, "")
        return result.with_register(present, status, Verdict.NOT_FOUND, checked_at), None
    present = StepResult(Step.PRESENT_IN_REGISTER, Outcome.PASSED, Step.PRESENT_IN_REGISTER, "")
    status, verdict, state = public_status(row)
    logged = log_step(row)
    return result.with_register(present, status, verdict, checked_at, state, logged), row["id"]


def log_step(row: Any) -> StepResult:
    """Whether the record's issue is a leaf of the issuance log yet (a few seconds after
    registration it is; until then it waits in the sequencer's queue)."""
    index = row["log_index"]
    if index is None:
        return StepResult(Step.LOG_INCLUDED, Outcome.SKIPPED, Step.LOG_INCLUDED, "pending")
    return StepResult(Step.LOG_INCLUDED, Outcome.PASSED, Step.LOG_INCLUDED, f"leaf {index}")
