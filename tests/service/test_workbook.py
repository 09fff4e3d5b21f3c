"""The register's workbook writer (service/formats/workbook.py), read back by openpyxl and by
an XML parser: every part well-formed, every text a text cell that reads back as itself
(after Excel's own _xHHHH_ unescaping), days as date cells, numbers as numbers, the title,
frozen headings, autofilter and widths as given."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from typing import Any
from xml.etree import ElementTree

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from service.domain.register_lines import Cell
from service.formats import workbook

_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _as_excel_reads(text: str) -> str:
    """What Excel shows for a stored text: each _xHHHH_ is the character HHHH."""
    return _EXCEL_ESCAPE.sub(lambda m: chr(int(m[1], 16)), text)


def _sheet(data: bytes) -> Any:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    return sheet


def test_texts_stay_texts_and_days_and_numbers_keep_their_types() -> None:
    texts = ["=1+1", "+84 912", "-5", "@SUM(A1)", "0012", "01/02/2003", "1e5", "TRUE"]
    lines: list[list[Cell]] = [[t, n, date(2007, 5, 1)] for n, t in enumerate(texts)]
    sheet = _sheet(workbook.one_sheet("Sổ", "Tiêu đề", ["a", "b", "c"], lines, [8, 8, 12]))
    for row, text in enumerate(texts, start=3):
        cell = sheet.cell(row, 1)
        assert (cell.value, cell.data_type) == (text, "s")
        assert (sheet.cell(row, 2).value, sheet.cell(row, 2).data_type) == (row - 3, "n")
        day = sheet.cell(row, 3)
        assert day.value == datetime(2007, 5, 1)  # noqa: DTZ001 - a day, as Excel keeps it
        assert day.is_date
        assert day.number_format == "dd/mm/yyyy"


def test_the_frame_title_headings_filter_and_widths() -> None:
    lines: list[list[Cell]] = [["x", 1], ["y", None]]
    data = workbook.one_sheet(
        "Sổ gốc: 2025/2026 [HN]" * 3, "Tiêu đề", ["Một", "Hai"], lines, [6, 30]
    )
    sheet = _sheet(data)
    assert sheet.title == "Sổ gốc  2025 2026  HN Sổ gốc  2"  # no : / [ ], at most 31
    assert (sheet["A1"].value, sheet["A1"].font.b, sheet["A1"].font.sz) == ("Tiêu đề", True, 13)
    assert [c.value for c in sheet[2]] == ["Một", "Hai"]
    assert all(c.font.b and c.alignment.wrap_text for c in sheet[2])
    assert sheet["B4"].value is None
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == "A2:B4"
    assert round(sheet.column_dimensions["B"].width) == 31
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            ElementTree.fromstring(package.read(name))  # noqa: S314 - our own output
        defined = package.read("xl/workbook.xml").decode()
    assert "_xlnm._FilterDatabase" in defined
    assert f"'{sheet.title}'!$A$2:$B$4" in defined


def test_an_empty_register_has_its_frame() -> None:
    sheet = _sheet(workbook.one_sheet("S", "T", ["a", "b", "c"], [], [5, 5, 5]))
    assert sheet.auto_filter.ref == "A2:C2"
    assert sheet.max_row == 2


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(exclude_categories=["Cs"]), max_size=60))
def test_any_text_reads_back_as_itself(text: str) -> None:
    data = workbook.one_sheet("S", "T", ["a"], [[text]], [10])
    cell = _sheet(data).cell(3, 1)
    assert cell.data_type == "s"
    assert _as_excel_reads(cell.value or "") == text
