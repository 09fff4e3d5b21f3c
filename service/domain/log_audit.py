"""What `vanbang audit verify` finds (service/tlog/recompute.py), kept in `log_audit_runs`
and shown on the issuance log page: each problem a kind and the values it names, said on the
command line as a line of English (as it always was), and on the page in words
(texts.LOG_AUDIT_PROBLEMS)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final, Literal

How = Literal["cli", "scheduled"]
STORED_PROBLEMS: Final = 200  # a run keeps its first problems, and counts them all

# The command line's line for each kind of problem (technical: event types and subtrees by
# their codes), in the order the audit checks.
_LINES: Final = {
    "checkpoint_invalid": "checkpoint {size}: {reason}",
    "checkpoint_columns": "checkpoint {size}: columns differ from the note",
    "empty_root": "checkpoint 0: not the empty tree's root",
    "leaf_missing": "leaf {index} is missing (next is {next})",
    "leaf_data": "leaf {index}: its data differs from its columns",
    "leaf_hash": "leaf {index}: its hash is not the hash of its data",
    "root_differs": "checkpoint {size}: the recomputed root differs",
    "size_differs": "the latest checkpoint is of {checkpoint} leaves, the log has {leaves}",
    "subtree_differs": "subtree ({level}, {index}): stored hash differs from the recomputed one",
    "subtree_extra": "subtree ({level}, {index}): stored but not part of the tree",
    "event_unlogged": "{event} {ref} is not in the log",
    "leaf_orphan": "leaf {index} ({event}): its record is gone or was changed",
}
KINDS: Final = tuple(_LINES)


@dataclass(frozen=True)
class LogProblem:
    kind: str
    values: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in _LINES:
            raise ValueError(f"no such log problem: {self.kind}")

    @property
    def line(self) -> str:
        """As the command line prints it, after PROBLEM."""
        return _LINES[self.kind].format(**self.values)

    def stored(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.line, **self.values}

    @classmethod
    def from_stored(cls, item: dict[str, Any]) -> LogProblem:
        values = {k: v for k, v in item.items() if k not in ("kind", "text")}
        return cls(str(item["kind"]), values)


@dataclass(frozen=True)
class AuditRun:
    """One run of the audit, as `log_audit_runs` keeps it."""

    started_at: datetime
    finished_at: datetime
    tree_size: int
    root: bytes | None
    checkpoints: int
    events: int
    problem_count: int
    problems: tuple[LogProblem, ...]
    how: How

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    @classmethod
    def from_row(cls, row: Any, problems: list[dict[str, Any]]) -> AuditRun:
        """`problems`: the row's JSON list, decoded."""
        return cls(
            started_at=row["started_at"],
            finished_at=row["finished_at"],
            tree_size=row["tree_size"],
            root=None if row["root"] is None else bytes(row["root"]),
            checkpoints=row["checkpoints"],
            events=row["events"],
            problem_count=row["problem_count"],
            problems=tuple(LogProblem.from_stored(p) for p in problems),
            how=row["how"],
        )


LeafState = Literal["included", "queued", "failed"]


@dataclass(frozen=True)
class DiplomaLeaf:
    """One of a diploma's events in the log: its leaf (None while queued), and whether its
    inclusion proof, built and checked on the server, leads to the latest checkpoint's root."""

    event: str
    time: datetime
    state: LeafState
    index: int | None = None
    leaf_hash: bytes | None = None


@dataclass(frozen=True)
class DiplomaLog:
    leaves: tuple[DiplomaLeaf, ...]
    tree_size: int | None  # the latest checkpoint's, which the proofs were checked against
    root: bytes | None
