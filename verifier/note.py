"""Checkpoints of the issuance log in the C2SP formats: a tlog-checkpoint (origin line, tree
size, base64 root hash) carried in a signed note, signed with an Ed25519 note key.

    <origin>\\n<size>\\n<base64 root>\\n
    \\n
    — <key name> <base64(key hash (4 bytes) || signature (64 bytes))>\\n

The key hash is the first 4 bytes of SHA-256(key name || "\\n" || 0x01 || public key), and a
verifier key is written `<name>+<key hash hex>+<base64(0x01 || public key)>`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from verifier.errors import NoteError
from verifier.keys import raw_public

ED25519 = b"\x01"
DASH = "\u2014"  # the em dash that starts a signature line
MAX_NOTE = 16 * 1024


def key_hash(name: str, public: Ed25519PublicKey) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + ED25519 + raw_public(public)).digest()[:4]


def verifier_key(name: str, public: Ed25519PublicKey) -> str:
    encoded = base64.b64encode(ED25519 + raw_public(public)).decode()
    return f"{name}+{key_hash(name, public).hex()}+{encoded}"


def parse_verifier_key(text: str) -> tuple[str, Ed25519PublicKey]:
    try:
        name, hash_hex, encoded = text.strip().split("+", 2)
        raw = base64.b64decode(encoded, validate=True)
        if raw[:1] != ED25519 or len(raw) != 33:
            raise ValueError("not an Ed25519 key")
        public = Ed25519PublicKey.from_public_bytes(raw[1:])
    except (ValueError, binascii.Error) as exc:
        raise NoteError(f"not a note verifier key: {exc}") from None
    if not name or key_hash(name, public).hex() != hash_hex:
        raise NoteError("the verifier key's hash does not match its name and key")
    return name, public


def sign_note(body: str, name: str, key: Ed25519PrivateKey) -> str:
    signature = key_hash(name, key.public_key()) + key.sign(body.encode())
    return f"{body}\n{DASH} {name} {base64.b64encode(signature).decode()}\n"


def open_note(text: str, name: str, public: Ed25519PublicKey) -> str:
    """The note's body once a signature by this key verifies; other signatures (a witness's
    cosignature, say) are ignored."""
    if len(text) > MAX_NOTE or not text.endswith("\n"):
        raise NoteError("a signed note ends with a newline and is at most 16 KiB")
    body, sep, signatures = text.partition("\n\n")
    if not sep or not body:
        raise NoteError("the note has no signature block")
    body += "\n"
    wanted = key_hash(name, public)
    for line in signatures.splitlines():
        parts = line.split(" ")
        if len(parts) != 3 or parts[0] != DASH:
            raise NoteError(f"not a signature line: {line[:80]!r}")
        try:
            raw = base64.b64decode(parts[2], validate=True)
        except binascii.Error:
            raise NoteError("a signature is not base64") from None
        if parts[1] != name or raw[:4] != wanted:
            continue
        try:
            public.verify(raw[4:], body.encode())
        except InvalidSignature:
            raise NoteError("the log key's signature does not verify") from None
        return body
    raise NoteError(f"the note carries no signature by {name}")


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes

    def body(self) -> str:
        return f"{self.origin}\n{self.size}\n{base64.b64encode(self.root).decode()}\n"


def parse_checkpoint(body: str) -> Checkpoint:
    lines = body.split("\n")
    if len(lines) < 4 or lines[-1] != "":
        raise NoteError("a checkpoint has an origin, a size and a root hash")
    origin, size, root = lines[0], lines[1], lines[2]
    try:
        root_hash = base64.b64decode(root, validate=True)
    except binascii.Error:
        raise NoteError("the root hash is not base64") from None
    if not origin or not size.isdigit() or (size != "0" and size.startswith("0")):
        raise NoteError("the checkpoint's origin or size is malformed")
    if len(root_hash) != 32:
        raise NoteError("the root hash is not 32 bytes")
    return Checkpoint(origin, int(size), root_hash)


def verify_checkpoint(text: str, verifier: str, origin: str | None = None) -> Checkpoint:
    """A signed checkpoint checked against a verifier key (and its origin, when given)."""
    name, public = parse_verifier_key(verifier)
    checkpoint = parse_checkpoint(open_note(text, name, public))
    if origin is not None and checkpoint.origin != origin:
        raise NoteError(f"the checkpoint is of {checkpoint.origin}, not {origin}")
    return checkpoint
