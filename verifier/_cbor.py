"""Deterministic CBOR (RFC 8949 section 4.2.1) for everything vanbang signs.

Map keys are sorted in the bytewise lexicographic order of their deterministic encodings, as
section 4.2.1 requires (not the length-first order of RFC 7049's "canonical CBOR", which
cbor2's canonical mode follows: the two differ once integer keys of 24 and more meet
negative ones, `{100: 1, -1: 2}` say, or keys of different types). Containers and tags are
encoded here; each other item by cbor2 in its canonical mode, which gives the shortest
heads and definite lengths that section 4.2.1 asks for. Decoding is strict: a document
must re-encode to exactly its own bytes, so a map in any other order is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import cbor2

from verifier.errors import MalformedError


def head(major: int, value: int) -> bytes:
    """A CBOR item head in its shortest form (RFC 8949 4.2.1)."""
    if value < 24:
        return bytes([major << 5 | value])
    for extra, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if value < 1 << (8 * size):
            return bytes([major << 5 | extra]) + value.to_bytes(size, "big")
    raise ValueError("integer too large for CBOR")


def _encode(value: Any) -> bytes:
    kind = type(value)
    # The common items first, written here (cbor2's C encoder costs more to call than this).
    if kind is int and -(1 << 64) <= value < 1 << 64:
        return head(0, value) if value >= 0 else head(1, -1 - value)
    if kind is str:
        data: bytes = value.encode()
        return head(3, len(data)) + data
    if kind is bytes:
        raw: bytes = value
        return head(2, len(raw)) + raw
    if isinstance(value, Mapping):
        items = sorted((_encode(k), _encode(v)) for k, v in value.items())
        if len({key for key, _ in items}) != len(items):
            raise ValueError("a map has two keys with the same encoding")
        return head(5, len(items)) + b"".join(k + v for k, v in items)
    if isinstance(value, list | tuple):
        return head(4, len(value)) + b"".join(_encode(v) for v in value)
    if isinstance(value, cbor2.CBORTag):
        return head(6, value.tag) + _encode(value.value)
    encoded: bytes = cbor2.dumps(value, canonical=True)
    return encoded


def _refuse_floats(value: Any) -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            _refuse_floats(key)
            _refuse_floats(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _refuse_floats(item)
    elif isinstance(value, float):
        raise ValueError("signed documents carry no floating-point numbers")


def canonical(value: Any) -> bytes:
    """The deterministic encoding of `value` (maps, lists, text, bytes, ints, bool, None)."""
    _refuse_floats(value)
    return _encode(value)


def sorted_keys(keys: Any) -> list[Any]:
    """Map keys in the order `canonical` writes them: for callers that build a map already
    in that order and encode it with `fast_encode`."""
    return sorted(keys, key=_encode)


def fast_encode(value: Any) -> bytes:
    """Encodes without sorting: canonical only when the caller built every map in canonical
    key order and used no floats (as verifier.record does; its tests compare the two)."""
    return cbor2.dumps(value)


def decode(data: bytes, *, what: str) -> Any:
    """Decodes one CBOR item; raises MalformedError unless it is deterministically encoded
    and free of floating-point numbers (which no signed document of vanbang carries)."""
    try:
        value = cbor2.loads(data)
    except Exception as exc:  # cbor2 raises several types for broken input
        raise MalformedError(f"{what} is not valid CBOR: {exc}") from None
    try:
        _refuse_floats(value)  # as `canonical` does: what decodes here can be signed again
        again = _encode(value)
    except Exception as exc:
        raise MalformedError(f"{what} holds values that cannot be re-encoded: {exc}") from None
    if again != data:
        raise MalformedError(f"{what} is not deterministically encoded (RFC 8949 4.2.1)")
    return value
