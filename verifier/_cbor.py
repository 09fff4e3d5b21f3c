"""Deterministic CBOR (RFC 8949 section 4.2.1) for everything vanbang signs.

cbor2's canonical mode sorts map keys length-first, which is the same order as the bytewise
order of their encodings that RFC 8949 requires whenever every text key is shorter than 24
bytes and integer keys are small; `canonical` refuses anything else, so the two can never
disagree. Decoding is strict: a document must re-encode to exactly its own bytes.
"""

from __future__ import annotations

from typing import Any

import cbor2

from verifier.errors import MalformedError

MAX_KEY_BYTES = 23


def _check_keys(value: Any) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str):
                if len(key.encode()) > MAX_KEY_BYTES:
                    raise ValueError(f"map key {key!r} is longer than {MAX_KEY_BYTES} bytes")
            elif not (isinstance(key, int) and -24 <= key < 24):
                raise ValueError(f"map key {key!r} must be short text or a small integer")
            _check_keys(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _check_keys(item)
    elif isinstance(value, float):
        raise ValueError("signed documents carry no floating-point numbers")


def canonical(value: Any) -> bytes:
    """The deterministic encoding of `value` (maps, lists, text, bytes, ints, bool, None)."""
    _check_keys(value)
    return cbor2.dumps(value, canonical=True)


def fast_encode(value: Any) -> bytes:
    """Encodes without sorting: canonical only when the caller built every map in canonical
    key order and used no floats (as verifier.record does; its tests compare the two)."""
    return cbor2.dumps(value)


def decode(data: bytes, *, what: str) -> Any:
    """Decodes one CBOR item; raises MalformedError unless it is deterministically encoded."""
    try:
        value = cbor2.loads(data)
    except Exception as exc:  # cbor2 raises several types for broken input
        raise MalformedError(f"{what} is not valid CBOR: {exc}") from None
    try:
        again = cbor2.dumps(value, canonical=True)
    except Exception as exc:
        raise MalformedError(f"{what} holds values that cannot be re-encoded: {exc}") from None
    if again != data:
        raise MalformedError(f"{what} is not deterministically encoded (RFC 8949 4.2.1)")
    return value
