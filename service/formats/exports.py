"""The register's exports as Excel opens them well (docs/audit.md): CSV in UTF-8 with a
byte-order mark, and XLSX written with XlsxWriter (faster than openpyxl at writing, and it
writes a string as a string: never a formula, a number or a link) with a title row, the
headings frozen with an autofilter, column widths, dates as date cells shown dd/mm/yyyy and
years as numbers.

A cell that starts with =, +, -, @ (or a tab or carriage return) is what a spreadsheet would
run as a formula: in CSV it is written with a leading apostrophe, as OWASP advises; in XLSX
it is a string cell, which Excel shows and never runs."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from typing import Final

from service.domain.register_lines import Cell, dmy

_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")


def _guarded(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return dmy(value)
    if isinstance(value, int):
        return str(value)
    return _guarded(value)


def csv_document(headings: Sequence[str], lines: Sequence[Sequence[Cell]]) -> bytes:
    """Numbered lines under their headings; UTF-8 with a byte-order mark, so that Excel reads
    the Vietnamese text correctly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["STT", *headings])
    for number, line in enumerate(lines, start=1):
        writer.writerow([str(number), *(_csv_cell(value) for value in line)])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


# Column widths in characters, by heading length and a typical value, within bounds.
_MIN_WIDTH: Final = 6
_MAX_WIDTH: Final = 60
_SAMPLE: Final = 200  # lines looked at to size the columns


def _widths(headings: Sequence[str], lines: Sequence[Sequence[Cell]]) -> list[int]:
    widths = [max(len("STT"), _MIN_WIDTH)] + [
        min(max(len(h) // 2 + 4, _MIN_WIDTH), _MAX_WIDTH) for h in headings
    ]
    for line in lines[:_SAMPLE]:
        for column, value in enumerate(line, start=1):
            size = 11 if isinstance(value, date) else len(_csv_cell(value)) + 2
            widths[column] = min(max(widths[column], size), _MAX_WIDTH)
    return widths


def xlsx_document(
    sheet_name: str, title: str, headings: Sequence[str], lines: Sequence[Sequence[Cell]]
) -> bytes:
    """One sheet: the title in row 1, the headings in row 2 (frozen, with an autofilter), then
    the numbered lines."""
    import xlsxwriter  # imported here: only an XLSX export needs it

    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out,
        {
            "in_memory": True,  # no temporary files (constant_memory measured no faster)
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    sheet = book.add_worksheet(sheet_name[:31])
    bold_title = book.add_format({"bold": True, "font_size": 13})
    heading = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1})
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    for column, width in enumerate(_widths(headings, lines)):
        sheet.set_column(column, column, width)
    sheet.write_string(0, 0, title, bold_title)
    sheet.write_row(1, 0, ["STT", *headings], heading)
    for row, line in enumerate(lines, start=2):
        sheet.write_number(row, 0, row - 1)
        for column, value in enumerate(line, start=1):
            if value is None:
                continue
            if isinstance(value, date):
                sheet.write_datetime(row, column, value, day)
            elif isinstance(value, int):
                sheet.write_number(row, column, value)
            else:
                sheet.write_string(row, column, value)
    sheet.freeze_panes(2, 0)
    sheet.autofilter(1, 0, max(1, len(lines) + 1), len(headings))
    book.close()
    return out.getvalue()
