"""The files of a bulk check (docs/verification.md, "Kiểm tra hàng loạt"): a CSV or workbook
read as rows, and written back as it came with the result columns added at its right; a ZIP
of scanned images read as (file name, QR text) and answered as a workbook, one row an image.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from service import texts
from service.formats.exports import guarded
from service.formats.tabular import XLSX_MAX_UNCOMPRESSED, csv_rows
from service.problems import MALFORMED_BODY, PAYLOAD_TOO_LARGE, Problem

_IMAGES: Final = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp")
_IMAGE_BYTES: Final = 20 * 1024 * 1024  # one image, uncompressed in the ZIP


@dataclass(frozen=True)
class Rows:
    """A file's rows as text (None for an empty cell), and what writing it back needs."""

    form: str  # "csv", "xlsx" or "zip"
    rows: list[list[Any]]
    delimiter: str = ","
    errors: dict[int, texts.Text] | None = None  # per row (images): why there is no QR text


def read_csv(data: bytes) -> Rows:
    rows, delimiter = csv_rows(data)
    cells = [[cell.strip() or None for cell in row] for row in rows]
    return Rows("csv", [r for r in cells if any(r)], delimiter)


def _workbook(data: bytes) -> Any:
    import openpyxl  # only workbooks need it

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > XLSX_MAX_UNCOMPRESSED:
                raise Problem(PAYLOAD_TOO_LARGE, *texts.XLSX_TOO_LARGE)
        return openpyxl.load_workbook(io.BytesIO(data))
    except Problem:
        raise
    except Exception:  # openpyxl raises many types for a broken workbook
        raise Problem(MALFORMED_BODY, *texts.XLSX_UNREADABLE) from None


def read_xlsx(data: bytes) -> Rows:
    sheet = _workbook(data).worksheets[0]
    rows = [
        [None if v is None or str(v).strip() == "" else str(v).strip() for v in row]
        for row in sheet.iter_rows(values_only=True)
    ]
    return Rows("xlsx", rows)


def read_zip(data: bytes) -> Rows:
    """Each image's name and the QR text it shows (a row of its own, in the ZIP's order)."""
    import zxingcpp
    from PIL import Image, UnidentifiedImageError

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise Problem(MALFORMED_BODY, *texts.BULK_ZIP_UNREADABLE) from None
    rows: list[list[Any]] = [[texts.BULK_IMAGE_HEADING, texts.BULK_QR_HEADING]]
    errors: dict[int, texts.Text] = {}
    qr_only = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    with archive:
        for info in archive.infolist():
            if info.is_dir() or not info.filename.lower().endswith(_IMAGES):
                continue
            name = info.filename.rsplit("/", 1)[-1]
            if info.file_size > _IMAGE_BYTES:
                errors[len(rows)] = texts.BULK_IMAGE_TOO_LARGE
                rows.append([name, None])
                continue
            try:
                with Image.open(io.BytesIO(archive.read(info))) as image:
                    found = list(zxingcpp.read_barcodes(image, formats=qr_only))
            except (UnidentifiedImageError, OSError, ValueError, zipfile.BadZipFile):
                found, errors[len(rows)] = [], texts.BULK_IMAGE_UNREADABLE
            if len(found) == 1:
                rows.append([name, str(found[0].text)])
            else:
                errors.setdefault(
                    len(rows), texts.BULK_NO_QR_IN_IMAGE if not found else texts.BULK_MANY_QR
                )
                rows.append([name, None])
    if len(rows) == 1:
        raise Problem(MALFORMED_BODY, *texts.BULK_ZIP_EMPTY)
    return Rows("zip", rows, errors=errors)


def write_csv(source: Rows, added: Sequence[Sequence[str]]) -> bytes:
    """The CSV as it came (its delimiter), each row followed by its result cells (`added[0]`
    beside the first row, the headings' row included); UTF-8 with a byte-order mark, for
    Excel, and a cell that a spreadsheet would run as a formula behind an apostrophe."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=source.delimiter, lineterminator="\r\n")
    width = max(len(r) for r in source.rows)
    for row, extra in zip(source.rows, added, strict=True):
        cells = [("" if c is None else str(c)) for c in row]
        writer.writerow([*cells, *[""] * (width - len(cells)), *(guarded(e) for e in extra)])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def write_xlsx(data: bytes, added: Sequence[Sequence[str]], header: bool) -> bytes:
    """The workbook as it came (every sheet, every format), its first sheet's rows each
    followed by the result cells, the headings' bold when the first row holds headings."""
    from openpyxl.styles import Font

    book = _workbook(data)
    sheet = book.worksheets[0]
    start = sheet.max_column + 1
    rows = [r for r in sheet.iter_rows()]
    for row, extra in zip(rows, added, strict=False):
        for offset, value in enumerate(extra):
            cell = sheet.cell(row=row[0].row, column=start + offset)
            cell.value = value
            cell.data_type = "s"  # text, never a formula, whatever it starts with
            if header and row[0].row == rows[0][0].row:
                cell.font = Font(bold=True)
    for offset in range(len(added[0]) if added else 0):
        letter = sheet.cell(row=1, column=start + offset).column_letter
        sheet.column_dimensions[letter].width = 28
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
