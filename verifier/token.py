"""The QR token printed on a diploma: a compact COSE_Sign1 by the issuer's key, written as a URL
in QR alphanumeric characters. Format: docs/qr-format.md.

The token carries what a verifier compares with the paper, and the digest of the register
record it was made from. Map keys are small integers so that a THPT diploma fits a version 15
QR code at error correction M.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping
from typing import Any

from verifier._cbor import canonical, decode
from verifier._signed import Verified, verify_signed
from verifier.errors import MalformedError
from verifier.trust_list import TrustList

TOKEN_VERSION = 1
PATH = "/V/"
MAX_TEXT = 4096
DIGEST_BYTES = 16

# CBOR map key -> field name. Never renumber: printed diplomas carry these numbers.
KEYS: dict[int, str] = {
    1: "v",
    2: "issuer",
    3: "kind",
    4: "serial",
    5: "register_number",
    6: "holder_name",
    7: "date_of_birth",
    8: "graduation_year",
    9: "major",
    10: "classification",
    11: "issued_at",
    12: "place_of_birth",
    13: "issued_on",
    14: "record_digest",
    # A certified copy's own QR code (docs/qr-format.md, "A certified copy"): the diploma's
    # fields as the copy prints them, and the copy's entry in the copy register.
    15: "copy_number",
    16: "copied_on",
    17: "copy_digest",
}
NUMBERS = {name: number for number, name in KEYS.items()}
# A token with any of these is a certified copy's, and has all of them.
COPY_FIELDS = frozenset({"copy_number", "copied_on", "copy_digest"})
REQUIRED = frozenset(
    {
        "v",
        "issuer",
        "kind",
        "serial",
        "register_number",
        "holder_name",
        "date_of_birth",
        "graduation_year",
        "issued_at",
        "issued_on",
        "record_digest",
    }
)


def record_digest(signed_record: bytes) -> bytes:
    """Binds a token to the exact signed register record it was made from (for a copy's
    token, also to the copy register's signed entry)."""
    return hashlib.sha256(signed_record).digest()[:DIGEST_BYTES]


def encode_token(fields: Mapping[str, Any]) -> bytes:
    present = {name: value for name, value in fields.items() if value is not None}
    unknown = present.keys() - NUMBERS.keys()
    missing = REQUIRED - present.keys()
    if present.keys() & COPY_FIELDS:
        missing |= COPY_FIELDS - present.keys()
    if unknown or missing:
        raise ValueError(f"token fields: unknown {sorted(unknown)}, missing {sorted(missing)}")
    return canonical({NUMBERS[name]: value for name, value in present.items()})


def decode_token(payload: bytes) -> dict[str, Any]:
    decoded = decode(payload, what="the token")
    if not isinstance(decoded, Mapping) or not all(isinstance(k, int) for k in decoded):
        raise MalformedError("the token is not a map with integer keys")
    unknown = [k for k in decoded if k not in KEYS]
    if unknown:
        raise MalformedError(f"the token has unknown fields {unknown}")
    fields = {KEYS[k]: v for k, v in decoded.items()}
    if not fields.keys() >= REQUIRED:
        raise MalformedError(f"the token lacks {sorted(REQUIRED - fields.keys())}")
    if fields["v"] != TOKEN_VERSION:
        raise MalformedError(f"token format {fields['v']!r} is not {TOKEN_VERSION}")
    if not isinstance(fields["issued_at"], int) or not isinstance(fields["issuer"], str):
        raise MalformedError("the token's issuer or issued-at has the wrong type")
    copy = fields.keys() & COPY_FIELDS
    if copy and copy != COPY_FIELDS:
        raise MalformedError(f"the copy's token lacks {sorted(COPY_FIELDS - copy)}")
    if copy and not (
        isinstance(fields["copy_number"], str)
        and isinstance(fields["copied_on"], str)
        and isinstance(fields["copy_digest"], bytes)
        and len(fields["copy_digest"]) == DIGEST_BYTES
    ):
        raise MalformedError("the copy's number, date or digest has the wrong type")
    return fields


def is_copy(fields: Mapping[str, Any]) -> bool:
    """Whether a token's fields are a certified copy's rather than a diploma's."""
    return "copy_number" in fields


def token_url(token: bytes, public_url: str) -> str:
    """The QR text: upper-case URL, `/V/`, RFC 4648 base32 without padding."""
    encoded = base64.b32encode(token).decode().rstrip("=")
    return public_url.rstrip("/").upper() + PATH + encoded


def token_key(text: str) -> str:
    """The base32 part of a QR text, upper-cased: the same for every way of writing a token."""
    upper = text.strip().upper()
    at = upper.rfind(PATH)
    encoded = upper[at + len(PATH) :] if at >= 0 else upper
    return encoded.split("?")[0].split("#")[0].rstrip("/")


def token_from_text(text: str) -> bytes:
    """The token in a QR text, a URL to it, or its bare base32 (any case)."""
    if len(text.strip()) > MAX_TEXT:
        raise MalformedError(f"the text is longer than {MAX_TEXT} characters")
    encoded = token_key(text)
    if not encoded:
        raise MalformedError("no token in the text")
    decoded = b32decode(encoded)
    if decoded is None:
        raise MalformedError("the token is not valid base32 (RFC 4648)")
    return decoded


_BASE32 = re.compile(r"[A-Z2-7]+")
# RFC 4648 base32's alphabet onto the digits int(..., 32) reads (0-9, A-V).
_TO_DIGITS = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "0123456789ABCDEFGHIJKLMNOPQRSTUV")


def b32decode(encoded: str) -> bytes | None:
    """Upper-case RFC 4648 base32, padded or not, or None when it is not: what
    base64.b32decode gives once the text is padded to whole blocks, but read as one base-32
    number, as the stdlib's pure-Python loop took 35 us of the 126 us a server spent on
    checking a token."""
    digits = encoded.rstrip("=")
    padding = len(encoded) - len(digits) + -len(encoded) % 8
    if padding not in (0, 1, 3, 4, 6) or not _BASE32.fullmatch(digits):
        return None
    size, spare = divmod(len(digits) * 5, 8)
    return (int(digits.translate(_TO_DIGITS), 32) >> spare).to_bytes(size, "big")


def verify_token(token: bytes, trust_list: TrustList) -> Verified:
    """Checks a QR token against the trust list, judging its key at the token's issued-at."""
    return verify_signed(token, trust_list, what="the token", decode_payload=decode_token)
