"""The checks every signed document gets: COSE_Sign1 parsed from the bytes received, a trusted
key, the signature, the key's issuer, and the key's validity at the document's issued-at."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from verifier.cose import Sign1, parse_sign1
from verifier.errors import IssuerMismatchError, UnknownKeyError
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
    issued_at = judge_issuance(key, fields, what=what)
    return Verified(fields, message.kid, key.issuer, issued_at)


def trusted_key(kid: bytes, trust_list: TrustList) -> TrustedKey:
    """The trust list's key of this id; raises UnknownKeyError when it has none."""
    key = trust_list.key(kid)
    if key is None:
        raise UnknownKeyError(f"no trusted key has the id {kid.hex()}")
    return key


def judge_issuance(key: TrustedKey, fields: Mapping[str, Any], *, what: str) -> datetime:
    """The document's issued-at, once the key is found to be its issuer's and trusted to sign
    at that moment (not before its validity, not after it, not once compromised)."""
    if fields["issuer"] != key.issuer:
        raise IssuerMismatchError(
            f"{what} names issuer {fields['issuer']}, but key {key.kid.hex()} is {key.issuer}'s"
        )
    issued_at = datetime.fromtimestamp(fields["issued_at"], UTC)
    key.check_at(issued_at)
    return issued_at
