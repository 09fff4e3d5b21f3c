"""Witness cosignatures of checkpoints, as c2sp.org/tlog-cosignature says (cosignature/v1 over
Ed25519): a note signature line by the witness,

    — <witness name> base64(key ID (4 bytes) || timestamp (8 bytes, big-endian) || signature)

whose key ID is SHA-256(name || "\\n" || 0x04 || public key)[:4], and whose Ed25519 signature is
over "cosignature/v1\\n", "time <timestamp>\\n" and the checkpoint's text. A witness's verifier
key (vkey) is `<name>+<key ID hex>+<base64(0x04 || public key)>`.

A policy (`WitnessPolicy`) names the witnesses a reader trusts and how many of them must have
cosigned: a cosignature line under a trusted witness's name and key ID that does not verify,
or whose time is zero, beyond 2^63 - 1 or in the future, refuses the whole checkpoint (as a
failing signature by a known key refuses a signed note).
"""

from __future__ import annotations

import base64
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from verifier.errors import NoteError, WitnessPolicyError
from verifier.note import DASH, Note, key_hash, parse_note, parse_verifier_key, verifier_key

COSIGNATURE_V1 = b"\x04"
MAX_TIMESTAMP = (1 << 63) - 1
# How far in the future a cosignature's time may be (clocks differ a little).
FUTURE_SKEW = 300


def key_id(name: str, public: Ed25519PublicKey) -> bytes:
    return key_hash(name, public, COSIGNATURE_V1)


def witness_vkey(name: str, public: Ed25519PublicKey) -> str:
    return verifier_key(name, public, COSIGNATURE_V1)


def parse_witness_vkey(text: str) -> tuple[str, Ed25519PublicKey]:
    """A witness's verifier key: its name and Ed25519 public key (type 0x04, cosignature/v1)."""
    return parse_verifier_key(text, COSIGNATURE_V1)


def signed_message(text: str, timestamp: int) -> bytes:
    """What a cosignature/v1 signs: the header line, the time line, the checkpoint's text."""
    return f"cosignature/v1\ntime {timestamp}\n{text}".encode()


def cosign(text: str, name: str, key: Ed25519PrivateKey, timestamp: int) -> str:
    """The cosignature line (with its newline) of the checkpoint's text at `timestamp`."""
    if not 0 < timestamp <= MAX_TIMESTAMP:
        raise NoteError("a cosignature's time is a POSIX time above zero, below 2^63")
    signature = key.sign(signed_message(text, timestamp))
    raw = key_id(name, key.public_key()) + timestamp.to_bytes(8, "big") + signature
    return f"{DASH} {name} {base64.b64encode(raw).decode()}\n"


@dataclass(frozen=True)
class Cosigned:
    name: str
    timestamp: int


@dataclass(frozen=True)
class WitnessPolicy:
    """The witnesses a reader trusts (by vkey) and how many of them must cosign."""

    witnesses: tuple[tuple[str, Ed25519PublicKey], ...]
    needed: int

    @classmethod
    def parse(cls, vkeys: Iterable[str], needed: int) -> WitnessPolicy:
        witnesses = tuple(parse_witness_vkey(v) for v in vkeys)
        ids = [(n, key_id(n, k)) for n, k in witnesses]
        if len(set(ids)) != len(ids):
            raise NoteError("a witness key is given twice")
        if not 0 <= needed <= len(witnesses):
            raise NoteError(f"{needed} cosignatures cannot be needed of {len(witnesses)} witnesses")
        return cls(witnesses, needed)

    def check(self, note: str | Note, now: int | None = None) -> list[Cosigned]:
        """The trusted witnesses' valid cosignatures of the note; raises WitnessPolicyError
        when fewer than `needed`, NoteError when one by a trusted witness is bad."""
        found = verify_cosignatures(note, self.witnesses, now)
        if len(found) < self.needed:
            raise WitnessPolicyError(
                f"{len(found)} of the {self.needed} witness cosignatures needed"
                + (f" (by {', '.join(c.name for c in found)})" if found else "")
            )
        return found


def verify_cosignatures(
    note: str | Note,
    witnesses: Sequence[tuple[str, Ed25519PublicKey]],
    now: int | None = None,
) -> list[Cosigned]:
    """The valid cosignatures of a signed checkpoint by the witnesses given, one per witness.
    Lines by other keys are ignored; a line under a witness's name and key ID must be 72 bytes
    (time and signature), its time above zero, below 2^63 and not in the future, and its
    signature must verify, or the note is refused."""
    parsed = parse_note(note) if isinstance(note, str) else note
    now = int(time.time()) if now is None else now
    by_id = {(name, key_id(name, public)): (name, public) for name, public in witnesses}
    found: dict[str, Cosigned] = {}
    for line in parsed.signatures:
        witness = by_id.get((line.name, line.key_id))
        if witness is None:
            continue
        name, public = witness
        if len(line.signature) != 8 + 64:
            raise NoteError(f"the cosignature by {name} is not a timestamp and a signature")
        timestamp = int.from_bytes(line.signature[:8], "big")
        if not 0 < timestamp <= MAX_TIMESTAMP:
            raise NoteError(f"the cosignature by {name} has no time, or one beyond 2^63 - 1")
        if timestamp > now + FUTURE_SKEW:
            raise NoteError(f"the cosignature by {name} is dated in the future ({timestamp})")
        try:
            public.verify(line.signature[8:], signed_message(parsed.text, timestamp))
        except InvalidSignature:
            raise NoteError(f"the cosignature by {name} does not verify") from None
        if name in found:
            raise NoteError(f"the note carries two cosignatures by {name}")
        found[name] = Cosigned(name, timestamp)
    return list(found.values())
