"""A bulk check (docs/verification.md, "Kiểm tra hàng loạt"): every QR text of an uploaded
file checked online as one check is, and the file given back with the results beside each
row. Nothing of the file is kept."""

from __future__ import annotations

import io
import uuid
import zipfile
from dataclasses import dataclass
from datetime import date
from typing import Any

from service import metrics, texts
from service.db.pool import Pool
from service.db.standing import StandingReader
from service.domain.accounts import Principal
from service.domain.bulk import (
    MAX_LOOKUPS,
    MAX_ROWS,
    PURPOSE_LENGTH,
    lookup_columns,
    qr_column,
    result_cells,
)
from service.domain.journal import Action
from service.domain.search import parse_day
from service.formats import bulk_files, workbook
from service.formats.bulk_files import Rows
from service.problems import MALFORMED_BODY, VALIDATION_ERROR, FieldError, Problem
from service.usecases import journal
from service.usecases.lookup import lookup
from service.usecases.trust_list import TrustListCache
from service.usecases.verification import CheckedTokens, verify_online
from verifier.result import Lang, VerificationResult

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Answered:
    body: bytes
    media_type: str
    file_name: str
    checked: int  # QR texts checked
    diplomas: list[uuid.UUID]  # those the register holds, to count


def _bad(text: texts.Text) -> Problem:
    return Problem(VALIDATION_ERROR, errors=[FieldError(("file",), "invalid", *text)])


def _form(data: bytes) -> str:
    """csv, xlsx or zip: a workbook is a ZIP that holds a workbook part."""
    if not data.startswith(b"PK\x03\x04"):
        return "csv"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        raise Problem(MALFORMED_BODY, *texts.BULK_ZIP_UNREADABLE) from None
    if "xl/workbook.xml" in names:
        return "xlsx"
    return "zip"


def _stem(file_name: str) -> str:
    stem = file_name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1].rsplit(".", 1)[0]
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in stem)[:80] or "tep"


async def check_file(
    pool: Pool[Any],
    standing: StandingReader,
    trust: TrustListCache,
    checked: CheckedTokens | None,
    data: bytes,
    file_name: str,
    lang: Lang,
) -> Answered:
    if not data:
        raise _bad(texts.BULK_NO_FILE)
    form = _form(data)
    source: Rows = {
        "csv": bulk_files.read_csv,
        "xlsx": bulk_files.read_xlsx,
        "zip": bulk_files.read_zip,
    }[form](data)
    if form == "zip":
        column, header = 1, True
    else:
        found = qr_column(source.rows) if source.rows else None
        if found is None:
            raise _bad(texts.BULK_NO_QR_COLUMN)
        column, header = found
    body_rows = source.rows[1:] if header else source.rows
    count = sum(1 for r in body_rows if column < len(r) and r[column])
    if count > MAX_ROWS:
        raise _bad(texts.BULK_TOO_MANY.format(rows=count, most=MAX_ROWS))
    pick = 0 if lang == "vi" else 1
    trusted = (await trust.current(pool)).parsed
    added: list[list[str]] = [[t[pick] for t in texts.BULK_COLUMNS]] if header else []
    diplomas: list[uuid.UUID] = []
    offset = 1 if header else 0
    for number, row in enumerate(body_rows, start=offset):
        text = row[column] if column < len(row) else None
        result: VerificationResult | None = None
        if text:
            result, diploma_id = await verify_online(pool, standing, trust, str(text), checked)
            metrics.verified("bulk", result.verdict)
            if diploma_id is not None:
                diplomas.append(diploma_id)
        elif not any(row):
            added.append([])  # an empty row stays empty
            continue
        cells = result_cells(result, lang, trusted)
        if result is None and source.errors and number in source.errors:
            cells[0] = source.errors[number][pick]
        added.append(cells)
    return _written(form, source, data, added, header, file_name, pick, count, diplomas)


def _written(
    form: str,
    source: Rows,
    data: bytes,
    added: list[list[str]],
    header: bool,
    file_name: str,
    pick: int,
    count: int,
    diplomas: list[uuid.UUID],
) -> Answered:
    """The file as it came, with `added` beside its rows (a ZIP's images as a workbook)."""
    stem = f"ket-qua-{_stem(file_name)}"
    if form == "csv":
        return Answered(bulk_files.write_csv(source, added), CSV, f"{stem}.csv", count, diplomas)
    if form == "xlsx":
        body = bulk_files.write_xlsx(data, added, header)
        return Answered(body, XLSX, f"{stem}.xlsx", count, diplomas)
    headings = [str(h) for h in source.rows[0]] + added[0]
    lines = [[*row, *extra] for row, extra in zip(source.rows[1:], added[1:], strict=True)]
    widths = [24, 40] + [28] * len(added[0])
    title = texts.BULK_TITLE[pick]
    sheet = workbook.one_sheet(title, title, headings, lines, widths)
    return Answered(sheet, XLSX, f"{stem}.xlsx", count, diplomas)


def _day(value: object) -> date | None:
    """A date of birth as a list holds it: a date cell, dd/mm/yyyy or yyyy-mm-dd."""
    raw = str(value or "").strip()
    if len(raw) > 10 and raw[10] in " T":  # a workbook's date cell, read as text
        raw = raw[:10]
    return parse_day(raw)


async def lookup_file(
    pool: Pool[Any],
    trust: TrustListCache,
    principal: Principal,
    data: bytes,
    file_name: str,
    purpose: str,
    lang: Lang,
) -> Answered:
    """A signed-in person's list of serials and dates of birth looked up, each as the public
    lookup does (every miss the same answer), with the purpose stated; journalled."""
    purpose = " ".join(purpose.split())
    low, high = PURPOSE_LENGTH
    if not low <= len(purpose) <= high:
        raise Problem(
            VALIDATION_ERROR,
            errors=[
                FieldError(("purpose",), "invalid", *texts.BULK_PURPOSE.format(low=low, high=high))
            ],
        )
    if not data:
        raise _bad(texts.BULK_LOOKUP_NO_FILE)
    form = _form(data)
    if form == "zip":
        raise _bad(texts.BULK_LOOKUP_NO_FILE)
    source = bulk_files.read_csv(data) if form == "csv" else bulk_files.read_xlsx(data)
    columns = lookup_columns(source.rows[0]) if source.rows else None
    if columns is None:
        raise _bad(texts.BULK_LOOKUP_NO_COLUMNS)
    serial_at, birth_at = columns
    body_rows = source.rows[1:]
    count = sum(1 for r in body_rows if any(r))
    if count > MAX_LOOKUPS:
        raise _bad(texts.BULK_TOO_MANY.format(rows=count, most=MAX_LOOKUPS))
    pick = 0 if lang == "vi" else 1
    trusted = (await trust.current(pool)).parsed
    added: list[list[str]] = [[t[pick] for t in texts.BULK_COLUMNS]]
    diplomas: list[uuid.UUID] = []
    for row in body_rows:
        if not any(row):
            added.append([])
            continue
        serial = str(row[serial_at] or "") if serial_at < len(row) else ""
        born = _day(row[birth_at]) if birth_at < len(row) else None
        if not serial or born is None:
            cells = result_cells(None, lang, trusted)
            cells[0] = texts.BULK_LOOKUP_ROW[pick]
            added.append(cells)
            continue
        result, diploma_id = await lookup(
            pool, trust, serial=serial, date_of_birth=born, issuer=None
        )
        metrics.verified("bulk_lookup", result.verdict)
        if diploma_id is not None:
            diplomas.append(diploma_id)
        added.append(result_cells(result, lang, trusted))
    async with pool.acquire() as conn:
        await journal.note(
            conn,
            principal,
            Action.BULK_LOOKUP,
            issuer_code=principal.issuer_code,
            record_type="lookup",
            detail={
                "purpose": purpose,
                "rows": count,
                "found": len(diplomas),
                "file": file_name[:200],
            },
        )
    return _written(form, source, data, added, True, file_name, pick, count, diplomas)
