"""Checking a QR token with the register: the offline checks of the verifier, then whether
the register holds the very record the token was made from, and its current status.

The register keeps the SHA-256 of every token it issues (0022_token_digests). A check first
asks for the diploma by the digest of its token's bytes, with its status, in one batched
query: bytes the register issued need no decoding and no signature verification (Ed25519 is
deterministic: the same token is the same bytes, and its fields are the diploma's row), only
the key's trust at issuance, judged against the current trust list. Bytes it does not know
are verified in full, as `vanbang-verify` verifies them, and the diploma is then asked for
by the serial they name, as before.

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

from service.db import lifecycle as lifecycle_db
from service.db.standing import StandingReader
from service.domain.standing import public_status
from service.qr.tokens import issued_fields
from service.usecases.trust_list import SignedTrustList, TrustListCache
from verifier.check import check_recognised, check_token, genuine, with_custodian
from verifier.errors import VerificationError
from verifier.result import Outcome, Step, StepResult, Verdict, VerificationResult
from verifier.token import is_copy, record_digest, token_from_text, token_key


class CheckedTokens:
    """What is remembered of recently seen tokens, so that a QR code scanned again costs
    less. Both kinds are kept only for genuine tokens (they are as many as real diplomas,
    and a client sending junk cannot fill them), and only as plain strings, bytes and
    dicts of them, which the garbage collector does not track, so a full cache adds
    nothing to a collection's pause (whole results did: 40,000 objects for 5,000 tokens).

    - `digest`: the SHA-256 of a token's bytes, kept for tokens the register recognised
      (`recognise`), so that a QR text scanned again is not decoded again.
    - `check`: the full offline check (the signature verified), for tokens it does not
      know. Checking the same bytes against the same trust list always gives the same
      answer; a changed trust list (new ETag) starts afresh.

    The register is still asked every time. `verified` counts the signatures verified
    (each full check past decoding) and `recognised` the checks answered by recognition,
    for tests and the bench."""

    def __init__(self, size: int = 20_000) -> None:
        self._size = size
        self._genuine: OrderedDict[tuple[str, str], tuple[dict[str, Any], str]] = OrderedDict()
        self._digests: OrderedDict[str, bytes] = OrderedDict()
        self.hits = 0
        self.verified = 0
        self.recognised = 0

    def digest(self, text: str) -> bytes | None:
        """The SHA-256 of the token in `text`; None when the text holds no token."""
        key = token_key(text)
        kept = self._digests.get(key)
        if kept is not None:
            self._digests.move_to_end(key)
            return kept
        try:
            return hashlib.sha256(token_from_text(text)).digest()
        except VerificationError:
            return None

    def recognise(self, text: str, digest: bytes) -> None:
        """Notes a token the register recognised as its own."""
        self.recognised += 1
        key = token_key(text)
        if key not in self._digests:
            self._digests[key] = digest
            if len(self._digests) > self._size:
                self._digests.popitem(last=False)

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
    """Whether the register can be asked for these values: text PostgreSQL can hold (one
    value the database refuses would fail every check in its batch)."""
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
    digest = checked.digest(text)
    if digest is None:  # no token in the text: which check fails, and why
        return check_token(text, signed.parsed), None
    try:
        row = await standing.find_token(digest)
    except Exception:
        # As before the register was asked first: a token that fails its own checks says
        # so even when the register cannot be read.
        result = checked.check(text, signed)
        if not result.ok:
            return result, None
        raise
    recognised = row is not None
    if row is not None:
        # The register's own token: its fields are the row's (its record digest the row's
        # signed record's, so the two agree by construction), its key judged afresh.
        fields = issued_fields(row)
        result = check_recognised(fields, bytes(row["kid"]), signed.parsed)
        checked.recognise(text, digest)
    else:
        result = checked.check(text, signed)
        fields = result.fields
        if result.ok and is_copy(fields):
            return await verify_copy(pool, standing, with_custodian(result, signed.parsed))
        if result.ok and _askable(fields["serial"], fields["issuer"], fields["kind"]):
            row = await standing.find(fields["serial"], fields["issuer"], fields["kind"])
    if not result.ok:
        return result, None
    # A remembered check carries no custodian: name the body holding the register now.
    result = with_custodian(result, signed.parsed)
    same = row is not None and (
        recognised or record_digest(bytes(row["signed"])).hex() == fields["record_digest"]
    )
    return with_register(result, row, same_record=same)


def with_register(
    result: VerificationResult,
    row: Any,
    *,
    same_record: bool,
    extra: dict[str, Any] | None = None,
    found: str = Step.PRESENT_IN_REGISTER,
    missing: str = "not_in_register",
) -> tuple[VerificationResult, uuid.UUID | None]:
    """A genuine offline result completed with what the register says of `row` (None: it
    holds no such diploma, `missing`): not found, or a different record than the one checked
    (`same_record` false), else (`found`) its current status (`extra` added to its
    projection) and whether the issuance log has it; and the diploma's id when it holds that
    record."""
    fields = result.fields
    checked_at = datetime.now(UTC)
    if row is None or not same_record:
        reason = missing if row is None else "record_mismatch"
        what = fields.get("copy_number") or fields["serial"]
        present = StepResult(
            Step.PRESENT_IN_REGISTER, Outcome.FAILED, reason, f"{what} of {fields['issuer']}"
        )
        status = StepResult(Step.CURRENT_STATUS, Outcome.SKIPPED, Step.CURRENT_STATUS, "")
        return result.with_register(present, status, Verdict.NOT_FOUND, checked_at), None
    present = StepResult(Step.PRESENT_IN_REGISTER, Outcome.PASSED, found, "")
    status, verdict, state = public_status(row)
    logged = log_step(row)
    state = {**state, **(extra or {})}
    return result.with_register(present, status, verdict, checked_at, state, logged), row["id"]


async def verify_copy(
    pool: asyncpg.Pool[Any], standing: StandingReader, result: VerificationResult
) -> tuple[VerificationResult, uuid.UUID | None]:
    """A certified copy's genuine token with the register: the copy register holds the very
    entry it names (by its number, and the digest of the signed entry), and the diploma it
    is a copy of stands as the register says now (in force, corrected, replaced, revoked).
    Copies are few; their tokens are verified in full, never recognised."""
    fields = result.fields
    row = None
    if _askable(fields["issuer"], fields["copy_number"], fields["serial"], fields["kind"]):
        entry = await lifecycle_db.find_copy(pool, fields["issuer"], fields["copy_number"])
        if (
            entry is not None
            and record_digest(bytes(entry["signed"])).hex() == fields["copy_digest"]
        ):
            row = await standing.find(fields["serial"], fields["issuer"], fields["kind"])
            row = row if row is not None and row["id"] == entry["diploma_id"] else None
    return with_register(
        result, row, same_record=True, found="copy_in_register", missing="copy_not_in_register"
    )


def log_step(row: Any) -> StepResult:
    """Whether the record's issue is a leaf of the issuance log yet (a few seconds after
    registration it is; until then it waits in the sequencer's queue)."""
    index = row["log_index"]
    if index is None:
        return StepResult(Step.LOG_INCLUDED, Outcome.SKIPPED, Step.LOG_INCLUDED, "pending")
    return StepResult(Step.LOG_INCLUDED, Outcome.PASSED, Step.LOG_INCLUDED, f"leaf {index}")
