"""An auditor's overview of the issuers under them (docs/audit.md): each issuer's year in
figures (diplomas by kind, decisions and how many were late, corrections, revocations, blanks
on hand, open anomalies) and the subtree's issuance month by month."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from service import texts
from service.db import audit as audit_db
from service.db import blanks as blanks_db
from service.db import console as console_db
from service.db import custody as custody_db
from service.db import supervision as db
from service.db.pool import Pool
from service.domain.accounts import Principal
from service.domain.anomaly_keys import anomaly_key
from service.domain.audit_views import Anomaly
from service.domain.clock import VIETNAM
from service.domain.journal import Action
from service.problems import NOT_FOUND, VALIDATION_ERROR, FieldError, Problem
from service.usecases import audit, journal
from service.usecases.access import issuer_in_scope


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
class Rates:
    """An issuer's diplomas corrected and revoked against its peers' (the issuers under the
    same parent, all of them, as the corrected_rate and revoked_rate anomalies compare), over
    the whole register to date. The peers' figures are sums; None: it has no peer with a
    diploma."""

    code: str
    name: str
    diplomas: int
    corrected: int
    revoked: int
    peer_diplomas: int
    peer_corrected: int
    peer_revoked: int

    def rate(self, event: str) -> float:
        return int(getattr(self, event)) / self.diplomas

    def peer_rate(self, event: str) -> float | None:
        return (
            int(getattr(self, f"peer_{event}")) / self.peer_diplomas if self.peer_diplomas else None
        )


@dataclass(frozen=True)
class Overview:
    year: int
    root: str
    issuers: list[IssuerYear]
    by_month: dict[str, list[int]] = field(default_factory=dict)  # kind -> 12 counts
    rates: list[Rates] = field(default_factory=list)  # the issuers with diplomas
    # The transfers of custody of these issuers' registers, given away or taken over
    # (docs/custody.md), newest first: custody_transfers_touching's rows.
    transfers: list[dict[str, Any]] = field(default_factory=list)

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
    keys: list[str]  # each anomaly's (domain/anomaly_keys.py)
    reviews: dict[str, Any]  # the latest review of those reviewed, by key

    @property
    def open(self) -> list[Anomaly]:
        return [a for a, k in zip(self.anomalies, self.keys, strict=True) if k not in self.reviews]


async def anomalies(pool: Pool[Any], principal: Principal) -> Found:
    """The anomalies of every issuer the principal oversees, in the report's order, with
    their reviews."""
    async with pool.acquire() as conn:
        roots = await _roots(conn, principal)
    found: list[Anomaly] = []
    for root in roots:
        found += (await audit.anomalies(pool, principal, root)).anomalies
    keys = [anomaly_key(a) for a in found]
    async with pool.acquire() as conn:
        reviews = await db.reviews(conn, keys)
    return Found(root=", ".join(roots), anomalies=found, keys=keys, reviews=reviews)


NOTE_MAX = 2000


async def review(pool: Pool[Any], principal: Principal, key: str, note: str) -> None:
    """Marks one of the anomalies the principal oversees as reviewed, with a note; journalled.
    An anomaly no longer found (or never in scope) is not found; an empty note is refused."""
    note = note.strip()
    if not 1 <= len(note) <= NOTE_MAX:
        raise Problem(
            VALIDATION_ERROR, errors=[FieldError(("note",), "invalid", *texts.REVIEW_NOTE)]
        )
    found = await anomalies(pool, principal)
    anomaly = next((a for a, k in zip(found.anomalies, found.keys, strict=True) if k == key), None)
    if anomaly is None or principal.account_id is None:
        raise Problem(NOT_FOUND)
    async with pool.acquire() as conn, conn.transaction():
        await db.add_review(conn, key, anomaly.issuer, principal.account_id, note)
        await journal.note(
            conn,
            principal,
            Action.ANOMALY_REVIEWED,
            issuer_code=anomaly.issuer,
            record_type="anomaly",
            record_id=key[:100],
            detail={"type": anomaly.type, "note": note},
        )


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
        rates = {r["code"]: r for r in await audit_db.rates(conn, codes)}
        activity = {r["issuer_code"]: r for r in await db.activity(conn, codes, start, end)}
        transfers = [dict(r) for r in await custody_db.transfers_touching(conn, codes)]
        on_hand: dict[str, int] = {}
        for issuer in issuers:
            if issuer["tracks_blanks"]:
                report = await blanks_db.report(conn, issuer["code"], year)
                on_hand[issuer["code"]] = sum(int(k["on_hand_at_end"]) for k in report)
    open_anomalies: Counter[str] = Counter(
        a.issuer for a in (await anomalies(pool, principal)).open
    )
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
    return Overview(
        year=year,
        root=", ".join(roots),
        issuers=rows,
        by_month=by_month,
        rates=[
            Rates(
                code=i["code"],
                name=i["name"],
                diplomas=r["diplomas"],
                corrected=r["corrected"],
                revoked=r["revoked"],
                peer_diplomas=r["peer_diplomas"],
                peer_corrected=r["peer_corrected"],
                peer_revoked=r["peer_revoked"],
            )
            for i in issuers
            if (r := rates.get(i["code"])) is not None
        ],
        transfers=transfers,
    )
