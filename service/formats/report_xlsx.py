"""The yearly report as a workbook (docs/audit.md), in the house style of the register's
exports (service/formats/exports.py): title rows, the two heading rows frozen with the
issuer column, widths, every figure a number cell written as its value (never a formula:
the figures are the register's), names as string cells (never run as formulas), and a
notes sheet saying what each column counts, with its article. No autofilter: the subtotal
rows would be filtered with the rows they sum."""

from __future__ import annotations

import io
from datetime import datetime

from service.domain.yearly_reports import YearlyReport
from service.formats.report_table import NOTE_GROUPS, blank_span, columns, groups, label, values
from service.texts import REPORT, REPORT_BASIS, REPORT_NOTES, SUPERVISION_PAGE, Text

VI = 0
_FIRST_FIGURE = 2  # columns: STT, issuer, then the figures
_HEAD = 4  # the group headings' row; the columns' headings under it; the rows from _HEAD + 2


def _vi(t: Text) -> str:
    return t[VI]


def report_xlsx(report: YearlyReport, made: datetime) -> bytes:
    """`made`: the moment it was read, in Vietnam time."""
    import xlsxwriter  # imported here: only a workbook needs it

    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    title = book.add_format({"bold": True, "font_size": 13})
    heading = book.add_format(
        {"bold": True, "text_wrap": True, "align": "center", "valign": "vcenter", "border": 1}
    )
    number = book.add_format({"border": 1})
    number_bold = book.add_format({"border": 1, "bold": True})
    untracked = book.add_format({"border": 1, "italic": True, "align": "center"})
    untracked_bold = book.add_format({"border": 1, "italic": True, "bold": True, "align": "center"})
    centred = book.add_format({"bold": True, "align": "center"})
    hint = book.add_format({"italic": True, "align": "center"})
    wrap = book.add_format({"text_wrap": True, "valign": "top", "border": 1})
    names = [book.add_format({"border": 1, "indent": d}) for d in range(8)]
    names_bold = [book.add_format({"border": 1, "indent": d, "bold": True}) for d in range(8)]

    sheet = book.add_worksheet(_vi(REPORT["sheet"])[:31])
    cols = columns(report.kinds)
    last = _FIRST_FIGURE + len(cols) - 1
    sheet.write_string(0, 0, _vi(REPORT["title"].format(year=report.year, name=report.name)), title)
    sheet.write_string(1, 0, _vi(REPORT["scope"].format(name=report.name, code=report.issuer)))
    sheet.write_string(2, 0, _vi(REPORT["made_on"].format(day=f"{made:%d/%m/%Y}")))
    sheet.merge_range(_HEAD, 0, _HEAD + 1, 0, "STT", heading)
    sheet.merge_range(_HEAD, 1, _HEAD + 1, 1, _vi(REPORT["issuer"]), heading)
    at = _FIRST_FIGURE
    for group, span in groups(cols):
        if span == 1:
            sheet.write_string(_HEAD, at, _vi(REPORT[group]), heading)
        else:
            sheet.merge_range(_HEAD, at, _HEAD, at + span - 1, _vi(REPORT[group]), heading)
        at += span
    for i, c in enumerate(cols):
        sheet.write_string(_HEAD + 1, _FIRST_FIGURE + i, _vi(c.heading), heading)
    sheet.set_row(_HEAD + 1, 45)
    first_blank, blank_count = blank_span(cols)
    widest = len(_vi(REPORT["issuer"]))
    number_in_list = 0
    row_at = _HEAD + 2
    for row in report.rows:
        summed = row.type != "issuer"
        depth = min(row.depth, 7)
        text = label(row, VI)
        widest = max(widest, len(text) + 2 * depth)
        if not summed:
            number_in_list += 1
            sheet.write_number(row_at, 0, number_in_list, number)
        else:
            sheet.write_blank(row_at, 0, None, number_bold)
        sheet.write_string(row_at, 1, text, (names_bold if summed else names)[depth])
        figures = values(row, cols)
        for i, value in enumerate(figures):
            if value is not None:
                sheet.write_number(
                    row_at, _FIRST_FIGURE + i, value, number_bold if summed else number
                )
        if figures[first_blank] is None:
            sheet.merge_range(
                row_at,
                _FIRST_FIGURE + first_blank,
                row_at,
                _FIRST_FIGURE + first_blank + blank_count - 1,
                _vi(REPORT["not_tracked"]),
                untracked_bold if summed else untracked,
            )
        row_at += 1
    sheet.set_column(0, 0, 5)
    sheet.set_column(1, 1, min(max(widest, 20), 70))
    sheet.set_column(_FIRST_FIGURE, last, 11)
    sheet.freeze_panes(_HEAD + 2, _FIRST_FIGURE)

    row_at += 1
    moment = f"{made:%d/%m/%Y %H:%M}"
    sheet.write_string(row_at, 1, _vi(REPORT["made_at"].format(moment=moment)))
    row_at += 2
    left, right = 1, max(last - 5, _FIRST_FIGURE + 1)
    sheet.write_string(row_at, right, _vi(REPORT["place_date"]), hint)
    row_at += 1
    sheet.write_string(row_at, left, _vi(REPORT["preparer"]), centred)
    sheet.write_string(row_at, right, _vi(REPORT["head"]), centred)
    sheet.write_string(row_at + 1, left, _vi(REPORT["sign"]), hint)
    sheet.write_string(row_at + 1, right, _vi(REPORT["sign_seal"]), hint)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(_HEAD, _HEAD + 1)

    notes = book.add_worksheet(_vi(REPORT["notes_sheet"])[:31])
    for i, key in enumerate(("rp_column", "rp_how", "rp_basis")):
        notes.write_string(0, i, _vi(SUPERVISION_PAGE[key]), heading)
    for i, (note, group) in enumerate(NOTE_GROUPS, start=1):
        notes.write_string(i, 0, _vi(REPORT[group]), wrap)
        notes.write_string(i, 1, _vi(REPORT_NOTES[note]), wrap)
        notes.write_string(i, 2, _vi(REPORT_BASIS[note]), wrap)
    notes.set_column(0, 0, 24)
    notes.set_column(1, 1, 100)
    notes.set_column(2, 2, 12)
    notes.freeze_panes(1, 0)
    book.close()
    return out.getvalue()
