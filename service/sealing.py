"""Secrets the database keeps sealed, so that a dump alone reveals none of them: the holders'
personal identification numbers (docs/register.md, "The personal identification number")
and the staff's second-factor (TOTP) secrets (docs/accounts.md, "The second factor").

One secret of 32 random bytes, the file `personal-id.key` in VANBANG_KEYS_DIR beside the
signing keys (never the database), gives three keys by HKDF-SHA256:
- the sealing key: AES-256-GCM, a fresh 96-bit nonce per number, the diploma's id as
  associated data (a sealed number copied onto another diploma's row does not open);
- the lookup key: HMAC-SHA256 of the number, the same for every diploma holding it, which
  the register indexes so that staff may find a person by the number;
- the second-factor key: AES-256-GCM again, the account's id as associated data.
A sealed number is `version (1) || nonce (12) || ciphertext and tag (28)`; a sealed TOTP
secret is text, `sealed1:` and the base64url of `key id (8) || nonce (12) || ciphertext
and tag (48)`, in the column that held it in the clear before 0033_sealed_totp.
"""

from __future__ import annotations

import base64
import binascii
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


SEALED_TOTP_PREFIX = "sealed1:"
_KEY_ID = 8


class SealError(RuntimeError):
    """A sealed value that does not open: another key, another row, or altered."""


def _derive(secret: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(secret)


def _key_id(secret: bytes) -> bytes:
    """Names the secret without revealing it, stored beside what it seals: a database
    restored beside another key file says so instead of failing to open."""
    return hashlib.sha256(b"vanbang personal-id key id\0" + secret).digest()[:_KEY_ID]


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
        self.key_id = _key_id(secret)

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


def is_sealed_totp(stored: str) -> bool:
    return stored.startswith(SEALED_TOTP_PREFIX)


def _sealed_blob(stored: str) -> bytes | None:
    """The bytes of a sealed secret's text (key id, nonce, ciphertext), or None."""
    text = stored[len(SEALED_TOTP_PREFIX) :]
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None


class SecondFactorSeal:
    """Seals and opens the staff's TOTP secrets, each bound to its account: a sealed secret
    copied onto another account's row does not open, nor one altered or sealed under
    another key file."""

    __slots__ = ("_aead", "key_id")

    def __init__(self, secret: bytes) -> None:
        if len(secret) != SECRET_BYTES:
            raise ValueError(f"a sealing secret is {SECRET_BYTES} bytes")
        self._aead = AESGCM(_derive(secret, b"vanbang second-factor seal v1"))
        self.key_id = _key_id(secret)

    def __repr__(self) -> str:
        return f"SecondFactorSeal({self.key_id.hex()})"

    def seal(self, account_id: uuid.UUID, totp_secret: str) -> str:
        nonce = os.urandom(_NONCE)
        sealed = self._aead.encrypt(nonce, totp_secret.encode("ascii"), account_id.bytes)
        blob = base64.urlsafe_b64encode(self.key_id + nonce + sealed).decode("ascii")
        return SEALED_TOTP_PREFIX + blob.rstrip("=")

    def sealed_here(self, stored: str) -> bool:
        """Whether `stored`, a sealed secret, was sealed under this key file."""
        blob = _sealed_blob(stored)
        return blob is not None and blob[:_KEY_ID] == self.key_id

    def open(self, account_id: uuid.UUID, stored: str) -> str:
        """The secret `stored` holds: a sealed one opened, or one kept in the clear before
        0033_sealed_totp as it is."""
        if not is_sealed_totp(stored):
            return stored
        blob = _sealed_blob(stored)
        if blob is None:
            raise SealError("not a sealed second-factor secret")
        if blob[:_KEY_ID] != self.key_id:
            raise SealError("sealed under another key file")
        nonce, sealed = blob[_KEY_ID : _KEY_ID + _NONCE], blob[_KEY_ID + _NONCE :]
        try:
            plain = self._aead.decrypt(nonce, sealed, account_id.bytes)
        except InvalidTag:
            raise SealError("the sealed secret does not open with this key") from None
        return plain.decode("ascii")
