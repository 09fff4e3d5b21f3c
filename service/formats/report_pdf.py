"""The yearly report as a PDF to sign and send up (docs/audit.md): A4 landscape, Be Vietnam
Pro embedded (as the printable sheets, service/printing/check_sheet.py), the heading of a Vietnamese
official report (the issuer on the left, the national motto on the right), the table with
its two heading rows repeated on every page, the notes, the places for the preparer and the
head of the issuer to sign, and "Trang x/y" at the foot of each page."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import fontpkg_be_vietnam_pro
from fpdf import FPDF
from fpdf.fonts import FontFace

from service.domain.yearly_reports import YearlyReport
from service.formats.report_table import NOTE_GROUPS, blank_span, columns, groups, label, values
from service.texts import REPORT, REPORT_BASIS, REPORT_NOTES, Text

FONT = "BeVietnamPro"
_FILES = Path(fontpkg_be_vietnam_pro.ROOT) / "files"
VI = 0
_MARGIN = 10.0
_NAME_MM = 62.0


def _vi(t: Text) -> str:
    return t[VI]


class _Report(FPDF):
    def footer(self) -> None:
        self.set_y(-10)
        self.set_font(FONT, "", 8)
        page = _vi(REPORT["page"].format(page=self.page_no(), pages="{nb}"))
        self.cell(0, 5, page, align="C")


def report_pdf(report: YearlyReport, made: datetime) -> bytes:
    """`made`: the moment it was read, in Vietnam time."""
    pdf = _Report(orientation="landscape", format="A4", unit="mm")
    pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
    pdf.set_auto_page_break(auto=True, margin=14)
    pdf.set_creator("vanbang")
    title = _vi(REPORT["title"].format(year=report.year, name=report.name))
    pdf.set_title(title)
    pdf.add_font(FONT, "", str(_FILES / "BeVietnamPro-Regular.ttf"))
    pdf.add_font(FONT, "B", str(_FILES / "BeVietnamPro-Bold.ttf"))
    pdf.add_font(FONT, "I", str(_FILES / "BeVietnamPro-Italic.ttf"))
    pdf.add_font(FONT, "BI", str(_FILES / "BeVietnamPro-BoldItalic.ttf"))
    pdf.alias_nb_pages()
    pdf.add_page()
    width = pdf.w - 2 * _MARGIN
    half = width / 2

    # The heading: who reports, on the left; the nation and its motto, on the right.
    top = pdf.get_y()
    pdf.set_font(FONT, "B", 10)
    pdf.multi_cell(half * 0.8, 5, report.name.upper(), align="C")
    pdf.set_xy(_MARGIN + half, top)
    pdf.cell(half, 5, _vi(REPORT["nation"]), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(_MARGIN + half)
    pdf.cell(half, 5, _vi(REPORT["motto"]), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "I", 9)
    pdf.set_x(_MARGIN + half)
    pdf.cell(half, 5, _vi(REPORT["made_on"].format(day=f"{made:%d/%m/%Y}")), align="C")
    pdf.set_y(max(pdf.get_y(), top + 15) + 6)
    pdf.set_font(FONT, "B", 13)
    pdf.multi_cell(width, 6.5, title.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9)
    scope = _vi(REPORT["scope"].format(name=report.name, code=report.issuer))
    pdf.cell(width, 6, scope, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)

    _table(pdf, report, width)

    pdf.ln(3)
    pdf.set_font(FONT, "I", 8)
    moment = f"{made:%d/%m/%Y %H:%M}"
    pdf.multi_cell(width, 4.5, _vi(REPORT["made_at"].format(moment=moment)))
    _signatures(pdf, width)
    _notes(pdf, width)
    return bytes(pdf.output())


def _table(pdf: Any, report: YearlyReport, width: float) -> None:
    cols = columns(report.kinds)
    figure_mm = (width - _NAME_MM - 8) / len(cols)
    size = 6.5 if figure_mm >= 9 else 5.5
    pdf.set_font(FONT, "", size)
    bold = FontFace(emphasis="B")
    italic = FontFace(emphasis="I")
    bold_italic = FontFace(emphasis="BI")
    first_blank, blank_count = blank_span(cols)
    with pdf.table(
        col_widths=[8, _NAME_MM] + [figure_mm] * len(cols),
        width=width,
        num_heading_rows=2,
        repeat_headings=1,
        line_height=size * 0.5,
        text_align="CENTER",
        padding=0.8,
        headings_style=bold,
    ) as table:
        groups_row = table.row()
        groups_row.cell("STT", rowspan=2)
        groups_row.cell(_vi(REPORT["issuer"]), rowspan=2)
        for group, span in groups(cols):
            groups_row.cell(_vi(REPORT[group]), colspan=span)
        headings = table.row()
        for c in cols:
            headings.cell(_vi(c.heading))
        number = 0
        for row in report.rows:
            summed = row.type != "issuer"
            style = bold if summed else None
            line = table.row()
            if summed:
                line.cell("", style=style)
            else:
                number += 1
                line.cell(str(number))
            line.cell("\u00a0" * 4 * row.depth + label(row, VI), align="LEFT", style=style)
            figures = values(row, cols)
            for i, value in enumerate(figures):
                if i == first_blank and value is None:
                    line.cell(
                        _vi(REPORT["not_tracked"]),
                        colspan=blank_count,
                        style=bold_italic if summed else italic,
                    )
                elif first_blank <= i < first_blank + blank_count and value is None:
                    continue
                else:
                    line.cell(str(value), align="RIGHT", style=style)


def _signatures(pdf: Any, width: float) -> None:
    if pdf.get_y() > pdf.h - 55:
        pdf.add_page()
    pdf.ln(4)
    half = width / 2
    pdf.set_font(FONT, "I", 9)
    pdf.set_x(pdf.l_margin + half)
    pdf.cell(half, 5, _vi(REPORT["place_date"]), align="C", new_x="LMARGIN", new_y="NEXT")
    y = pdf.get_y()
    for x, who, how in (
        (pdf.l_margin, "preparer", "sign"),
        (pdf.l_margin + half, "head", "sign_seal"),
    ):
        pdf.set_xy(x, y)
        pdf.set_font(FONT, "B", 10)
        pdf.cell(half, 5, _vi(REPORT[who]), align="C")
        pdf.set_xy(x, y + 5)
        pdf.set_font(FONT, "I", 8)
        pdf.cell(half, 5, _vi(REPORT[how]), align="C")
    pdf.set_y(y + 35)


def _notes(pdf: Any, width: float) -> None:
    if pdf.get_y() > pdf.h - 60:
        pdf.add_page()
    pdf.set_font(FONT, "B", 10)
    pdf.cell(width, 6, _vi(REPORT["notes_sheet"]), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 8)
    for note, group in NOTE_GROUPS:
        text = f"{_vi(REPORT[group])} ({_vi(REPORT_BASIS[note])}): {_vi(REPORT_NOTES[note])}"
        pdf.multi_cell(width, 4.2, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(0.8)
