"""What education-department staff read: an issuer's register (sổ gốc) with each entry's
lifecycle inline, page by page or as CSV/XLSX in the register's column layout; the
anomalies of an issuer and those under it; and the log's events for other systems."""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

from service import texts
from service.db import audit as db
from service.db.pool import Connection
from service.domain import anomalies as rules
from service.domain.accounts import Principal
from service.domain.anomalies import SPOILED_DESTRUCTION_DAYS, rate_out_of_line
from service.domain.audit_views import (
    Anomalies,
    Anomaly,
    BadKeySignature,
    BlanksUnaccounted,
    DecisionRef,
    Events,
    LateIssuance,
    RateOutOfLine,
    RegisterEntry,
    RegisterGap,
    RegisterPage,
    SamePersonOtherIssuer,
    UnusualBulk,
    UnusualHours,
)
from service.domain.folding import fold
from service.domain.holidays import holidays_between
from service.domain.journal import Action
from service.domain.register_lines import Cell, dmy, register_line
from service.domain.tlog_views import LogEvent
from service.problems import VALIDATION_ERROR, FieldError, Problem
from service.usecases import journal
from service.usecases.access import decision_in_scope, issuer_in_scope

PAGE = 500
EXPORT_PAGE = 5_000


async def scope(conn: Connection, principal: Principal, issuer_code: str) -> str:
    """The issuer's code, when the principal may read its register."""
    return (await issuer_in_scope(conn, principal, issuer_code)).code


def _cursor(text: str | None) -> tuple[str, int, int]:
    if not text:
        return ("", 0, 0)
    try:
        kind, year, seq = base64.urlsafe_b64decode(text.encode()).decode().split(":")
        return kind, int(year), int(seq)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise Problem(
            VALIDATION_ERROR,
            errors=[FieldError(("after",), "bad_cursor", *texts.BAD_CURSOR)],
        ) from None


def _next_cursor(row: Any) -> str:
    raw = f"{row['kind']}:{row['register_year']}:{row['register_seq']}"
    return base64.urlsafe_b64encode(raw.encode()).decode()


async def register_page(
    pool: asyncpg.Pool[Any],
    principal: Principal,
    issuer_code: str,
    *,
    kind: str | None,
    year: int | None,
    after: str | None,
    limit: int = PAGE,
    journalled: bool = True,
) -> RegisterPage:
    """A page of the issuer's register after the cursor; the first page of a read from the
    start is journalled as an export, unless a person is only browsing it on a page."""
    kind_after, year_after, seq_after = _cursor(after)
    async with pool.acquire() as conn:
        code = await scope(conn, principal, issuer_code)
        if after is None and journalled:  # read from its start: an export, page by page
            await _journal_export(conn, principal, code, form="json", kind=kind, year=year)
        rows = await db.register_entries(
            conn, code, kind, year, (kind_after, year_after, seq_after), limit
        )
    return RegisterPage(
        issuer=code,
        entries=[RegisterEntry.from_row(r) for r in rows],
        next=_next_cursor(rows[-1]) if len(rows) == limit else None,
    )


@dataclass(frozen=True)
class Export:
    """A register's lines to export, with the file's name and the title row above them."""

    name: str
    title: str
    lines: list[list[Cell]]


async def register_export(
    pool: asyncpg.Pool[Any],
    principal: Principal,
    issuer_code: str,
    *,
    kind: str | None,
    year: int | None,
    form: str,
) -> Export:
    """The issuer's register (of one kind, of one year), once the principal may export it;
    the export is journalled."""
    async with pool.acquire() as conn:
        code = await scope(conn, principal, issuer_code)
        await _journal_export(conn, principal, code, form=form, kind=kind, year=year)
    lines = [register_line(e) async for e in register_rows(pool, code, kind, year)]
    parts = [code]
    if kind:
        parts.append(texts.KINDS[kind][0])
    if year:
        parts.append(texts.REGISTER_YEAR.format(year=year))
    name = "-".join(str(p) for p in ("so-goc", code, kind, year) if p)
    return Export(name, texts.REGISTER_TITLE.format(what=", ".join(parts)), lines)


async def _journal_export(
    conn: Connection,
    principal: Principal,
    code: str,
    *,
    form: str,
    kind: str | None,
    year: int | None,
) -> None:
    await journal.note(
        conn,
        principal,
        Action.EXPORT_REGISTER,
        issuer_code=code,
        record_type="register",
        record_id=code,
        detail={"format": form, "kind": kind, "year": year},
    )


async def register_rows(
    pool: asyncpg.Pool[Any],
    issuer_code: str,
    kind: str | None,
    year: int | None,
    decision_id: uuid.UUID | None = None,
) -> AsyncIterator[RegisterEntry]:
    """Every entry in register order, a page at a time, or one decision's (the caller checked
    the scope)."""
    cursor = ("", 0, 0)
    while True:
        async with pool.acquire() as conn:
            rows = await db.register_entries(
                conn, issuer_code, kind, year, cursor, EXPORT_PAGE, decision_id
            )
        for row in rows:
            yield RegisterEntry.from_row(row)
        if len(rows) < EXPORT_PAGE:
            return
        last = rows[-1]
        cursor = (last["kind"], last["register_year"], last["register_seq"])


async def decision_register(
    pool: asyncpg.Pool[Any], principal: Principal, decision_id: uuid.UUID
) -> Export:
    """One decision's entries in the register; the export is journalled like a whole
    register's."""
    async with pool.acquire() as conn:
        decision = await decision_in_scope(conn, principal, decision_id)
        code = decision["issuer_code"]
        await journal.note(
            conn,
            principal,
            Action.EXPORT_REGISTER,
            issuer_code=code,
            record_type="decision",
            record_id=str(decision_id),
            detail={"format": "xlsx", "decision": decision["number"]},
        )
    entries = register_rows(pool, code, None, None, decision_id)
    lines = [register_line(entry) async for entry in entries]
    number = "".join(c if c.isalnum() else "-" for c in fold(decision["number"]))
    title = texts.REGISTER_DECISION_TITLE.format(
        number=decision["number"], date=dmy(decision["decided_on"]), issuer=code
    )
    return Export(f"so-goc-{code}-{number.strip('-')}", title, lines)


async def anomalies(pool: asyncpg.Pool[Any], principal: Principal, issuer_code: str) -> Anomalies:
    """The anomalies of an issuer and every issuer under it."""
    today = datetime.now(UTC).date()
    spoiled_before = today - timedelta(days=SPOILED_DESTRUCTION_DAYS)
    holidays = holidays_between(rules.HOLIDAYS_FROM, today.year + 1)
    async with pool.acquire() as conn:
        code = await scope(conn, principal, issuer_code)
        codes = await db.subtree(conn, code)
        gaps = await db.register_gaps(conn, codes)
        blanks = await db.blanks_unaccounted(conn, codes, spoiled_before)
        late = await db.late_decisions(conn, codes)
        rates = await db.rates(conn, codes)
        keys = await db.bad_key_signatures(conn, codes)
        pairs = await db.same_person_other_issuer(conn, codes, rules.SAME_PERSON_MAX_PAIRS)
        hours = await db.unusual_hours(
            conn, codes, rules.NIGHT_FROM, rules.NIGHT_UNTIL, rules.SUNDAY, list(holidays)
        )
        bulk = await db.unusual_bulk(
            conn, codes, rules.BULK_MIN_DIPLOMAS, rules.BULK_FACTOR, rules.BULK_WINDOW_DAYS
        )
    found: list[Anomaly] = []
    for g in gaps:
        found.append(
            RegisterGap(
                issuer=g["issuer_code"],
                kind=g["kind"],
                year=g["register_year"],
                missing=g["missing"],
                first_missing=list(g["first_missing"] or []),
            )
        )
    for b in blanks:
        if b["diplomas_without_blank"] or b["spoiled_not_destroyed"]:
            found.append(
                BlanksUnaccounted(
                    issuer=b["issuer_code"],
                    diplomas_without_blank=b["diplomas_without_blank"],
                    spoiled_not_destroyed_after_90_days=b["spoiled_not_destroyed"],
                )
            )
    for d in late:
        found.append(
            LateIssuance(
                issuer=d["issuer_code"],
                decision_id=d["id"],
                decision_number=d["number"],
                decided_on=d["decided_on"],
                deadline=d["deadline"],
                registered_at=d["created_at"],
                diplomas=d["graduate_count"],
            )
        )
    for r in rates:
        for event in ("corrected", "revoked"):
            rate = r[event] / r["diplomas"]
            peer_rate = r[f"peer_{event}"] / r["peer_diplomas"] if r["peer_diplomas"] else None
            if peer_rate is not None and rate_out_of_line(r[event], rate, peer_rate):
                found.append(
                    RateOutOfLine(
                        type="corrected_rate" if event == "corrected" else "revoked_rate",
                        issuer=r["code"],
                        diplomas=r["diplomas"],
                        events=r[event],
                        rate=round(rate, 4),
                        peer_rate=round(peer_rate, 4),
                    )
                )
    for k in keys:
        found.append(
            BadKeySignature(
                type=(
                    "signed_by_compromised_key"
                    if k["problem"] == "compromised"
                    else "signed_by_retired_key"
                ),
                issuer=k["issuer_code"],
                diploma_id=k["id"],
                serial=k["serial"],
                kid=k["kid"],
                issued_at=k["issued_at"],
            )
        )
    for p in pairs:
        found.append(
            SamePersonOtherIssuer(
                issuer=p["issuer_code"],
                kind=p["kind"],
                full_name=p["holder_name"],
                date_of_birth=p["date_of_birth"],
                place_of_birth=p["place_of_birth"],
                diploma_id=p["id"],
                serial=p["serial"],
                issued_at=p["issued_at"],
                other_issuer=p["other_issuer_code"],
                other_diploma_id=p["other_id"],
                other_serial=p["other_serial"],
                other_full_name=p["other_holder_name"],
                other_issued_at=p["other_issued_at"],
            )
        )
    for h in hours:
        found.append(
            UnusualHours(
                issuer=h["issuer_code"],
                decision_id=h["id"],
                decision_number=h["number"],
                decided_on=h["decided_on"],
                part=h["part"],
                registered_at=h["created_at"],
                diplomas=h["graduate_count"],
                unusual=rules.unusual_times(h["created_at"], h["local_day"] in holidays),
                holiday=holidays.get(h["local_day"]),
            )
        )
    for b in bulk:
        if rules.bulk_out_of_line(b["diplomas"], b["median"]):
            found.append(
                UnusualBulk(
                    issuer=b["issuer_code"],
                    day=b["day"],
                    diplomas=b["diplomas"],
                    median=b["median"],
                    days_compared=b["days"],
                    decisions=[
                        DecisionRef(id=i, number=n)
                        for i, n in zip(b["decision_ids"], b["decision_numbers"], strict=True)
                    ],
                )
            )
    return Anomalies(issuer=code, issuers=codes, anomalies=found)


async def events(
    pool: asyncpg.Pool[Any], principal: Principal, issuer_code: str, *, after: int, limit: int
) -> Events:
    async with pool.acquire() as conn:
        code = await scope(conn, principal, issuer_code)
        codes = await db.subtree(conn, code)
        rows = await db.events(conn, codes, after, limit)
    return Events(
        issuer=code,
        events=[LogEvent.from_row(r) for r in rows],
        next=rows[-1]["idx"] if rows else after,
    )
