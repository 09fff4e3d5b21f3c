"""COSE_Sign1 (RFC 9052 section 4.2) with EdDSA over Ed25519, the only algorithm accepted.

The protected header carries the algorithm (-8, EdDSA) and the key id; the unprotected header
is empty. A protected `crit` (RFC 9052 section 3.1) may only name parameters this verifier
processes and the protected header carries (the algorithm, the key id); any other, a `crit`
that is empty or not a list of labels, or one in the unprotected header, is refused: a
signer that marks a parameter critical means "do not accept this unless you apply it".
Messages are kept as the exact bytes received: the signature is checked over the
protected header and payload bytes as they arrived, never over a re-serialisation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from verifier._cbor import canonical, decode
from verifier.errors import MalformedError, SignatureError, UnsupportedAlgorithmError

COSE_SIGN1_TAG = 18
HEADER_ALG = 1
HEADER_CRIT = 2
HEADER_KID = 4
# The header parameters this verifier processes: a `crit` naming any other is refused.
UNDERSTOOD = frozenset({HEADER_ALG, HEADER_KID})
ALG_EDDSA = -8
MAX_MESSAGE_BYTES = 64 * 1024


def protected_header(kid: bytes) -> bytes:
    return canonical({HEADER_ALG: ALG_EDDSA, HEADER_KID: kid})


def _bstr(data: bytes) -> bytes:
    """A CBOR byte string with its shortest length header (RFC 8949 section 3)."""
    n = len(data)
    if n < 24:
        return bytes([0x40 | n]) + data
    if n < 0x100:
        return bytes([0x58, n]) + data
    if n < 0x10000:
        return b"\x59" + n.to_bytes(2, "big") + data
    return b"\x5a" + n.to_bytes(4, "big") + data


# The fixed parts of the two structures, written out so that building them holds the GIL for
# as short as possible while other threads sign: array(4), text "Signature1"; and tag 18,
# array(4). tests/verifier checks them against a general CBOR encoder.
_SIG_STRUCTURE_HEAD = b"\x84\x6aSignature1"
_SIGN1_HEAD = b"\xd2\x84"
_EMPTY_BSTR = b"\x40"
_EMPTY_MAP = b"\xa0"


def sig_structure(protected: bytes, payload: bytes) -> bytes:
    """The bytes that are signed (RFC 9052 section 4.4), with no external data."""
    return _SIG_STRUCTURE_HEAD + _bstr(protected) + _EMPTY_BSTR + _bstr(payload)


def sign1(payload: bytes, key: Ed25519PrivateKey, kid: bytes) -> bytes:
    return sign1_with_header(payload, key, protected_header(kid))


def sign1_with_header(payload: bytes, key: Ed25519PrivateKey, protected: bytes) -> bytes:
    """For signing many payloads with one key: the header is encoded once by the caller."""
    signature = key.sign(sig_structure(protected, payload))
    return _SIGN1_HEAD + _bstr(protected) + _EMPTY_MAP + _bstr(payload) + _bstr(signature)


@dataclass(frozen=True)
class Sign1:
    """A parsed COSE_Sign1; `protected` and `payload` are the bytes as received."""

    protected: bytes
    kid: bytes
    payload: bytes
    signature: bytes

    def verify(self, key: Ed25519PublicKey) -> None:
        try:
            key.verify(self.signature, sig_structure(self.protected, self.payload))
        except InvalidSignature:
            raise SignatureError("the signature does not match the signed content") from None


def _check_crit(protected: Mapping[Any, Any], unprotected: Mapping[Any, Any]) -> None:
    if HEADER_CRIT in unprotected:
        raise MalformedError("crit is in the unprotected header (RFC 9052 3.1: protected only)")
    if HEADER_CRIT not in protected:
        return
    crit = protected[HEADER_CRIT]
    if not (
        isinstance(crit, list | tuple)
        and crit
        and all(isinstance(label, int | str) and not isinstance(label, bool) for label in crit)
    ):
        raise MalformedError("crit is not a non-empty list of header labels")
    for label in crit:
        if label not in UNDERSTOOD:
            raise MalformedError(f"crit names header parameter {label!r}, not understood here")
        if label not in protected:
            raise MalformedError(f"crit names header parameter {label!r}, which is absent")


def parse_sign1(data: bytes, *, what: str = "the signed message") -> Sign1:
    if len(data) > MAX_MESSAGE_BYTES:
        raise MalformedError(f"{what} is larger than {MAX_MESSAGE_BYTES} bytes")
    item = decode(data, what=what)
    if isinstance(item, cbor2.CBORTag):
        if item.tag != COSE_SIGN1_TAG:
            raise MalformedError(f"{what} has CBOR tag {item.tag}, not COSE_Sign1 (18)")
        item = item.value
    # cbor2 decodes a tag's array as a tuple and its maps as immutable mappings.
    if not (isinstance(item, list | tuple) and len(item) == 4):
        raise MalformedError(f"{what} is not a COSE_Sign1 array of four items")
    protected, unprotected, payload, signature = item
    if not (
        isinstance(protected, bytes)
        and isinstance(unprotected, Mapping)
        and isinstance(payload, bytes)
        and isinstance(signature, bytes)
    ):
        raise MalformedError(f"{what} has items of the wrong types")
    header = decode(protected, what="the protected header") if protected else {}
    if not isinstance(header, Mapping):
        raise MalformedError("the protected header is not a map")
    _check_crit(header, unprotected)
    alg = header.get(HEADER_ALG)
    if alg != ALG_EDDSA:
        raise UnsupportedAlgorithmError(f"algorithm {alg!r} is not EdDSA (-8)")
    kid = header.get(HEADER_KID, unprotected.get(HEADER_KID))
    if not isinstance(kid, bytes) or not kid:
        raise MalformedError(f"{what} names no key id")
    if len(signature) != 64:
        raise MalformedError("an Ed25519 signature is 64 bytes")
    return Sign1(protected, kid, payload, signature)
