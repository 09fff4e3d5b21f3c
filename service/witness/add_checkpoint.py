"""The add-checkpoint call of c2sp.org/tlog-witness: the request's parts, every check in the
order the specification gives, and the answer (its HTTP status, body and content type).

    old <size>\\n
    <base64 consistency proof hash>\\n   (0 to 63 of them)
    \\n
    <signed checkpoint>
"""

from __future__ import annotations

import base64
import binascii
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass

import structlog

from service import texts
from service.texts import Text
from service.witness.keyfile import WitnessKey
from service.witness.state import State
from verifier.cosignature import cosign
from verifier.errors import NoteError, ProofError
from verifier.merkle import EMPTY_ROOT, verify_consistency
from verifier.note import (
    DASH,
    MAX_NOTE,
    Checkpoint,
    NoteVerifiers,
    parse_checkpoint,
    parse_note,
    verify_note,
)

log = structlog.get_logger(__name__)
MAX_PROOF = 63
MAX_REQUEST = MAX_NOTE + 8 * 1024
_SIZE = re.compile("0|[1-9][0-9]{0,19}")
SIZE_TYPE = "text/x.tlog.size"


@dataclass(frozen=True)
class Answer:
    status: int
    body: str
    content_type: str = "text/plain"


@dataclass(frozen=True)
class Request:
    old: int
    proof: list[bytes]
    note: str


class Malformed(ValueError):
    pass


def parse_request(body: bytes) -> Request:
    if len(body) > MAX_REQUEST:
        raise Malformed(f"larger than {MAX_REQUEST} bytes")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Malformed("not UTF-8") from None
    head, blank, note = text.partition("\n\n")
    if not blank:
        raise Malformed("no empty line before the checkpoint")
    old_line, *proof_lines = head.split("\n")
    if not old_line.startswith("old ") or not _SIZE.fullmatch(old_line[4:]):
        raise Malformed("the first line is `old <size>` in ASCII decimal without leading zero")
    old = int(old_line[4:])
    if old >= 1 << 64:
        raise Malformed("the old size is beyond 2^64")
    if len(proof_lines) > MAX_PROOF:
        raise Malformed(f"more than {MAX_PROOF} consistency proof lines")
    proof = []
    for line in proof_lines:
        try:
            digest = base64.b64decode(line, validate=True)
        except binascii.Error:
            raise Malformed("a consistency proof line is not base64") from None
        if len(digest) != 32:
            raise Malformed("a consistency proof line is not a 32-byte hash")
        proof.append(digest)
    return Request(old, proof, note)


def _said(text: Text) -> str:
    return f"{text.vi}\n{text.en}\n"


class Witness:
    """Cosigns the checkpoints of the logs it knows (origin -> the log's verifier keys), each
    only when consistent with the last it cosigned of that log."""

    def __init__(self, key: WitnessKey, logs: Mapping[str, NoteVerifiers], state: State) -> None:
        self.key = key
        self.logs = dict(logs)
        self.state = state

    def add_checkpoint(self, body: bytes, now: int | None = None) -> Answer:
        """One request, checked and (when it passes) recorded before the cosignature is
        returned. Synchronous from reading the state to writing it: no other request of this
        process runs in between, and the state directory belongs to this process alone."""
        try:
            request = parse_request(body)
            checkpoint = parse_checkpoint(parse_note(request.note).text)
        except (Malformed, NoteError) as exc:
            return Answer(400, _said(texts.WITNESS_MALFORMED.format(detail=exc)))
        verifiers = self.logs.get(checkpoint.origin)
        if verifiers is None:
            return Answer(404, _said(texts.WITNESS_UNKNOWN_LOG.format(origin=checkpoint.origin)))
        try:
            note, _ = verify_note(request.note, verifiers)
        except NoteError as exc:
            return Answer(403, _said(texts.WITNESS_NOT_SIGNED.format(detail=exc)))
        if request.old > checkpoint.size:
            self._evidence_if_contradicting(checkpoint, request.note)
            return Answer(
                400,
                _said(texts.WITNESS_OLD_TOO_LARGE.format(old=request.old, size=checkpoint.size)),
            )
        if checkpoint.size == 0 and checkpoint.root != EMPTY_ROOT:
            return self._refuse(checkpoint, request.note, "empty-root", "an empty tree's root")
        latest = self.state.latest(checkpoint.origin)
        latest_size = 0 if latest is None else latest.checkpoint.size
        if request.old != latest_size:
            self._evidence_if_contradicting(checkpoint, request.note)
            return Answer(409, f"{latest_size}\n", SIZE_TYPE)
        old_root = EMPTY_ROOT if latest is None or latest_size == 0 else latest.checkpoint.root
        try:
            verify_consistency(
                request.old, checkpoint.size, old_root, checkpoint.root, request.proof
            )
        except ProofError as exc:
            if request.old == 0:  # nothing cosigned to contradict: a bad request, no evidence
                return Answer(422, _said(texts.WITNESS_INCONSISTENT.format(detail=exc)))
            why = "fork" if checkpoint.size == latest_size else "inconsistent"
            return self._refuse(checkpoint, request.note, why, str(exc))
        timestamp = int(time.time()) if now is None else now
        line = cosign(note.text, self.key.name, self.key.key, timestamp)
        log_lines = "".join(
            f"{DASH} {s.name} {base64.b64encode(s.key_id + s.signature).decode()}\n"
            for s in note.signatures
            if verifiers.find(s.name, s.key_id) is not None
        )
        self.state.save(checkpoint.origin, f"{note.text}\n{log_lines}{line}")
        log.info("witness_cosigned", origin=checkpoint.origin, size=checkpoint.size)
        return Answer(200, line)

    def _refuse(self, checkpoint: Checkpoint, note: str, why: str, detail: str) -> Answer:
        kept = self.state.keep_evidence(checkpoint.origin, checkpoint.size, why, note)
        log.warning(
            "witness_refused", origin=checkpoint.origin, size=checkpoint.size, why=why,
            evidence=str(kept),
        )  # fmt: skip
        return Answer(422, _said(texts.WITNESS_INCONSISTENT.format(detail=detail)))

    def _evidence_if_contradicting(self, checkpoint: Checkpoint, note: str) -> None:
        """A signed checkpoint of the size cosigned with another root is a fork; one smaller
        than it, a rollback (or a stale retry: kept once, it costs a file)."""
        latest = self.state.latest(checkpoint.origin)
        if latest is None:
            return
        cosigned = latest.checkpoint
        if checkpoint.size == cosigned.size and checkpoint.root != cosigned.root:
            why = "fork"
        elif checkpoint.size < cosigned.size:
            why = "smaller"
        else:
            return
        kept = self.state.keep_evidence(checkpoint.origin, checkpoint.size, why, note)
        log.warning(
            "witness_contradicted", origin=checkpoint.origin, size=checkpoint.size, why=why,
            cosigned=cosigned.size, evidence=str(kept),
        )  # fmt: skip
