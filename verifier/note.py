"""Checkpoints of the issuance log in the C2SP formats: a tlog-checkpoint (origin line, tree
size, base64 root hash) carried in a signed note, signed with an Ed25519 note key.

    <origin>\\n<size>\\n<base64 root>\\n
    \\n
    — <key name> <base64(key hash (4 bytes) || signature (64 bytes))>\\n

The key hash is the first 4 bytes of SHA-256(key name || "\\n" || 0x01 || public key), and a
verifier key is written `<name>+<key hash hex>+<base64(0x01 || public key)>`.

Read strictly, as c2sp.org/signed-note and c2sp.org/tlog-checkpoint say: no control
character but the newline; the text ends at the *last* blank line, and every line after it
is a signature line; a signature by a known key (its name and key hash) that fails rejects
the whole note, one by an unknown key is ignored, and at least one by a known key must
verify. A checkpoint is at least three non-empty lines, its size ASCII digits without a
leading zero, below 2^64, its root a 32-byte hash in canonical base64.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from verifier.errors import NoteError
from verifier.keys import raw_public

ED25519 = b"\x01"
DASH = "\u2014"  # the em dash that starts a signature line
MAX_NOTE = 16 * 1024
MAX_SIGNATURES = 100  # as golang.org/x/mod's sumdb/note; the spec asks for at least 16
MAX_SIZE = 1 << 64  # tree sizes are unsigned 64-bit integers
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f]")
_TREE_SIZE = re.compile("0|[1-9][0-9]*")


def _refuse_controls(text: str, what: str) -> None:
    if _CONTROL.search(text):
        raise NoteError(f"{what} holds a control character (only the newline is allowed)")


def _check_name(name: str) -> None:
    if not name or any(c.isspace() or c == "+" for c in name):
        raise NoteError("a key name is non-empty, without spaces or '+'")


def note_text(data: bytes) -> str:
    """A note's bytes as text: signed notes are UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise NoteError("a signed note is UTF-8 text") from None


def key_hash(name: str, public: Ed25519PublicKey, key_type: bytes = ED25519) -> bytes:
    """The key hash of a note key (type 0x01), or of another type of key over Ed25519 (a
    cosignature/v1 witness key: 0x04)."""
    return hashlib.sha256(name.encode() + b"\n" + key_type + raw_public(public)).digest()[:4]


def verifier_key(name: str, public: Ed25519PublicKey, key_type: bytes = ED25519) -> str:
    encoded = base64.b64encode(key_type + raw_public(public)).decode()
    return f"{name}+{key_hash(name, public, key_type).hex()}+{encoded}"


def parse_verifier_key(text: str, key_type: bytes = ED25519) -> tuple[str, Ed25519PublicKey]:
    try:
        name, hash_hex, encoded = text.strip().split("+", 2)
        raw = base64.b64decode(encoded, validate=True)
        if raw[:1] != key_type or len(raw) != 33:
            raise ValueError(f"not an Ed25519 key of type 0x{key_type.hex()}")
        public = Ed25519PublicKey.from_public_bytes(raw[1:])
    except (ValueError, binascii.Error) as exc:
        raise NoteError(f"not a note verifier key: {exc}") from None
    _check_name(name)
    if key_hash(name, public, key_type).hex() != hash_hex:
        raise NoteError("the verifier key's hash does not match its name and key")
    return name, public


def sign_note(body: str, name: str, key: Ed25519PrivateKey) -> str:
    if not body.endswith("\n"):
        raise NoteError("a note's text ends with a newline")
    _refuse_controls(body, "the note's text")
    _check_name(name)
    signature = key_hash(name, key.public_key()) + key.sign(body.encode())
    return f"{body}\n{DASH} {name} {base64.b64encode(signature).decode()}\n"


@dataclass(frozen=True)
class NoteSignature:
    name: str
    key_id: bytes  # the 4-byte key hash
    signature: bytes  # what follows it: the signature (and, for a cosignature, its time)


@dataclass(frozen=True)
class Note:
    """A signed note's structure, before any signature is checked: its text (the signed
    bytes, final newline included) and its signature lines."""

    text: str
    signatures: tuple[NoteSignature, ...]


def parse_note(note: str) -> Note:
    """Splits a signed note at its last blank line; raises NoteError unless it is well formed
    (nothing here says it is signed by anyone: see verify_note)."""
    if len(note) > MAX_NOTE or len(note.encode()) > MAX_NOTE or not note.endswith("\n"):
        raise NoteError("a signed note ends with a newline and is at most 16 KiB")
    _refuse_controls(note, "the note")
    split = note.rfind("\n\n")
    if split < 0:
        raise NoteError("the note has no signature block")
    text, block = note[: split + 1], note[split + 2 :]
    lines = block.split("\n")[:-1]  # the block ends with a newline, as the note does
    if not lines:
        raise NoteError("the note has no signature line")
    if len(lines) > MAX_SIGNATURES:
        raise NoteError(f"the note has more than {MAX_SIGNATURES} signatures")
    return Note(text, tuple(_signature(line) for line in lines))


def _signature(line: str) -> NoteSignature:
    parts = line.split(" ")
    if len(parts) != 3 or parts[0] != DASH:
        raise NoteError(f"not a signature line: {line[:80]!r}")
    _check_name(parts[1])
    try:
        raw = base64.b64decode(parts[2], validate=True)
    except ValueError:  # binascii.Error, or a character that is no ASCII
        raise NoteError("a signature is not base64") from None
    if len(raw) < 5:
        raise NoteError("a signature is its 4-byte key hash and at least a byte more")
    return NoteSignature(parts[1], raw[:4], raw[4:])


class NoteVerifiers:
    """The keys a reader knows, found by name and key hash. Two keys with the same name and
    hash are ambiguous: a signature under them is refused rather than guessed at."""

    def __init__(self, keys: Iterable[tuple[str, Ed25519PublicKey]]) -> None:
        self._keys: dict[tuple[str, bytes], list[Ed25519PublicKey]] = {}
        for name, public in keys:
            _check_name(name)
            self._keys.setdefault((name, key_hash(name, public)), []).append(public)

    @classmethod
    def parse(cls, verifier_keys: Iterable[str]) -> NoteVerifiers:
        return cls(parse_verifier_key(k) for k in verifier_keys)

    def find(self, name: str, key_id: bytes) -> Ed25519PublicKey | None:
        """The key with this name and hash; None when unknown."""
        found = self._keys.get((name, key_id), [])
        if len(found) > 1:
            raise NoteError(f"ambiguous key {name}+{key_id.hex()}")
        return found[0] if found else None


def verify_note(note: str, verifiers: NoteVerifiers) -> tuple[Note, list[str]]:
    """The note and the names whose signatures verified: every signature by a known key
    must verify, those by unknown keys are ignored, and at least one must be known."""
    parsed = parse_note(note)
    verified = []
    for sig in parsed.signatures:
        public = verifiers.find(sig.name, sig.key_id)
        if public is None:
            continue
        try:
            public.verify(sig.signature, parsed.text.encode())
        except InvalidSignature:
            raise NoteError(
                f"the signature by {sig.name}+{sig.key_id.hex()} does not verify"
            ) from None
        verified.append(sig.name)
    if not verified:
        raise NoteError("the note carries no signature by a known key")
    return parsed, verified


def open_note(text: str, name: str, public: Ed25519PublicKey) -> str:
    """The note's text once a signature by this key verifies; signatures by other keys (a
    witness's cosignature, say) are ignored, but must be well-formed signature lines."""
    return verify_note(text, NoteVerifiers([(name, public)]))[0].text


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes

    def body(self) -> str:
        return f"{self.origin}\n{self.size}\n{base64.b64encode(self.root).decode()}\n"


def parse_checkpoint(body: str) -> Checkpoint:
    """A checkpoint's text (tlog-checkpoint): origin, size, root and any extension lines,
    each line non-empty."""
    lines = body.split("\n")
    if len(lines) < 4 or lines[-1] != "" or not all(lines[:-1]):
        raise NoteError("a checkpoint is at least three non-empty lines: origin, size, root")
    origin, size, root = lines[0], lines[1], lines[2]
    if not _TREE_SIZE.fullmatch(size) or int(size) >= MAX_SIZE:
        raise NoteError(
            "the checkpoint's size is not ASCII decimal digits without a leading zero, below 2^64"
        )
    try:
        root_hash = base64.b64decode(root, validate=True)
    except ValueError:  # binascii.Error, or a character that is no ASCII
        raise NoteError("the root hash is not base64") from None
    if len(root_hash) != 32 or base64.b64encode(root_hash).decode() != root:
        raise NoteError("the root hash is not 32 bytes in canonical base64")
    return Checkpoint(origin, int(size), root_hash)


def verify_checkpoint(text: str, verifier: str, origin: str | None = None) -> Checkpoint:
    """A signed checkpoint checked against a verifier key (and its origin, when given)."""
    name, public = parse_verifier_key(verifier)
    checkpoint = parse_checkpoint(open_note(text, name, public))
    if origin is not None and checkpoint.origin != origin:
        raise NoteError(f"the checkpoint is of {checkpoint.origin}, not {origin}")
    return checkpoint
