"""Checking a QR code step by step into a VerificationResult."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from verifier._signed import judge_issuance, trusted_key, verify_parsed
from verifier.cose import Sign1, parse_sign1
from verifier.errors import (
    IssuerMismatchError,
    KeyCompromisedError,
    KeyNotValidError,
    MalformedError,
    SignatureError,
    UnknownKeyError,
    UnsupportedAlgorithmError,
    VerificationError,
)
from verifier.result import (
    RECOGNISED,
    REGISTER_STEPS,
    Outcome,
    Step,
    StepResult,
    Verdict,
    VerificationResult,
)
from verifier.token import decode_token, token_from_text
from verifier.trust_list import TrustList

_STEP_OF: dict[type[VerificationError], Step] = {
    MalformedError: Step.TOKEN_DECODED,
    UnsupportedAlgorithmError: Step.SIGNATURE_VALID,
    UnknownKeyError: Step.SIGNATURE_VALID,
    SignatureError: Step.SIGNATURE_VALID,
    IssuerMismatchError: Step.KEY_TRUSTED_AT_ISSUANCE,
    KeyNotValidError: Step.KEY_TRUSTED_AT_ISSUANCE,
    KeyCompromisedError: Step.KEY_TRUSTED_AT_ISSUANCE,
}
_ORDER = (Step.TOKEN_DECODED, Step.SIGNATURE_VALID, Step.KEY_TRUSTED_AT_ISSUANCE)
_OFFLINE = REGISTER_STEPS
_GENUINE_STEPS = (
    *(StepResult(step, Outcome.PASSED, step.value, "") for step in _ORDER),
    *(StepResult(step, Outcome.SKIPPED, step.value, "offline") for step in _OFFLINE),
)


def public_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """The token's fields as shown to a person: the record digest as hex."""
    return {k: (v.hex() if isinstance(v, bytes) else v) for k, v in fields.items()}


def chain(order: Sequence[Step], failure: VerificationError | None) -> list[StepResult]:
    """The steps in `order`: passed up to the one `failure` belongs to, that one failed with
    its reason, the rest skipped; all passed when there is no failure."""
    failed = None if failure is None else _STEP_OF.get(type(failure), Step.TOKEN_DECODED)
    steps = []
    for step in order:
        if failed is None or order.index(step) < order.index(failed):
            steps.append(StepResult(step, Outcome.PASSED, step.value, ""))
        elif step == failed:
            assert failure is not None
            steps.append(StepResult(step, Outcome.FAILED, failure.code, str(failure)))
        else:
            steps.append(StepResult(step, Outcome.SKIPPED, step.value, ""))
    return steps


def check_token(text: str | bytes, trust_list: TrustList) -> VerificationResult:
    """Checks a QR text (or the raw token bytes) offline: decoding, signature, and the key's
    trust at issuance. The register's status needs the service and is reported skipped."""
    decoded: dict[str, Any] = {}
    message: Sign1 | None = None
    # After a failure the register steps are skipped for that reason, not for being offline.
    after_failure = [StepResult(step, Outcome.SKIPPED, step.value, "") for step in _OFFLINE]
    try:
        token = token_from_text(text) if isinstance(text, str) else text
        message = parse_sign1(token, what="the token")
        fields = decode_token(message.payload)
        decoded = public_fields(fields)
        verified = verify_parsed(
            message, trust_list, what="the token", decode_payload=decode_token, fields=fields
        )
    except VerificationError as exc:
        return VerificationResult(
            Verdict.NOT_GENUINE,
            (*chain(_ORDER, exc), *after_failure),
            decoded,
            message.kid.hex() if message else None,
        )
    return with_custodian(
        genuine(public_fields(dict(verified.fields)), verified.kid.hex()), trust_list
    )


def with_custodian(result: VerificationResult, trust_list: TrustList) -> VerificationResult:
    """The result naming the body that holds the issuer's register now, when the trust list
    says it passed to another (docs/custody.md); a false code's issuer is not looked up."""
    issuer = result.fields.get("issuer")
    if result.verdict == Verdict.NOT_GENUINE or not isinstance(issuer, str):
        return result
    custody = trust_list.custodian(issuer)
    if custody is None:
        return result
    holder = trust_list.issuers.get(custody.custodian)
    return replace(
        result,
        custodian={
            "code": custody.custodian,
            "name": holder.name if holder is not None else custody.custodian,
            "since": custody.effective_on,
            "legal_basis": custody.legal_basis,
        },
    )


def genuine(fields: dict[str, Any], kid: str) -> VerificationResult:
    """The offline result of a token that passed every offline check."""
    return VerificationResult(Verdict.GENUINE, _GENUINE_STEPS, fields, kid)


# A register's own token: the signature step passed by recognising the bytes, not verifying.
_RECOGNISED_STEP = StepResult(Step.SIGNATURE_VALID, Outcome.PASSED, RECOGNISED, "")
_RECOGNISED_STEPS = tuple(
    _RECOGNISED_STEP if s.step == Step.SIGNATURE_VALID else s for s in _GENUINE_STEPS
)


def check_recognised(
    fields: dict[str, Any], kid: bytes, trust_list: TrustList
) -> VerificationResult:
    """The offline checks of a token whose exact bytes a register recognises as a token it
    signed and issued (the service keeps the SHA-256 of each: Ed25519 is deterministic, so
    the same token is the same bytes). Its signature is not verified again, and its step
    says so (`recognised`); the key is judged against `trust_list` as `check_token` judges
    it: known, its issuer's, and trusted at the token's issued-at, so a key marked
    compromised since changes the answer. `fields` as `public_fields` shows them.

    Only a register may use this, for bytes it knows it issued; a verifier without the
    register verifies every signature (`check_token`)."""
    try:
        judge_issuance(trusted_key(kid, trust_list), fields, trust_list, what="the token")
    except VerificationError as exc:
        steps = [
            _RECOGNISED_STEP
            if s.step == Step.SIGNATURE_VALID and s.outcome == Outcome.PASSED
            else s
            for s in chain(_ORDER, exc)
        ]
        after_failure = [StepResult(step, Outcome.SKIPPED, step.value, "") for step in _OFFLINE]
        return VerificationResult(Verdict.NOT_GENUINE, (*steps, *after_failure), fields, kid.hex())
    return with_custodian(
        VerificationResult(Verdict.GENUINE, _RECOGNISED_STEPS, fields, kid.hex()), trust_list
    )
