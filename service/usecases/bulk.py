"""A bulk check (docs/verification.md, "Kiểm tra hàng loạt"): every QR text of an uploaded
file checked online as one check is, and the file given back with the results beside each
row. Nothing of the file is kept."""

from __future__ import annotations

import io
import uuid
import zipfile
from dataclasses import dataclass
from typing import Any

from service import texts
from service.db.pool import Pool
from service.db.standing import StandingReader
from service.domain.bulk import MAX_ROWS, qr_column, result_cells
from service.formats import bulk_files, workbook
from service.formats.bulk_files import Rows
from service.problems import MALFORMED_BODY, VALIDATION_ERROR, FieldError, Problem
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
            if diploma_id is not None:
                diplomas.append(diploma_id)
        elif not any(row):
            added.append([])  # an empty row stays empty
            continue
        cells = result_cells(result, lang, trusted)
        if result is None and source.errors and number in source.errors:
            cells[0] = source.errors[number][pick]
        added.append(cells)
    stem = f"ket-qua-{_stem(file_name)}"
    if form == "csv":
        return Answered(bulk_files.write_csv(source, added), CSV, f"{stem}.csv", count, diplomas)
    if form == "xlsx":
        body = bulk_files.write_xlsx(data, added, header)
        return Answered(body, XLSX, f"{stem}.xlsx", count, diplomas)
    headings = [str(h) for h in source.rows[0]] + added[0]
    lines = [[*row, *extra] for row, extra in zip(source.rows[1:], added[1:], strict=True)]
    widths = [24, 40] + [28] * len(added[0])
    sheet = workbook.one_sheet(
        texts.BULK_TITLE[pick], texts.BULK_TITLE[pick], headings, lines, widths
    )
    return Answered(sheet, XLSX, f"{stem}.xlsx", count, diplomas)
