"""The yearly report on issuing and managing diplomas (báo cáo năm, Circular 21 Art. 9-11, 13,
17): for a year and an issuer, one row per issuer under it in hierarchy order, a subtotal row
after each issuer that has others under it (the issuer and everything under it), and the
grand total. Plain values: the figures come from the register (sql/queries/reports.sql), the
rows and sums are made here.

Which year an event falls in is the year of the date the register numbers it by: a diploma
by its register year (the year of its issue date, which its register number carries), a
re-issue by the new diploma's, a correction or a revocation by its decision's date, a
certified copy by the copy register's year, the blanks as the blank report counts them
(received, issued, spoiled and destroyed on), and a late registration by when it was
registered (Vietnam time), when its lateness was found."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

from service.domain.events import Answer, IsoDateTime
from service.domain.kinds import DiplomaKind

EARLIEST_YEAR = 1900


def check_year(raw: str, today: date) -> int | None:
    """The year asked for, when it is one the register can have: 1900 to this year."""
    if not (raw.isascii() and raw.isdigit() and len(raw) == 4):
        return None
    year = int(raw)
    return year if EARLIEST_YEAR <= year <= today.year else None


class BlankFigures(BaseModel):
    """An issuer's blanks over the year, all kinds together, as the blank report counts them
    (GET /api/v1/issuers/{code}/blanks): a blank leaves the stock once, when it is used or
    when it is spoiled or destroyed unused, so a spoiled blank is no longer on hand even
    before it is destroyed (it is then awaiting destruction)."""

    model_config = ConfigDict(frozen=True)

    on_hand_at_start: int = 0
    received: int = 0
    used: int = 0
    spoiled: int = 0
    destroyed: int = 0
    on_hand_at_end: int = 0
    awaiting_destruction: int = 0  # spoiled and not destroyed by the end of the year

    def __add__(self, other: BlankFigures) -> BlankFigures:
        return BlankFigures(
            **{name: getattr(self, name) + getattr(other, name) for name in BLANK_COLUMNS}
        )


BLANK_COLUMNS = tuple(BlankFigures.model_fields)


class Figures(BaseModel):
    """What one row counts. `blanks` is None where no issuer of the row tracks its blanks in
    the service: unknown, never zero."""

    model_config = ConfigDict(frozen=True)

    issued: dict[str, int]  # diplomas entered in the register in the year, by kind
    corrections: int
    reissues: int
    revocations: int
    copy_requests: int  # entries in the copy register (sổ cấp bản sao)
    copies: int  # copies issued under them
    # Registrations of a graduation decision's list (its first or a further one) in the year,
    # how many of them came after the Art. 17 deadline, and the diplomas those late ones entered.
    registrations: int
    late_registrations: int
    late_diplomas: int
    blanks: BlankFigures | None

    @property
    def diplomas(self) -> int:
        return sum(self.issued.values())


COUNT_COLUMNS = (
    "corrections",
    "reissues",
    "revocations",
    "copy_requests",
    "copies",
    "registrations",
    "late_registrations",
    "late_diplomas",
)


def _sum(rows: Sequence[Figures], kinds: Sequence[str]) -> Figures:
    tracked = [r.blanks for r in rows if r.blanks is not None]
    blanks = None
    if tracked:
        blanks = BlankFigures()
        for b in tracked:
            blanks += b
    return Figures(
        issued={k: sum(r.issued.get(k, 0) for r in rows) for k in kinds},
        **{name: sum(getattr(r, name) for r in rows) for name in COUNT_COLUMNS},
        blanks=blanks,
    )


class ReportRow(BaseModel):
    """An issuer's own figures (`issuer`), or the sum of an issuer and every issuer under it
    (`subtotal`; `total` for the report's issuer, the last row)."""

    model_config = ConfigDict(frozen=True)

    type: Literal["issuer", "subtotal", "total"]
    issuer: str
    name: str
    depth: int  # 0 for the report's issuer
    figures: Figures


class YearlyReport(Answer):
    """The yearly report of an issuer and those under it (docs/audit.md)."""

    issuer: str
    name: str
    year: int
    made_at: IsoDateTime
    kinds: list[str]  # the kinds issued in the year anywhere in the report, in the kinds' order
    rows: list[ReportRow]


@dataclass(frozen=True)
class Node:
    """An issuer of the report's subtree."""

    code: str
    name: str
    parent: str | None
    tracks_blanks: bool


@dataclass(frozen=True)
class Counted:
    """What the register gave for one issuer, before rows are made."""

    issued: Mapping[str, int]
    counts: Mapping[str, int]  # COUNT_COLUMNS
    blanks: BlankFigures


def report_kinds(counted: Mapping[str, Counted]) -> list[str]:
    issued = {k for c in counted.values() for k, n in c.issued.items() if n}
    return [k.value for k in DiplomaKind if k.value in issued]


def build_rows(root: str, nodes: Sequence[Node], counted: Mapping[str, Counted]) -> list[ReportRow]:
    """The rows, depth first from `root` (children by code): each issuer, then those under it,
    then its subtotal when it has any; the root's sum last, as the total."""
    kinds = report_kinds(counted)
    by_code = {n.code: n for n in nodes}
    children: dict[str, list[Node]] = {}
    for n in nodes:
        if n.parent is not None and n.parent in by_code and n.code != root:
            children.setdefault(n.parent, []).append(n)
    rows: list[ReportRow] = []

    def own(n: Node) -> Figures:
        c = counted.get(n.code)
        return Figures(
            issued={k: (c.issued.get(k, 0) if c else 0) for k in kinds},
            **{name: (c.counts.get(name, 0) if c else 0) for name in COUNT_COLUMNS},
            blanks=(c.blanks if c else BlankFigures()) if n.tracks_blanks else None,
        )

    def visit(n: Node, depth: int, seen: frozenset[str]) -> Figures:
        mine = own(n)
        rows.append(ReportRow(type="issuer", issuer=n.code, name=n.name, depth=depth, figures=mine))
        below = sorted(children.get(n.code, []), key=lambda c: c.code)
        if not below and n.code != root:
            return mine
        parts = [mine] + [visit(c, depth + 1, seen | {n.code}) for c in below if c.code not in seen]
        whole = _sum(parts, kinds)
        kind: Literal["subtotal", "total"] = "total" if n.code == root else "subtotal"
        rows.append(ReportRow(type=kind, issuer=n.code, name=n.name, depth=depth, figures=whole))
        return whole

    visit(by_code[root], 0, frozenset())
    return rows


def in_order(root: str, nodes: Sequence[Node]) -> list[tuple[Node, int]]:
    """The subtree depth first from `root`, children by code, each with its depth."""
    children: dict[str, list[Node]] = {}
    for n in nodes:
        if n.parent is not None and n.code != root:
            children.setdefault(n.parent, []).append(n)
    by_code = {n.code: n for n in nodes}
    out: list[tuple[Node, int]] = []
    stack = [(by_code[root], 0)]
    seen: set[str] = set()
    while stack:
        n, depth = stack.pop()
        if n.code in seen:
            continue
        seen.add(n.code)
        out.append((n, depth))
        stack += [(c, depth + 1) for c in sorted(children.get(n.code, []), key=lambda c: c.code)][
            ::-1
        ]
    return out
