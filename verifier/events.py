"""Signed lifecycle statements (revocation so far): deterministic CBOR signed as COSE_Sign1 by
the issuer's key, so that a revocation is as verifiable as the diploma it revokes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from verifier._cbor import canonical

EVENT_VERSION = 1
REVOCATION_FIELDS = frozenset(
    {
        "v",
        "type",
        "issuer",
        "serial",
        "record_digest",
        "decision_number",
        "decided_on",
        "authority",
        "ground",
        "reason",
        "issued_at",
    }
)


def encode_revocation(fields: Mapping[str, Any]) -> bytes:
    """The payload of a revocation statement: which record (by its digest) was revoked, by
    which decision, on which ground; `issued_at` is when it was recorded."""
    if set(fields) != REVOCATION_FIELDS:
        raise ValueError(f"revocation fields: {sorted(set(fields) ^ REVOCATION_FIELDS)}")
    return canonical(dict(fields))
