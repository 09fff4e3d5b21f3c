"""The clerk's console home: the issuer's recent decisions, this year's counts by kind, and
what needs attention (lists checked and not confirmed as their Art. 17 deadline nears or
passes, decisions registered late, blanks running low, diplomas not handed over, digital
diplomas not all made as their deadline nears or passes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg

from service.db import blanks as blanks_db
from service.db import console as db
from service.db import search as search_db
from service.db import staging as staging_db
from service.db.pool import Pool
from service.domain.accounts import Principal
from service.domain.attention import (
    DIGITAL_LOOKBACK_DAYS,
    DIGITAL_NEAR_DAYS,
    HANDOVER_DAYS,
    Deadline,
    blanks_low,
    deadline_state,
    handover_overdue_before,
)
from service.domain.regulations import digital_due, fewest_digital_days, with_digital_diplomas
from service.domain.search import day_start

RECENT = 10


@dataclass(frozen=True)
class LowBlanks:
    issuer_code: str
    kind: str
    on_hand: int
    used_last_year: int


@dataclass(frozen=True)
class Pending:
    """A list checked and waiting for its confirmation."""

    row: asyncpg.Record
    deadline: Deadline


@dataclass(frozen=True)
class DigitalDue:
    """A decision some of whose diplomas in force have no digital diploma yet."""

    row: asyncpg.Record  # id, issuer_code, number, decided_on, kind, in_force, missing
    due: date
    deadline: Deadline


@dataclass(frozen=True)
class Home:
    today: date
    issuers: list[asyncpg.Record]  # code, name, tracks_blanks
    recent: list[asyncpg.Record]
    counts: list[asyncpg.Record]  # kind, diplomas, decisions (this year)
    pending: list[Pending]
    late: list[asyncpg.Record]
    low_blanks: list[LowBlanks]
    # Diplomas in force, not handed over, registered before `overdue_before` (attention.py).
    awaiting_handover: int = 0
    overdue_before: date | None = None
    handover_days: int = HANDOVER_DAYS
    digital_due: list[DigitalDue] = field(default_factory=list)

    @property
    def needs_attention(self) -> bool:
        return bool(
            self.pending
            or self.late
            or self.low_blanks
            or self.awaiting_handover
            or self.digital_due
        )


async def home(pool: Pool[Any], principal: Principal, today: date) -> Home:
    """What the home shows for the principal's own issuer (every issuer for an admin of
    every issuer)."""
    wanted = None if principal.issuer_code is None else [principal.issuer_code]
    async with pool.acquire() as conn:
        issuers = await db.issuers(conn, wanted)
        codes = [r["code"] for r in issuers]
        recent = await db.recent_decisions(conn, codes, RECENT)
        counts = await db.counts_by_kind(conn, codes, today.year)
        pending = await staging_db.pending(conn, codes, RECENT)
        since = datetime.now(UTC) - timedelta(days=365)
        late = await db.late_decisions(conn, codes, since, RECENT)
        overdue_before = handover_overdue_before(today)
        awaiting = await search_db.awaiting_handover(conn, codes, day_start(overdue_before))
        # Decisions too young for their deadline to be near are not looked at: their
        # documents are usually being made right then, and they are the season's bulk.
        decided = (
            today - timedelta(days=DIGITAL_LOOKBACK_DAYS),
            today + timedelta(days=DIGITAL_NEAR_DAYS - fewest_digital_days()),
        )
        lacking = await db.digital_missing(conn, codes, decided, with_digital_diplomas(), 100)
        low: list[LowBlanks] = []
        for issuer in issuers:
            if not issuer["tracks_blanks"]:
                continue
            used = await db.issued_last_year(conn, issuer["code"], today)
            report = await blanks_db.report(conn, issuer["code"], today.year)
            on_hand = {str(k["kind"]): int(k["on_hand_at_end"]) for k in report}
            for kind in sorted(on_hand.keys() | used.keys()):
                if blanks_low(on_hand.get(kind, 0), used.get(kind, 0)):
                    low.append(LowBlanks(issuer["code"], kind, on_hand.get(kind, 0), used[kind]))
    return Home(
        today=today,
        issuers=issuers,
        recent=recent,
        counts=counts,
        pending=[Pending(r, deadline_state(r["deadline"], today)) for r in pending],
        late=late,
        low_blanks=low,
        awaiting_handover=awaiting,
        overdue_before=overdue_before,
        digital_due=_digital_due(lacking, today),
    )


def _digital_due(rows: list[asyncpg.Record], today: date) -> list[DigitalDue]:
    """Those of `rows` whose digital deadline is near or past, at most RECENT, the most
    overdue first."""
    found = []
    for row in rows:
        due = digital_due(row["regulation"], row["kind"], row["decided_on"])
        if due is None:
            continue
        state = deadline_state(due, today, near_days=DIGITAL_NEAR_DAYS)
        if state is not Deadline.AHEAD:
            found.append(DigitalDue(row, due, state))
    return sorted(found, key=lambda d: (d.due, d.row["number"]))[:RECENT]
