"""Graduate lists as CSV or XLSX: one row per graduate, as clerks keep them in Excel.

A list becomes the same nested request as the JSON API takes. Decision-wide columns (decision
number, kind, signer...) hold the same value on every row, or are left blank after the first.
Headers may be the English field names or their Vietnamese labels. Errors found later in the
request are located back to their row, column and cell by `Locator`.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from service import texts
from service.domain.graduates import GraduateIn, GraduationDecisionIn
from service.problems import (
    MALFORMED_BODY,
    PAYLOAD_TOO_LARGE,
    VALIDATION_ERROR,
    FieldError,
    Problem,
)

# Column -> (path in the request, Vietnamese label). Decision-wide columns come first.
COLUMNS: dict[str, tuple[tuple[str, ...], str]] = {
    "issuer": (("issuer",), "Mã đơn vị cấp"),
    "decision_number": (("decision", "number"), "Số quyết định"),
    "decision_date": (("decision", "date"), "Ngày quyết định"),
    "decision_signer_name": (("decision", "signer", "name"), "Người ký quyết định"),
    "decision_signer_title": (("decision", "signer", "title"), "Chức vụ người ký quyết định"),
    "kind": (("diploma", "kind"), "Loại văn bằng"),
    "regulation": (("diploma", "regulation"), "Căn cứ pháp lý"),
    "graduation_year": (("diploma", "graduation_year"), "Năm tốt nghiệp"),
    "place_of_issue": (("diploma", "place_of_issue"), "Nơi cấp"),
    "issued_on": (("diploma", "issued_on"), "Ngày cấp"),
    "signer_name": (("diploma", "signer", "name"), "Người ký"),
    "signer_title": (("diploma", "signer", "title"), "Chức vụ người ký"),
    "signer_on_behalf_of": (("diploma", "signer", "on_behalf_of"), "Ký thay (KT.)"),
    "serial": (("serial",), "Số hiệu"),
    "full_name": (("full_name",), "Họ và tên"),
    "date_of_birth": (("date_of_birth",), "Ngày sinh"),
    "place_of_birth": (("place_of_birth",), "Nơi sinh"),
    "gender": (("gender",), "Giới tính"),
    "ethnicity": (("ethnicity",), "Dân tộc"),
    "nationality": (("nationality",), "Quốc tịch"),
    "student_id": (("student_id",), "Mã học sinh/sinh viên"),
    "personal_id": (("personal_id",), "Số định danh cá nhân"),
    "major": (("major",), "Ngành đào tạo"),
    "classification": (("classification",), "Xếp loại"),
    "mode_of_study": (("mode_of_study",), "Hình thức đào tạo"),
    "published": (("published",), "Công bố"),
}
GRADUATE_COLUMNS = frozenset(
    name for name, (path, _) in COLUMNS.items() if path[0] not in ("issuer", "decision", "diploma")
)
_BY_PATH = {path: name for name, (path, _) in COLUMNS.items()}
# The graduates' columns every list must have (the others may be left out).
REQUIRED_GRADUATE_COLUMNS = tuple(
    name for name, info in GraduateIn.model_fields.items() if info.is_required()
)


def _key(header: str) -> str:
    """A header as compared: NFC, trimmed, case-folded, without the trailing "*" (or " *")
    that marks a required column in the template workbook."""
    return unicodedata.normalize("NFC", header).strip().removesuffix("*").strip().casefold()


def _required(path: tuple[str, ...]) -> bool:
    """Whether the request cannot do without the column at `path` (every model on the way
    requires its field)."""
    model: Any = GraduateIn if len(path) == 1 and path[0] != "issuer" else GraduationDecisionIn
    for part in path:
        info = model.model_fields[part]
        if not info.is_required():
            return False
        model = info.annotation
    return True


# Every column the request cannot do without, in COLUMNS' order: marked "*" in the template.
REQUIRED_COLUMNS = tuple(name for name, (path, _) in COLUMNS.items() if _required(path))


_HEADERS = {
    **{_key(name): name for name in COLUMNS},
    **{_key(label): name for name, (_, label) in COLUMNS.items()},
}

# A workbook's limits, past which it is refused before it costs minutes to read: what its
# parts expand to (as the zip's directory says; zipfile stops at the size it declares), the
# sheet's rows read (blank ones too: a sheet may claim the whole grid, a cell at A1 and one at
# XFD1048576, and every row between would be read) and the columns read of each row (the
# template has 26; the grid's other 16,358 would be padded out for every row).
XLSX_MAX_UNCOMPRESSED = 256 * 1024 * 1024
XLSX_MAX_SHEET_ROWS = 100_000
XLSX_MAX_COLUMNS = 64


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass
class Locator:
    """Maps a path in the request back to the row, column and cell of the list."""

    headers: dict[str, tuple[int, str]] = field(default_factory=dict)  # column -> (index, text)
    graduate_rows: list[int] = field(default_factory=list)
    first_row: dict[str, int] = field(default_factory=dict)  # decision-wide column -> row

    def locate(self, error: FieldError) -> FieldError:
        loc = error.loc
        if len(loc) >= 3 and loc[0] == "graduates" and isinstance(loc[1], int):
            column = _BY_PATH.get(tuple(str(p) for p in loc[2:3]))
            row = self.graduate_rows[loc[1]] if loc[1] < len(self.graduate_rows) else None
        else:
            column = _BY_PATH.get(tuple(str(p) for p in loc))
            first_data_row = self.graduate_rows[0] if self.graduate_rows else 2
            if column is None:
                row = first_data_row
            elif column not in self.headers:
                row = 1  # the column itself is missing from the header row
            else:
                row = self.first_row.get(column, first_data_row)
        if column is None:
            return replace(error, row=row)
        found = self.headers.get(column)
        if found is None:
            return replace(error, row=row, column=column)
        index, text = found
        cell = f"{column_letter(index)}{row}" if row is not None else None
        return replace(error, row=row, column=text, cell=cell)


def _set(target: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for part in path[:-1]:
        target = target.setdefault(part, {})
    target[path[-1]] = value


def rows_to_request(
    rows: list[tuple[int, list[Any]]], *, max_rows: int
) -> tuple[dict[str, Any], Locator]:
    """Builds the request from (row number, cells) pairs, the first pair being the header."""
    if not rows:
        raise Problem(MALFORMED_BODY, *texts.LIST_NO_HEADER)
    header_row, header = rows[0]
    locator = Locator()
    errors: list[FieldError] = []
    columns: list[str | None] = []
    for index, cell in enumerate(header):
        text = _cell_text(cell) or ""
        name = _HEADERS.get(_key(text))
        if not text:
            columns.append(None)
            continue
        where = f"{column_letter(index)}{header_row}"
        if name is None:
            errors.append(
                FieldError(
                    (),
                    "unknown_column",
                    *texts.UNKNOWN_COLUMN.format(column=text),
                    row=header_row,
                    column=text,
                    cell=where,
                )
            )
        elif name in locator.headers:
            errors.append(
                FieldError(
                    (),
                    "duplicate_column",
                    *texts.DUPLICATE_COLUMN.format(column=text),
                    row=header_row,
                    column=text,
                    cell=where,
                )
            )
        else:
            locator.headers[name] = (index, text)
        columns.append(name)
    # A required column missing is one error naming it, not one per row.
    errors.extend(
        FieldError(
            (),
            "missing_column",
            *texts.MISSING_COLUMN.format(column=COLUMNS[name][1], name=name),
            row=header_row,
            column=COLUMNS[name][1],
        )
        for name in REQUIRED_GRADUATE_COLUMNS
        if name not in locator.headers
    )
    if errors:
        raise Problem(VALIDATION_ERROR, errors=errors)

    body = [(n, cells) for n, cells in rows[1:] if any(_cell_text(c) for c in cells)]
    if len(body) > max_rows:
        raise Problem(PAYLOAD_TOO_LARGE, *texts.LIST_TOO_LONG.format(max_rows=max_rows))
    request: dict[str, Any] = {}
    graduates: list[dict[str, Any]] = []
    for number, cells in body:
        graduate: dict[str, Any] = {}
        for index, name in enumerate(columns):
            if name is None or index >= len(cells):
                continue
            value = _cell_value(cells[index])
            if value is None:
                continue
            if name in GRADUATE_COLUMNS:
                graduate[name] = value
                continue
            path = COLUMNS[name][0]
            if name not in locator.first_row:
                locator.first_row[name] = number
                _set(request, path, value)
            elif _cell_text(cells[index]) != _cell_text(_get(request, path)):
                errors.append(
                    FieldError(
                        path,
                        "differs_between_rows",
                        *texts.DIFFERS_BETWEEN_ROWS.format(row=locator.first_row[name]),
                        row=number,
                        column=locator.headers[name][1],
                        cell=f"{column_letter(index)}{number}",
                    )
                )
        graduates.append(graduate)
        locator.graduate_rows.append(number)
    if errors:
        raise Problem(VALIDATION_ERROR, errors=errors)
    request["graduates"] = graduates
    return request, locator


def _get(target: dict[str, Any], path: tuple[str, ...]) -> Any:
    for part in path:
        target = target[part]
    return target


def _cell_value(cell: Any) -> Any:
    if isinstance(cell, datetime):
        return cell
    return _cell_text(cell)


def _cell_text(cell: Any) -> str | None:
    if cell is None:
        return None
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == datetime.min.time() else cell.isoformat()
    text = str(cell).strip()
    return text or None


# What a file that is no CSV at all starts with, and what it then is.
_SIGNATURES = (
    (b"PK\x03\x04", texts.FOUND_XLSX),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", texts.FOUND_XLS),
    (b"%PDF", texts.FOUND_PDF),
)
# Control characters no list of graduates holds: bytes of some other file, or a code page
# the file was not written in (tab, line feed and carriage return are the CSV's own).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decode_csv(data: bytes) -> str:
    """A CSV's text as clerks save it: UTF-8 with or without a BOM, UTF-16 with a BOM
    (Excel's "Unicode Text"), or Windows-1258 (older Vietnamese Windows), which writes
    tones as combining marks: normalised to NFC, as the register keeps names. Anything else
    is refused saying what it looks like and how to save a CSV UTF-8 in Excel."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16").removeprefix("\ufeff")
        except UnicodeDecodeError:
            raise Problem(MALFORMED_BODY, *_encoding_problem(texts.FOUND_BROKEN_UTF16)) from None
    for signature, found in _SIGNATURES:
        if data.startswith(signature):
            raise Problem(MALFORMED_BODY, *_encoding_problem(found))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = unicodedata.normalize("NFC", data.decode("cp1258"))
        except UnicodeDecodeError:
            raise Problem(MALFORMED_BODY, *_encoding_problem(texts.FOUND_UNKNOWN)) from None
    if _CONTROL.search(text):  # bytes that text has not: some other file, or another code
        raise Problem(MALFORMED_BODY, *_encoding_problem(texts.FOUND_UNKNOWN))
    return text


def _encoding_problem(found: texts.Text) -> texts.Text:
    return texts.CSV_ENCODING.format(found_vi=found.vi, found_en=found.en)


def csv_rows(data: bytes) -> tuple[list[list[str]], str]:
    """A CSV's rows, and its delimiter (the one of , ; and tab its first line has most of,
    as Excel saves in Vietnamese settings)."""
    text = decode_csv(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        return [list(cells) for cells in reader], delimiter
    except csv.Error as exc:
        raise Problem(
            MALFORMED_BODY, *texts.CSV_SYNTAX.format(line=reader.line_num, error=exc)
        ) from None


def parse_csv(data: bytes, *, max_rows: int) -> tuple[dict[str, Any], Locator]:
    rows, _ = csv_rows(data)
    return rows_to_request(list(enumerate(rows, start=1)), max_rows=max_rows)


def parse_xlsx(data: bytes, *, max_rows: int) -> tuple[dict[str, Any], Locator]:
    import openpyxl  # imported here: only XLSX uploads need it

    unreadable = Problem(MALFORMED_BODY, *texts.XLSX_UNREADABLE)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > XLSX_MAX_UNCOMPRESSED:
                raise Problem(PAYLOAD_TOO_LARGE, *texts.XLSX_TOO_LARGE)
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Problem:
        raise
    except Exception:  # openpyxl raises many types for a broken workbook
        raise unreadable from None
    try:
        # The template's list sheet by name (wherever a clerk moved it), else the first.
        named = texts.TEMPLATE["sheet_list"].vi
        sheet = workbook[named] if named in workbook.sheetnames else workbook.worksheets[0]
        rows = []
        grid = sheet.iter_rows(max_col=XLSX_MAX_COLUMNS, values_only=True)
        for number, cells in enumerate(grid, start=1):
            if number > XLSX_MAX_SHEET_ROWS:
                raise Problem(
                    PAYLOAD_TOO_LARGE,
                    *texts.XLSX_TOO_MANY_ROWS.format(most=f"{XLSX_MAX_SHEET_ROWS:,}"),
                )
            if any(_cell_text(c) for c in cells):
                rows.append((number, list(cells)))
            if len(rows) > max_rows + 1:
                break  # one row too many is enough for rows_to_request to refuse the list
    except Problem:
        raise
    except Exception:
        raise unreadable from None
    finally:
        workbook.close()
    return rows_to_request(rows, max_rows=max_rows)


def parse_xls(data: bytes, *, max_rows: int) -> tuple[dict[str, Any], Locator]:
    """An Excel 97-2003 workbook (.xls), read with xlrd: its first sheet, date cells as
    dates (by the workbook's own date system), numbers as Excel shows whole numbers."""
    import xlrd  # imported here: only .xls uploads need it

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
    except Exception:  # xlrd raises many types for a broken workbook
        raise Problem(MALFORMED_BODY, *texts.XLS_UNREADABLE) from None
    try:
        sheet = book.sheet_by_index(0)
        rows = []
        for index in range(sheet.nrows):
            cells = [_xls_cell(cell, book.datemode) for cell in sheet.row(index)]
            if any(_cell_text(c) for c in cells):
                rows.append((index + 1, cells))
            if len(rows) > max_rows + 1:
                break
    except Exception:
        raise Problem(MALFORMED_BODY, *texts.XLS_UNREADABLE) from None
    finally:
        book.release_resources()
    return rows_to_request(rows, max_rows=max_rows)


def _xls_cell(cell: Any, datemode: int) -> Any:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        return xlrd.xldate.xldate_as_datetime(cell.value, datemode)
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    return cell.value
