"""What education-department staff read: an issuer's register (sổ gốc) with each entry's
lifecycle inline, page by page or as CSV/XLSX in the register's column layout; the
anomalies of an issuer and those under it; and the log's events for other systems."""

from __future__ import annotations

import base64
import binascii
import csv
import io
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from typing import Any

import asyncpg
import orjson

from service.db.queries import Q
from service.db.register import get_issuer
from service.domain.accounts import Principal
from service.problems import NOT_FOUND, VALIDATION_ERROR, FieldError, Problem
from service.register import check_read_scope

PAGE = 500
EXPORT_PAGE = 5_000
# A rate is out of line when it is at least this many times the peers' and this far above.
RATE_FACTOR = 3.0
RATE_MARGIN = 0.01
RATE_MIN_EVENTS = 3


async def scope(conn: Any, principal: Principal, issuer_code: str) -> str:
    if await get_issuer(conn, issuer_code) is None:
        raise Problem(NOT_FOUND)
    await check_read_scope(conn, principal, issuer_code)
    return issuer_code


def _cursor(text: str | None) -> tuple[str, int, int]:
    if not text:
        return ("", 0, 0)
    try:
        kind, year, seq = base64.urlsafe_b64decode(text.encode()).decode().split(":")
        return kind, int(year), int(seq)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise Problem(
            VALIDATION_ERROR,
            errors=[
                FieldError(
                    ("after",),
                    "bad_cursor",
                    "Con trỏ trang không hợp lệ",
                    "Not a cursor this API gave",
                )
            ],
        ) from None


def _next_cursor(row: Any) -> str:
    raw = f"{row['kind']}:{row['register_year']}:{row['register_seq']}"
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _entry(row: Any) -> dict[str, Any]:
    out = {
        k: (v.isoformat() if isinstance(v, date | datetime) else v)
        for k, v in dict(row).items()
        if k not in ("revocation", "corrections", "copies")
    }
    out["id"] = str(row["id"])
    out["full_name"] = out.pop("holder_name")
    for name in ("revocation", "corrections", "copies"):
        out[name] = orjson.loads(row[name]) if row[name] is not None else None
    out["corrections"] = out["corrections"] or []
    out["copies"] = out["copies"] or []
    return out


async def register_page(
    pool: asyncpg.Pool[Any],
    principal: Principal,
    issuer_code: str,
    *,
    kind: str | None,
    year: int | None,
    after: str | None,
    limit: int = PAGE,
) -> dict[str, Any]:
    kind_after, year_after, seq_after = _cursor(after)
    async with pool.acquire() as conn:
        code = await scope(conn, principal, issuer_code)
        rows = await conn.fetch(
            Q.audit_register, code, kind, year, kind_after, year_after, seq_after, limit
        )
    return {
        "issuer": code,
        "entries": [_entry(r) for r in rows],
        "next": _next_cursor(rows[-1]) if len(rows) == limit else None,
    }


async def register_rows(
    pool: asyncpg.Pool[Any], issuer_code: str, kind: str | None, year: int | None
) -> AsyncIterator[dict[str, Any]]:
    """Every entry in register order, a page at a time (the caller checked the scope)."""
    cursor = ("", 0, 0)
    while True:
        async with pool.acquire() as conn:
            rows = await conn.fetch(Q.audit_register, issuer_code, kind, year, *cursor, EXPORT_PAGE)
        for row in rows:
            yield _entry(row)
        if len(rows) < EXPORT_PAGE:
            return
        last = rows[-1]
        cursor = (last["kind"], last["register_year"], last["register_seq"])


# The register's columns (sổ gốc, Circular 21), in order: (key, Vietnamese heading).
REGISTER_COLUMNS = (
    ("register_number", "Số vào sổ gốc"),
    ("serial", "Số hiệu văn bằng"),
    ("full_name", "Họ và tên"),
    ("date_of_birth", "Ngày sinh"),
    ("place_of_birth", "Nơi sinh"),
    ("gender", "Giới tính"),
    ("ethnicity", "Dân tộc"),
    ("nationality", "Quốc tịch"),
    ("major", "Ngành đào tạo"),
    ("classification", "Xếp loại"),
    ("mode_of_study", "Hình thức đào tạo"),
    ("graduation_year", "Năm tốt nghiệp"),
    ("decision", "Quyết định công nhận tốt nghiệp"),
    ("issued_on", "Ngày cấp"),
    ("signer", "Người ký"),
    ("notes", "Ghi chú"),
)
_GENDER = {"male": "Nam", "female": "Nữ"}


def _dmy(iso: str | None) -> str:
    return "" if not iso else f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}"


def register_line(entry: dict[str, Any]) -> list[str]:
    """An entry as the register prints it, with its lifecycle in the notes column."""
    notes = []
    for c in entry["corrections"]:
        changed = ", ".join(f"{k}: {v['old']} → {v['new']}" for k, v in c["changes"].items())
        notes.append(
            f"Chỉnh sửa theo QĐ {c['decision_number']} ngày {_dmy(c['decided_on'])} ({changed})"
        )
    if entry["replaces"]:
        notes.append(f"Cấp lại thay văn bằng số hiệu {entry['replaces']}")
    if entry["replaced_by"]:
        notes.append(f"Đã cấp lại, thay bằng số hiệu {entry['replaced_by']}")
    if entry["revocation"]:
        r = entry["revocation"]
        notes.append(
            f"Thu hồi theo QĐ {r['decision_number']} ngày {_dmy(r['decided_on'])} "
            f"của {r['authority']}"
        )
    for k in entry["copies"]:
        notes.append(f"Bản sao số {k['number']} ({k['copies']} bản) ngày {_dmy(k['issued_on'])}")
    if entry["late"]:
        notes.append("Đăng ký sau thời hạn (Điều 17)")
    values = {
        **entry,
        "date_of_birth": _dmy(entry["date_of_birth"]),
        "issued_on": _dmy(entry["issued_on"]),
        "gender": _GENDER.get(entry["gender"], entry["gender"]),
        "decision": f"{entry['decision_number']} ngày {_dmy(entry['decision_date'])}",
        "signer": f"{entry['signer_title']} {entry['signer_name']}",
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
    sheet = book.create_sheet("Sổ gốc")
    sheet.append([title])
    sheet.append(["STT", *(heading for _, heading in REGISTER_COLUMNS)])
    for number, line in enumerate(lines, start=1):
        sheet.append([number, *line])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def subtree(conn: Any, issuer_code: str) -> list[str]:
    return [r["code"] for r in await conn.fetch(Q.audit_subtree, issuer_code)]


async def anomalies(
    pool: asyncpg.Pool[Any], principal: Principal, issuer_code: str
) -> dict[str, Any]:
    """The anomalies of an issuer and every issuer under it."""
    today = datetime.now(UTC).date()
    async with pool.acquire() as conn:
        code = await scope(conn, principal, issuer_code)
        codes = await subtree(conn, code)
        gaps = await conn.fetch(Q.audit_register_gaps, codes)
        blanks = await conn.fetch(Q.audit_blanks_unaccounted, codes, today)
        late = await conn.fetch(Q.audit_late_decisions, codes)
        rates = await conn.fetch(Q.audit_rates, codes)
        keys = await conn.fetch(Q.audit_bad_key_signatures, codes)
    found: list[dict[str, Any]] = []
    for g in gaps:
        found.append(
            {
                "type": "register_gap",
                "issuer": g["issuer_code"],
                "kind": g["kind"],
                "year": g["register_year"],
                "missing": g["missing"],
                "first_missing": list(g["first_missing"] or []),
            }
        )
    for b in blanks:
        if b["diplomas_without_blank"] or b["spoiled_not_destroyed"]:
            found.append(
                {
                    "type": "blanks_unaccounted",
                    "issuer": b["issuer_code"],
                    "diplomas_without_blank": b["diplomas_without_blank"],
                    "spoiled_not_destroyed_after_90_days": b["spoiled_not_destroyed"],
                }
            )
    for d in late:
        found.append(
            {
                "type": "late_issuance",
                "issuer": d["issuer_code"],
                "decision_id": str(d["id"]),
                "decision_number": d["number"],
                "decided_on": d["decided_on"].isoformat(),
                "deadline": d["deadline"].isoformat() if d["deadline"] else None,
                "registered_at": d["created_at"].isoformat(),
                "diplomas": d["graduate_count"],
            }
        )
    for r in rates:
        for event in ("corrected", "revoked"):
            rate = r[event] / r["diplomas"]
            peer_rate = r[f"peer_{event}"] / r["peer_diplomas"] if r["peer_diplomas"] else None
            if (
                peer_rate is not None
                and r[event] >= RATE_MIN_EVENTS
                and rate >= RATE_FACTOR * peer_rate
                and rate - peer_rate >= RATE_MARGIN
            ):
                found.append(
                    {
                        "type": f"{event}_rate",
                        "issuer": r["code"],
                        "diplomas": r["diplomas"],
                        "events": r[event],
                        "rate": round(rate, 4),
                        "peer_rate": round(peer_rate, 4),
                    }
                )
    for k in keys:
        found.append(
            {
                "type": f"signed_by_{k['problem']}_key",
                "issuer": k["issuer_code"],
                "diploma_id": str(k["id"]),
                "serial": k["serial"],
                "kid": k["kid"],
                "issued_at": k["issued_at"].isoformat(),
            }
        )
    return {"issuer": code, "issuers": codes, "anomalies": found}


async def events(
    pool: asyncpg.Pool[Any], principal: Principal, issuer_code: str, *, after: int, limit: int
) -> dict[str, Any]:
    async with pool.acquire() as conn:
        code = await scope(conn, principal, issuer_code)
        codes = await subtree(conn, code)
        rows = await conn.fetch(Q.audit_events, codes, after, limit)
    return {
        "issuer": code,
        "events": [
            {
                "index": r["idx"],
                "type": r["event_type"],
                "issuer": r["issuer_code"],
                "diploma_id": None if r["diploma_id"] is None else str(r["diploma_id"]),
                "record_hash": base64.b64encode(bytes(r["record_hash"])).decode(),
                "time": r["event_time"].isoformat(),
            }
            for r in rows
        ],
        "next": rows[-1]["idx"] if rows else after,
    }
