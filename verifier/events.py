"""Signed lifecycle statements: deterministic CBOR signed as COSE_Sign1 by the issuer's key,
so that a correction, a revocation, a copy or a handover is as verifiable as the diploma it
is about.

Every statement names its type, the issuer and, where it concerns a diploma, the diploma by
serial and by the digest of its signed record; `issued_at` is when it was recorded. The fields
of each type are fixed here, so that a statement never carries more than it should (no
requester identity numbers, no ethnicity values).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from verifier._cbor import canonical, decode
from verifier._signed import Verified, verify_signed
from verifier.errors import MalformedError
from verifier.trust_list import TrustList

EVENT_VERSION = 1
_COMMON = frozenset({"v", "type", "issuer", "issued_at"})
_DIPLOMA = _COMMON | {"serial", "record_digest"}
EVENT_FIELDS: dict[str, frozenset[str]] = {
    "revocation": _DIPLOMA | {"decision_number", "decided_on", "authority", "ground", "reason"},
    # changed: the names of the fields changed (the values are in the new record version)
    "correction": _DIPLOMA
    | {"decision_number", "decided_on", "ground", "changed", "version", "new_record_digest"},
    "reissue": _DIPLOMA | {"new_serial", "new_record_digest", "changed"},
    "copy": _DIPLOMA | {"number", "copies", "relation", "issued_on"},
    # who received the diploma and when (Art. 13); never their identity document
    "handover": _DIPLOMA | {"recipient_name", "relation", "handed_over_on", "handed_over_by"},
    "blanks_received": _COMMON
    | {"kind", "first_serial", "last_serial", "count", "received_on", "reference"},
    "blanks_spoiled": _COMMON | {"kind", "serials", "occurred_on", "reason"},
    "blanks_destroyed": _COMMON
    | {"kind", "serials", "minutes_number", "council", "method", "destroyed_on", "reason"},
    # The issuer's register passed from one custodian (the issuer itself at first) to another,
    # signed by the receiving custodian's key (docs/custody.md).
    "custody_transfer": _COMMON
    | {"from_custodian", "to_custodian", "effective_on", "legal_basis", "reason"},
}


def encode_event(fields: Mapping[str, Any]) -> bytes:
    """The payload of a statement of type fields["type"], with exactly that type's fields."""
    expected = EVENT_FIELDS.get(fields.get("type", ""))
    if expected is None:
        raise ValueError(f"unknown event type {fields.get('type')!r}")
    if set(fields) != expected:
        raise ValueError(f"{fields['type']} fields: {sorted(set(fields) ^ expected)}")
    return canonical(dict(fields))


def encode_revocation(fields: Mapping[str, Any]) -> bytes:
    """A revocation statement: which record (by its digest) was revoked, by which decision,
    on which ground."""
    if fields.get("type") != "revocation":
        raise ValueError("not a revocation")
    return encode_event(fields)


def decode_event(payload: bytes) -> dict[str, Any]:
    decoded = decode(payload, what="the statement")
    if not isinstance(decoded, Mapping):
        raise MalformedError("the statement is not a map")
    fields = dict(decoded)
    expected = EVENT_FIELDS.get(fields.get("type"))  # type: ignore[arg-type]
    if expected is None or set(fields) != expected or fields["v"] != EVENT_VERSION:
        raise MalformedError(f"not a version {EVENT_VERSION} lifecycle statement")
    if not isinstance(fields["issued_at"], int) or not isinstance(fields["issuer"], str):
        raise MalformedError("the statement's issuer or issued-at has the wrong type")
    return fields


def verify_event(signed: bytes, trust_list: TrustList) -> Verified:
    """Checks a signed lifecycle statement as a record is checked: a trusted key of the
    issuer it names, valid when it was recorded."""
    return verify_signed(signed, trust_list, what="the statement", decode_payload=decode_event)
