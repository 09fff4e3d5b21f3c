"""The checks every signed document gets: COSE_Sign1 parsed from the bytes received, a trusted
key, the signature, the key's issuer, and the key's validity at the document's issued-at."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from verifier.cose import Sign1, parse_sign1
from verifier.errors import IssuerMismatchError, KeyNotValidError, UnknownKeyError
from verifier.trust_list import TrustedKey, TrustList


@dataclass(frozen=True)
class Verified:
    """A signed record or QR token that passed every check, with its decoded fields."""

    fields: Mapping[str, Any]
    kid: bytes
    issuer: str
    issued_at: datetime


def verify_signed(
    data: bytes,
    trust_list: TrustList,
    *,
    what: str,
    decode_payload: Callable[[bytes], dict[str, Any]],
) -> Verified:
    message = parse_sign1(data, what=what)
    return verify_parsed(message, trust_list, what=what, decode_payload=decode_payload)


def verify_parsed(
    message: Sign1,
    trust_list: TrustList,
    *,
    what: str,
    decode_payload: Callable[[bytes], dict[str, Any]],
    fields: dict[str, Any] | None = None,
) -> Verified:
    """The checks after parsing; `fields` when the caller already decoded the payload."""
    key = trusted_key(message.kid, trust_list)
    message.verify(key.public_key)
    if fields is None:
        fields = decode_payload(message.payload)
    issued_at = judge_issuance(key, fields, trust_list, what=what)
    return Verified(fields, message.kid, key.issuer, issued_at)


def trusted_key(kid: bytes, trust_list: TrustList) -> TrustedKey:
    """The trust list's key of this id; raises UnknownKeyError when it has none."""
    key = trust_list.key(kid)
    if key is None:
        raise UnknownKeyError(f"no trusted key has the id {kid.hex()}")
    return key


def judge_issuance(
    key: TrustedKey, fields: Mapping[str, Any], trust_list: TrustList, *, what: str
) -> datetime:
    """The document's issued-at, once the key is found to be that of the body holding the
    issuer's register at that moment (the issuer itself, or after a transfer of custody its
    custodian) and trusted to sign then (not before its validity, not after it, not once
    compromised)."""
    issuer = fields["issuer"]
    issued_at = datetime.fromtimestamp(fields["issued_at"], UTC)
    if key.issuer != issuer or issuer in trust_list.custody:
        holders = trust_list.holders_at(issuer, issued_at)
        if key.issuer not in holders:
            if key.issuer == issuer:
                custody = trust_list.custody[issuer][0]
                raise KeyNotValidError(
                    f"{issuer}'s register passed to {custody.custodian} at "
                    f"{custody.since.isoformat()}: its key {key.kid.hex()} signs nothing of it "
                    f"after that, and {what} says {issued_at.isoformat()}"
                )
            held = any(c.custodian == key.issuer for c in trust_list.custody.get(issuer, ()))
            raise IssuerMismatchError(
                f"{what} names issuer {issuer}, but key {key.kid.hex()} is {key.issuer}'s"
                + (
                    f", which did not hold {issuer}'s register at {issued_at.isoformat()}"
                    if held
                    else ""
                )
            )
    key.check_at(issued_at)
    return issued_at
