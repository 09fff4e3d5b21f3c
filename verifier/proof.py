"""Offline proofs of a leaf of the issuance log, as c2sp.org/tlog-proof@v1 writes them:

    c2sp.org/tlog-proof@v1
    extra <base64 of the leaf's entry>
    index <the leaf's index>
    <base64 hash>            (the RFC 6962 2.1.1 audit path, from the leaf's sibling up,
    ...                       one 32-byte hash a line, none for a tree of one)

    <the signed checkpoint, verbatim, with the witnesses' cosignatures>

vanbang writes the leaf's entry (its canonical CBOR, the bytes of /log/leaves and the entry
tiles, docs/audit.md "What is logged") as the `extra` data, so the proof stands alone. The
spec says never to trust the extra data: nothing here does, since the entry is only believed
once its leaf hash SHA-256(0x00 || entry) is proved, at the index, in the tree whose root the
log's key signed. The entry holds no personal data (the record it hashes is salted).

Read strictly: the first line exactly, `extra` and `index` as written (the index ASCII digits
without a leading zero, below 2^64), at most 64 proof lines each the canonical base64 of 32
bytes, no control character but the newline, and the checkpoint a whole signed note.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field

from verifier.cosignature import Cosigned, WitnessPolicy
from verifier.errors import MalformedError, NoteError, ProofError, WitnessPolicyError
from verifier.merkle import HASH_SIZE, leaf_hash, verify_inclusion
from verifier.note import MAX_NOTE, Checkpoint, verify_checkpoint

HEADER = "c2sp.org/tlog-proof@v1"
SUFFIX = ".tlog-proof"  # the file extension the spec asks for
MEDIA_TYPE = "text/plain"  # the spec names none
MAX_PATH = 64  # a tree of fewer than 2^64 leaves has an audit path of at most 64 hashes
MAX_EXTRA = 4096  # a vanbang entry is some 110 bytes
MAX_PROOF = MAX_NOTE + MAX_PATH * 46 + MAX_EXTRA * 2
_INDEX = re.compile("0|[1-9][0-9]*")
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f]")


@dataclass(frozen=True)
class TlogProof:
    index: int
    path: tuple[bytes, ...]
    checkpoint: str  # the signed note, verbatim
    extra: bytes | None = None

    def text(self) -> str:
        lines = [HEADER]
        if self.extra is not None:
            lines.append(f"extra {base64.b64encode(self.extra).decode()}")
        lines.append(f"index {self.index}")
        lines += [base64.b64encode(h).decode() for h in self.path]
        return "\n".join(lines) + "\n\n" + self.checkpoint


def _hash(line: str) -> bytes:
    try:
        value = base64.b64decode(line, validate=True)
    except binascii.Error:
        raise MalformedError("a proof line is not base64") from None
    if len(value) != HASH_SIZE or base64.b64encode(value).decode() != line:
        raise MalformedError(f"a proof line is not a {HASH_SIZE}-byte hash in canonical base64")
    return value


def parse_proof(text: str) -> TlogProof:
    """A tlog-proof's parts; raises MalformedError unless it is written as the spec says
    (the checkpoint is only parsed when it is verified)."""
    if len(text) > MAX_PROOF or len(text.encode()) > MAX_PROOF:
        raise MalformedError(f"a proof is at most {MAX_PROOF} bytes")
    head, blank, checkpoint = text.partition("\n\n")
    if not blank or not checkpoint:
        raise MalformedError("the proof has no checkpoint after an empty line")
    if _CONTROL.search(head):
        raise MalformedError("the proof holds a control character (only the newline)")
    lines = head.split("\n")
    if lines[0] != HEADER:
        raise MalformedError(f"the first line is not {HEADER}")
    rest = lines[1:]
    extra = None
    if rest and rest[0].startswith("extra "):
        try:
            extra = base64.b64decode(rest[0][6:], validate=True)
        except binascii.Error:
            raise MalformedError("the extra data is not base64") from None
        if len(extra) > MAX_EXTRA or base64.b64encode(extra).decode() != rest[0][6:]:
            raise MalformedError(f"the extra data is not canonical base64 of {MAX_EXTRA} bytes")
        rest = rest[1:]
    if not rest or not rest[0].startswith("index "):
        raise MalformedError("the proof has no index line")
    index = rest[0][6:]
    if not _INDEX.fullmatch(index) or int(index) >= 1 << 64:
        raise MalformedError("the index is not ASCII digits without a leading zero, below 2^64")
    path = rest[1:]
    if len(path) > MAX_PATH:
        raise MalformedError(f"an inclusion proof has at most {MAX_PATH} hashes")
    return TlogProof(int(index), tuple(_hash(h) for h in path), checkpoint, extra)


@dataclass(frozen=True)
class Proved:
    """What a proof that holds shows: the entry at `index` is in the checkpoint's tree (and
    the witnesses of the policy cosigned that checkpoint)."""

    index: int
    entry: bytes
    checkpoint: Checkpoint
    cosigned: list[Cosigned] = field(default_factory=list)


def verify_proof(
    proof: TlogProof | str,
    key: str,
    *,
    entry: bytes | None = None,
    policy: WitnessPolicy | None = None,
    now: int | None = None,
) -> Proved:
    """Checks a proof against the log's verifier key: the checkpoint signed by it, cosigned
    as the policy asks, and the entry (the one given, else the proof's extra data) at the
    index of its tree. Raises MalformedError, NoteError, WitnessPolicyError or ProofError."""
    parsed = parse_proof(proof) if isinstance(proof, str) else proof
    data = parsed.extra if entry is None else entry
    if data is None:
        raise MalformedError("the proof carries no entry (extra data), and none was given")
    checkpoint = verify_checkpoint(parsed.checkpoint, key)
    cosigned: list[Cosigned] = []
    if policy is not None:
        try:
            cosigned = policy.check(parsed.checkpoint, now)
        except NoteError as exc:  # a forged or malformed cosignature by a trusted witness
            raise WitnessPolicyError(str(exc)) from None
    if parsed.index >= checkpoint.size:
        raise ProofError(f"leaf {parsed.index} is outside the checkpoint's {checkpoint.size}")
    verify_inclusion(
        leaf_hash(data), parsed.index, checkpoint.size, list(parsed.path), checkpoint.root
    )
    return Proved(parsed.index, data, checkpoint, cosigned)
