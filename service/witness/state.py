"""A witness's state, in a directory of its own: for each log (by the SHA-256 of its origin,
in hex) the last checkpoint it cosigned, replaced atomically, and the evidence of what it
refused.

    DIR/lock                              held while a witness serves from DIR
    DIR/logs/<origin hash>/checkpoint     the last cosigned checkpoint: the log's signatures
                                          that verified and the witness's cosignature
    DIR/logs/<origin hash>/origin         the origin, for people reading the directory
    DIR/logs/<origin hash>/evidence/      each refused checkpoint signed by the log that
                                          contradicts the one cosigned (a fork, a rollback),
                                          as the request came, named by size, why, and hash
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from verifier.note import Checkpoint, parse_checkpoint, parse_note


class StateError(Exception):
    pass


@dataclass(frozen=True)
class Latest:
    checkpoint: Checkpoint
    note: str


def origin_hash(origin: str) -> str:
    return hashlib.sha256(origin.encode()).hexdigest()


def _write_atomically(path: Path, data: str) -> None:
    """The file is either what it was or `data`, whatever happens: written beside it, synced,
    renamed over it, and the directory synced."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temporary, "w", encoding="utf-8") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


class State:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock: IO[bytes] | None = None

    def open(self) -> None:
        """Takes the directory for this process: two witnesses sharing one state could each
        cosign a different history."""
        self.root.mkdir(parents=True, exist_ok=True)
        lock = open(self.root / "lock", "ab")  # noqa: SIM115  # held until close()
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.close()
            raise StateError(f"another witness is serving from {self.root}") from None
        self._lock = lock

    def close(self) -> None:
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def _dir(self, origin: str) -> Path:
        return self.root / "logs" / origin_hash(origin)

    def latest(self, origin: str) -> Latest | None:
        path = self._dir(origin) / "checkpoint"
        try:
            note = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        checkpoint = parse_checkpoint(parse_note(note).text)
        if checkpoint.origin != origin:
            raise StateError(f"{path} holds a checkpoint of {checkpoint.origin}, not {origin}")
        return Latest(checkpoint, note)

    def latest_note(self, hashed_origin: str) -> str | None:
        """The last cosigned checkpoint of the log whose origin hashes to this (monitoring)."""
        if len(hashed_origin) != 64 or not all(c in "0123456789abcdef" for c in hashed_origin):
            return None
        try:
            return (self.root / "logs" / hashed_origin / "checkpoint").read_text(encoding="utf-8")
        except FileNotFoundError:
            return None

    def save(self, origin: str, note: str) -> None:
        directory = self._dir(origin)
        if not (directory / "origin").exists():
            _write_atomically(directory / "origin", origin + "\n")
        _write_atomically(directory / "checkpoint", note)

    def keep_evidence(self, origin: str, size: int, why: str, body: str) -> Path:
        """The request kept once (by its hash), with the time it first came."""
        digest = hashlib.sha256(body.encode()).hexdigest()[:16]
        path = self._dir(origin) / "evidence" / f"{size}-{why}-{digest}.txt"
        if not path.exists():
            when = datetime.now(UTC).isoformat(timespec="seconds")
            _write_atomically(path, f"# received {when}: {why}\n{body}")
        return path
