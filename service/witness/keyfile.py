"""A witness's private key file: one line, the name and the Ed25519 seed as a note signer key
with the cosignature/v1 type,

    PRIVATE+KEY+<name>+<key ID hex>+<base64(0x04 || 32-byte seed)>

(the layout of golang.org/x/mod's sumdb/note signer keys). Written once, mode 0600."""

from __future__ import annotations

import base64
import binascii
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from service.keyfiles import KeyFileModeError, read_secret
from verifier.cosignature import COSIGNATURE_V1, key_id, witness_vkey


class WitnessKeyError(ValueError):
    pass


@dataclass(frozen=True)
class WitnessKey:
    name: str
    key: Ed25519PrivateKey

    @property
    def vkey(self) -> str:
        return witness_vkey(self.name, self.key.public_key())


def _seed(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def encode(witness: WitnessKey) -> str:
    kid = key_id(witness.name, witness.key.public_key()).hex()
    seed = base64.b64encode(COSIGNATURE_V1 + _seed(witness.key)).decode()
    return f"PRIVATE+KEY+{witness.name}+{kid}+{seed}\n"


def decode(text: str) -> WitnessKey:
    try:
        private, word, name, kid, encoded = text.strip().split("+", 4)
        raw = base64.b64decode(encoded, validate=True)
    except (ValueError, binascii.Error):
        raise WitnessKeyError("not a witness key (PRIVATE+KEY+name+id+key)") from None
    if (private, word) != ("PRIVATE", "KEY") or raw[:1] != COSIGNATURE_V1 or len(raw) != 33:
        raise WitnessKeyError("not an Ed25519 cosignature/v1 witness key")
    key = Ed25519PrivateKey.from_private_bytes(raw[1:])
    if not name or any(c.isspace() for c in name) or key_id(name, key.public_key()).hex() != kid:
        raise WitnessKeyError("the witness key's id does not match its name and key")
    return WitnessKey(name, key)


def generate(path: Path, name: str) -> WitnessKey:
    """A new key written to `path` (never over an existing file), readable by its owner only."""
    if not name or any(c.isspace() or c == "+" for c in name) or not name.isprintable():
        raise WitnessKeyError("a witness name is one word without '+', e.g. witness.example/w1")
    witness = WitnessKey(name, Ed25519PrivateKey.generate())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(encode(witness))
    return witness


def load(path: Path) -> WitnessKey:
    try:
        return decode(read_secret(path).decode("ascii"))
    except UnicodeDecodeError:
        raise WitnessKeyError(f"{path}: not a witness key") from None
    except KeyFileModeError as exc:
        raise WitnessKeyError(str(exc)) from None
