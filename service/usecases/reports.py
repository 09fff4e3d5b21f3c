"""The yearly report (báo cáo năm) of an issuer and those under it, for auditors and admins
(docs/audit.md): the register's figures for a year, read in one snapshot, made into rows and
subtotals by service/domain/yearly_reports.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from service.db import reports as db
from service.db import supervision as supervision_db
from service.db.pool import Pool
from service.domain.accounts import Principal
from service.domain.clock import VIETNAM
from service.domain.yearly_reports import (
    COUNT_COLUMNS,
    BlankFigures,
    Counted,
    Node,
    YearlyReport,
    build_rows,
    in_order,
    report_kinds,
)
from service.usecases.access import ensure_may_supervise, issuer_in_scope


@dataclass(frozen=True)
class Choice:
    """An issuer the principal may report on, at its depth under their own."""

    code: str
    name: str
    depth: int


def _nodes(rows: Any) -> list[Node]:
    return [Node(r["code"], r["name"], r["parent_code"], r["tracks_blanks"]) for r in rows]


async def _roots(conn: Any, principal: Principal) -> list[str]:
    if principal.issuer_code is None:
        return await supervision_db.roots(conn)
    return [principal.issuer_code]


async def choices(pool: Pool[Any], principal: Principal) -> list[Choice]:
    """Every issuer the principal supervises, in hierarchy order."""
    ensure_may_supervise(principal)
    found: list[Choice] = []
    async with pool.acquire() as conn:
        for root in await _roots(conn, principal):
            nodes = _nodes(await db.issuers(conn, root))
            if nodes:
                found += [Choice(n.code, n.name, depth) for n, depth in in_order(root, nodes)]
    return found


async def default_issuer(pool: Pool[Any], principal: Principal) -> str | None:
    """The issuer a report is on when none is chosen: the principal's own, or the first
    top-level issuer for an admin of every issuer."""
    async with pool.acquire() as conn:
        roots = await _roots(conn, principal)
    return roots[0] if roots else None


async def yearly(
    pool: Pool[Any], principal: Principal, issuer_code: str, year: int
) -> YearlyReport:
    """The report on the issuer and every issuer under it for the calendar year; not found
    when the issuer is outside the principal's scope."""
    ensure_may_supervise(principal)
    start = datetime(year, 1, 1, tzinfo=VIETNAM)
    end = datetime(year + 1, 1, 1, tzinfo=VIETNAM)
    # One snapshot: the rows and their sums tell of the same moment of the register.
    async with (
        pool.acquire() as conn,
        conn.transaction(isolation="repeatable_read", readonly=True),
    ):
        issuer = await issuer_in_scope(conn, principal, issuer_code)
        nodes = _nodes(await db.issuers(conn, issuer.code))
        codes = [n.code for n in nodes]
        issued = await db.issued(conn, codes, year)
        activity = await db.activity(conn, codes, year, start, end)
        blanks = await db.blanks(conn, codes, year)
    by_kind: dict[str, dict[str, int]] = {code: {} for code in codes}
    for r in issued:
        by_kind[r["issuer_code"]][r["kind"]] = r["diplomas"]
    stock: dict[str, BlankFigures] = {code: BlankFigures() for code in codes}
    for r in blanks:
        stock[r["issuer_code"]] += BlankFigures(**{k: v for k, v in r.items() if k in _BLANKS})
    counted = {
        r["issuer_code"]: Counted(
            issued=by_kind[r["issuer_code"]],
            counts={name: r[name] for name in COUNT_COLUMNS},
            blanks=stock[r["issuer_code"]],
        )
        for r in activity
    }
    rows = build_rows(issuer.code, nodes, counted)
    return YearlyReport(
        issuer=issuer.code,
        name=issuer.name,
        year=year,
        made_at=datetime.now(UTC),
        kinds=report_kinds(counted),
        rows=rows,
    )


_BLANKS = frozenset(BlankFigures.model_fields)
