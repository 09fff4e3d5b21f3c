"""What education-department staff read: an issuer's register (sổ gốc) with each entry's
lifecycle inline, page by page or as CSV/XLSX in the register's column layout; the
anomalies of an issuer and those under it; and the log's events for other systems."""

from __future__ import annotations

import base64
import binascii
import csv
import io
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg

from service import texts
from service.db import audit as db
from service.db.pool import Connection
from service.domain.accounts import Principal
from service.domain.anomalies import SPOILED_DESTRUCTION_DAYS, rate_out_of_line
from service.domain.audit_views import (
    Anomalies,
    Anomaly,
    BadKeySignature,
    BlanksUnaccounted,
    Events,
    LateIssuance,
    RateOutOfLine,
    RegisterEntry,
    RegisterGap,
    RegisterPage,
)
from service.domain.folding import fold
from service.domain.journal import Action
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
) -> RegisterPage:
    kind_after, year_after, seq_after = _cursor(after)
    async with pool.acquire() as conn:
        code = await scope(conn, principal, issuer_code)
        if after is None:  # the register read from its start: an export, page by page
            await _journal_export(conn, principal, code, form="json", kind=kind, year=year)
        rows = await db.register_entries(
            conn, code, kind, year, (kind_after, year_after, seq_after), limit
        )
    return RegisterPage(
        issuer=code,
        entries=[RegisterEntry.from_row(r) for r in rows],
        next=_next_cursor(rows[-1]) if len(rows) == limit else None,
    )


async def start_export(
    pool: asyncpg.Pool[Any],
    principal: Principal,
    issuer_code: str,
    *,
    kind: str | None,
    year: int | None,
    form: str,
) -> None:
    """Checks that the principal may export the issuer's register, and journals the export."""
    async with pool.acquire() as conn:
        code = await scope(conn, principal, issuer_code)
        await _journal_export(conn, principal, code, form=form, kind=kind, year=year)


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
) -> tuple[str, str, list[list[str]]]:
    """One decision's entries in the register, as its lines (register_line), with a file name
    and a title row for them; the export is journalled like a whole register's."""
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
        number=decision["number"], date=_dmy(decision["decided_on"]), issuer=code
    )
    return f"so-goc-{code}-{number.strip('-')}", title, lines


# The register's columns (sổ gốc, Circular 21), in order: (key, Vietnamese heading).
REGISTER_COLUMNS = tuple(texts.REGISTER_HEADINGS.items())


def _dmy(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def register_line(entry: RegisterEntry) -> list[str]:
    """An entry as the register prints it: its handover in the recipient's and date received
    columns, the rest of its lifecycle in the notes column."""
    notes = []
    for c in entry.corrections:
        changed = ", ".join(f"{k}: {v.old} → {v.new}" for k, v in c.changes.items())
        notes.append(
            texts.REGISTER_CORRECTED.format(
                number=c.decision_number, date=_dmy(c.decided_on), changes=changed
            )
        )
    if entry.replaces:
        notes.append(texts.REGISTER_REISSUE_OF.format(serial=entry.replaces))
    if entry.replaced_by:
        notes.append(texts.REGISTER_REISSUED_AS.format(serial=entry.replaced_by))
    if entry.revocation:
        r = entry.revocation
        notes.append(
            texts.REGISTER_REVOKED.format(
                number=r.decision_number, date=_dmy(r.decided_on), authority=r.authority
            )
        )
    for k in entry.copies:
        notes.append(
            texts.REGISTER_COPY.format(number=k.number, copies=k.copies, date=_dmy(k.issued_on))
        )
    recipient: str | None = None  # the register's "người nhận" and "ngày nhận"
    received_on: str | None = None
    if entry.handover:
        h = entry.handover
        recipient = h.recipient_name
        if h.authorisation:
            recipient = texts.REGISTER_RECEIVED_FOR.format(
                name=h.recipient_name, authorisation=h.authorisation
            )
        received_on = _dmy(h.handed_over_on)
        notes.append(texts.REGISTER_HANDED_OVER_BY.format(name=h.handed_over_by))
        if h.note:
            notes.append(h.note)
    if entry.late:
        notes.append(texts.REGISTER_LATE)
    values = {
        **entry.model_dump(mode="json"),
        "date_of_birth": _dmy(entry.date_of_birth),
        "issued_on": _dmy(entry.issued_on),
        "gender": texts.GENDERS_PRINTED.get(entry.gender, entry.gender),
        "decision": texts.REGISTER_DECISION.format(
            number=entry.decision_number, date=_dmy(entry.decision_date)
        ),
        "signer": f"{entry.signer_title} {entry.signer_name}",
        "recipient": recipient,
        "received_on": received_on,
        "notes": "; ".join(notes),
    }
    return ["" if values[k] is None else str(values[k]) for k, _ in REGISTER_COLUMNS]


def csv_document(lines: list[list[str]]) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens the Vietnamese text correctly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["STT", *(heading for _, heading in REGISTER_COLUMNS)])
    for number, line in enumerate(lines, start=1):
        writer.writerow([str(number), *line])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def xlsx_document(title: str, lines: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(texts.REGISTER_SHEET)
    sheet.append([title])
    sheet.append(["STT", *(heading for _, heading in REGISTER_COLUMNS)])
    for number, line in enumerate(lines, start=1):
        sheet.append([number, *line])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def anomalies(pool: asyncpg.Pool[Any], principal: Principal, issuer_code: str) -> Anomalies:
    """The anomalies of an issuer and every issuer under it."""
    spoiled_before = datetime.now(UTC).date() - timedelta(days=SPOILED_DESTRUCTION_DAYS)
    async with pool.acquire() as conn:
        code = await scope(conn, principal, issuer_code)
        codes = await db.subtree(conn, code)
        gaps = await db.register_gaps(conn, codes)
        blanks = await db.blanks_unaccounted(conn, codes, spoiled_before)
        late = await db.late_decisions(conn, codes)
        rates = await db.rates(conn, codes)
        keys = await db.bad_key_signatures(conn, codes)
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
