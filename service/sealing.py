"""The personal identification numbers at rest (docs/register.md, "The personal
identification number"): sealed so that a database dump alone reveals none of them.

One secret of 32 random bytes, the file `personal-id.key` in VANBANG_KEYS_DIR beside the
signing keys (never the database), gives two keys by HKDF-SHA256:
- the sealing key: AES-256-GCM, a fresh 96-bit nonce per number, the diploma's id as
  associated data (a sealed number copied onto another diploma's row does not open);
- the lookup key: HMAC-SHA256 of the number, the same for every diploma holding it, which
  the register indexes so that staff may find a person by the number.
A sealed value is `version (1) || nonce (12) || ciphertext and tag (28)`.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import uuid

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

SECRET_BYTES = 32
VERSION = b"\x01"
_NONCE = 12


class SealError(RuntimeError):
    """A sealed number that does not open: another key, another diploma, or altered."""


def _derive(secret: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(secret)


def parse_secret(text: str) -> bytes:
    """The file's content: 64 hexadecimal digits (a comment line may precede them)."""
    lines = [line.strip() for line in text.splitlines()]
    digits = "".join(line for line in lines if line and not line.startswith("#"))
    try:
        secret = bytes.fromhex(digits)
    except ValueError:
        raise ValueError("not hexadecimal") from None
    if len(secret) != SECRET_BYTES:
        raise ValueError(f"{len(secret)} bytes, not {SECRET_BYTES}")
    return secret


def new_secret_text() -> str:
    return (
        "# vanbang personal-id key: seals the holders' personal identification numbers.\n"
        "# Back it up with the signing keys; without it they cannot be read again.\n"
        + os.urandom(SECRET_BYTES).hex()
        + "\n"
    )


class PersonalIdKey:
    """Seals, opens and indexes personal identification numbers."""

    __slots__ = ("_aead", "_mac", "key_id")

    def __init__(self, secret: bytes) -> None:
        if len(secret) != SECRET_BYTES:
            raise ValueError(f"a personal-id key is {SECRET_BYTES} bytes")
        self._aead = AESGCM(_derive(secret, b"vanbang personal-id seal v1"))
        self._mac = _derive(secret, b"vanbang personal-id lookup v1")
        # Names the secret without revealing it, stored beside each sealed number: a
        # database restored beside another key file says so instead of failing to open.
        self.key_id = hashlib.sha256(b"vanbang personal-id key id\0" + secret).digest()[:8]

    def __repr__(self) -> str:
        return f"PersonalIdKey({self.key_id.hex()})"

    def seal(self, diploma_id: uuid.UUID, number: str) -> bytes:
        nonce = os.urandom(_NONCE)
        return VERSION + nonce + self._aead.encrypt(nonce, number.encode("ascii"), diploma_id.bytes)

    def open(self, diploma_id: uuid.UUID, sealed: bytes) -> str:
        if sealed[:1] != VERSION:
            raise SealError("unknown sealed-number version")
        try:
            plain = self._aead.decrypt(
                sealed[1 : 1 + _NONCE], sealed[1 + _NONCE :], diploma_id.bytes
            )
        except InvalidTag:
            raise SealError("the sealed number does not open with this key") from None
        return plain.decode("ascii")

    def lookup(self, number: str) -> bytes:
        """The keyed hash the register finds a number by."""
        return hmac.new(self._mac, number.encode("ascii"), hashlib.sha256).digest()
