"""The register's exports as Excel opens them well (docs/audit.md): CSV in UTF-8 with a
byte-order mark, and XLSX (service/formats/workbook.py: a string always a string, never a
formula, a number or a link) with a title row, the headings frozen with an autofilter, column
widths, dates as date cells shown dd/mm/yyyy and years as numbers.

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
from service.formats import workbook

_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")


def guarded(value: str) -> str:
    """The text behind an apostrophe when a spreadsheet would run it as a formula."""
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return dmy(value)
    if isinstance(value, int):
        return str(value)
    return guarded(value)


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
    the numbered lines (service/formats/workbook.py)."""
    numbered = [[number, *line] for number, line in enumerate(lines, start=1)]
    return workbook.one_sheet(
        sheet_name, title, ["STT", *headings], numbered, _widths(headings, lines)
    )
