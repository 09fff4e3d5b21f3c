"""An auditor's overview of the issuers under them (docs/audit.md): each issuer's year in
figures (diplomas by kind, decisions and how many were late, corrections, revocations, blanks
on hand, open anomalies) and the subtree's issuance month by month."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from service.db import audit as audit_db
from service.db import blanks as blanks_db
from service.db import console as console_db
from service.db import supervision as db
from service.db.pool import Pool
from service.domain.accounts import Principal
from service.domain.audit_views import Anomaly
from service.usecases import audit
from service.usecases.access import issuer_in_scope

VIETNAM = timezone(timedelta(hours=7), "ICT")


@dataclass(frozen=True)
class IssuerYear:
    code: str
    name: str
    by_kind: dict[str, int]
    decisions: int
    late: int
    corrections: int
    revocations: int
    blanks_on_hand: int | None  # None when the issuer does not track its blanks
    anomalies: int

    @property
    def diplomas(self) -> int:
        return sum(self.by_kind.values())


@dataclass(frozen=True)
class Overview:
    year: int
    root: str
    issuers: list[IssuerYear]
    by_month: dict[str, list[int]] = field(default_factory=dict)  # kind -> 12 counts

    @property
    def kinds(self) -> list[str]:
        return sorted(self.by_month)


async def _roots(conn: Any, principal: Principal) -> list[str]:
    """The tops of what the principal oversees: their own issuer (in scope), or every
    top-level issuer for an admin of every issuer."""
    if principal.issuer_code is None:
        return await db.roots(conn)
    return [(await issuer_in_scope(conn, principal, principal.issuer_code)).code]


@dataclass(frozen=True)
class Found:
    root: str
    anomalies: list[Anomaly]


async def anomalies(pool: Pool[Any], principal: Principal) -> Found:
    """The anomalies of every issuer the principal oversees, in the report's order."""
    async with pool.acquire() as conn:
        roots = await _roots(conn, principal)
    found: list[Anomaly] = []
    for root in roots:
        found += (await audit.anomalies(pool, principal, root)).anomalies
    return Found(root=", ".join(roots), anomalies=found)


async def overview(pool: Pool[Any], principal: Principal, year: int) -> Overview:
    """The year of every issuer the principal oversees: their own issuer and those under it
    (every issuer for an admin of every issuer)."""
    start = datetime(year, 1, 1, tzinfo=VIETNAM)
    end = datetime(year + 1, 1, 1, tzinfo=VIETNAM)
    async with pool.acquire() as conn:
        roots = await _roots(conn, principal)
        codes: list[str] = []
        for root in roots:
            codes += [c for c in await audit_db.subtree(conn, root) if c not in codes]
        issuers = await console_db.issuers(conn, codes)
        issued = await db.issued(conn, codes, start, end)
        activity = {r["issuer_code"]: r for r in await db.activity(conn, codes, start, end)}
        on_hand: dict[str, int] = {}
        for issuer in issuers:
            if issuer["tracks_blanks"]:
                report = await blanks_db.report(conn, issuer["code"], year)
                on_hand[issuer["code"]] = sum(int(k["on_hand_at_end"]) for k in report)
    open_anomalies: Counter[str] = Counter()
    for root in roots:
        found = await audit.anomalies(pool, principal, root)
        open_anomalies.update(a.issuer for a in found.anomalies)
    by_issuer: dict[str, Counter[str]] = {code: Counter() for code in codes}
    by_month: dict[str, list[int]] = {}
    for row in issued:
        by_issuer[row["issuer_code"]][row["kind"]] += row["diplomas"]
        by_month.setdefault(row["kind"], [0] * 12)[row["month"] - 1] += row["diplomas"]
    rows = [
        IssuerYear(
            code=i["code"],
            name=i["name"],
            by_kind=dict(sorted(by_issuer[i["code"]].items())),
            decisions=activity[i["code"]]["decisions"],
            late=activity[i["code"]]["late"],
            corrections=activity[i["code"]]["corrections"],
            revocations=activity[i["code"]]["revocations"],
            blanks_on_hand=on_hand.get(i["code"]),
            anomalies=open_anomalies[i["code"]],
        )
        for i in issuers
    ]
    return Overview(year=year, root=", ".join(roots), issuers=rows, by_month=by_month)
