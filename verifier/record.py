"""The signed register record: what vanbang signs for every diploma at registration.

The payload is deterministic CBOR of a map with the fields printed on the diploma plus
issuer code, kind, regulation, serial, register number, a random salt and the issued-at time
(docs/trust-list.md lists them). Absent optional fields are left out, never null.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from verifier._cbor import decode, fast_encode, sorted_keys
from verifier._signed import Verified, verify_signed
from verifier.errors import MalformedError
from verifier.trust_list import TrustList

RECORD_VERSION = 1
REQUIRED_FIELDS = (
    "v",
    "issuer",
    "kind",
    "regulation",
    "serial",
    "register_number",
    "holder_name",
    "date_of_birth",
    "gender",
    "graduation_year",
    "place_of_issue",
    "issued_on",
    "signer_name",
    "signer_title",
    "salt",
    "issued_at",
)
OPTIONAL_FIELDS = (
    "place_of_birth",
    "major",
    "classification",
    "mode_of_study",
    "signer_on_behalf_of",
    # Lifecycle: a correction's new version names the version it supersedes and its decision;
    # a re-issued diploma names the record it replaces (digests as in verifier.token).
    "version",
    "supersedes",
    "correction_decision",
    "replaces",
)
FIELDS = frozenset(REQUIRED_FIELDS + OPTIONAL_FIELDS)
# RFC 8949 4.2.1 order (bytewise order of the encoded keys). A map built in this order
# encodes canonically without the encoder sorting it, which is most of its cost.
_CANONICAL_ORDER = tuple(sorted_keys(FIELDS))
_REQUIRED = frozenset(REQUIRED_FIELDS)


def encode_record(fields: Mapping[str, Any]) -> bytes:
    """Deterministic CBOR of a record's fields; None values are left out."""
    present = {k: fields[k] for k in _CANONICAL_ORDER if fields.get(k) is not None}
    if len(present) != sum(1 for v in fields.values() if v is not None) or not (
        present.keys() >= _REQUIRED
    ):
        unknown = sorted(fields.keys() - FIELDS)
        missing = sorted(_REQUIRED - present.keys())
        raise ValueError(f"record fields: unknown {unknown}, missing {missing}")
    return fast_encode(present)


def decode_record(payload: bytes) -> dict[str, Any]:
    decoded = decode(payload, what="the record")
    if not isinstance(decoded, Mapping) or not set(REQUIRED_FIELDS) <= decoded.keys():
        raise MalformedError("the record lacks required fields")
    fields = dict(decoded)
    if fields["v"] != RECORD_VERSION:
        raise MalformedError(f"record format {fields['v']!r} is not {RECORD_VERSION}")
    if not isinstance(fields["issued_at"], int) or not isinstance(fields["issuer"], str):
        raise MalformedError("the record's issuer or issued-at has the wrong type")
    return fields


def verify_record(signed: bytes, trust_list: TrustList) -> Verified:
    """Checks a signed record against the trust list, judging its key at the record's
    issued-at time; raises a VerificationError naming the first check that fails."""
    return verify_signed(signed, trust_list, what="the signed record", decode_payload=decode_record)
