"""A verification receipt as a PDF to print (docs/verification.md, "Biên nhận kiểm tra"): A4,
Be Vietnam Pro embedded (as the printable sheets and the yearly report), the receipt's code
printed large beside a QR code of its address, so that a reader of the paper checks it again,
then the answer when checked, the answer at the time of printing, and the diploma's fields."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import fontpkg_be_vietnam_pro
from fpdf import FPDF

from service.printing.vector import MODULE_MM, draw_qr, side_mm
from service.qr.render import QUIET_ZONE
from service.qr.symbol import make_symbol

FONT = "BeVietnamPro"
_FILES = Path(fontpkg_be_vietnam_pro.ROOT) / "files"
_MARGIN = 18.0
QR_MM = 38.0
# The verdict's colour, as the pages show it (public.css).
_COLOURS = {
    "valid": (23, 128, 61),
    "genuine": (23, 128, 61),
    "corrected": (23, 128, 61),
    "not_found": (95, 107, 122),
    "status_unknown": (178, 106, 0),
    "replaced": (178, 106, 0),
    "not_genuine": (179, 38, 30),
    "revoked": (179, 38, 30),
}


@dataclass(frozen=True)
class PrintedSide:
    verdict: str
    summary: str
    at: str | None
    heading: str | None
    rows: list[tuple[str, str]]
    current: list[tuple[str, str]]


@dataclass(frozen=True)
class Printed:
    title: str
    code_label: str
    code: str
    address_label: str
    url: str
    qr_text: str
    times: list[tuple[str, str]]
    then_heading: str
    then: PrintedSide
    now_heading: str
    now_at_label: str
    now: PrintedSide
    change: str
    changed: bool
    fields_heading: str
    fields: list[tuple[str, str]]
    no_fields: str
    scan: str
    privacy: str
    printed: str


def receipt_pdf(receipt: Printed, *, module_mm: float = MODULE_MM) -> bytes:
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_creator("vanbang")
    pdf.set_title(f"{receipt.title} {receipt.code}")
    pdf.add_font(FONT, "", str(_FILES / "BeVietnamPro-Regular.ttf"))
    pdf.add_font(FONT, "B", str(_FILES / "BeVietnamPro-Bold.ttf"))
    pdf.add_font(FONT, "I", str(_FILES / "BeVietnamPro-Italic.ttf"))
    pdf.add_page()
    width = pdf.w - 2 * _MARGIN

    pdf.set_font(FONT, "B", 16)
    pdf.cell(width, 9, receipt.title.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    # The code, large, on the left; the QR code of the receipt's address on the right, drawn
    # as vector paths about QR_MM wide, its modules never narrower than `module_mm`.
    top = pdf.get_y()
    symbol = make_symbol(receipt.qr_text)
    module = max(module_mm, QR_MM / (symbol.size + 2 * QUIET_ZONE))
    qr_mm = side_mm(symbol, module)
    draw_qr(pdf, symbol, pdf.w - _MARGIN - qr_mm, top, module)
    left = width - qr_mm - 6
    pdf.set_font(FONT, "", 10)
    pdf.cell(left, 6, receipt.code_label, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 28)
    pdf.cell(left, 14, receipt.code, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9)
    address = f"{receipt.address_label}: {receipt.url}"
    pdf.multi_cell(left, 5, address, new_x="LMARGIN", new_y="NEXT")
    for label, value in receipt.times:
        pdf.set_font(FONT, "", 9)
        pdf.multi_cell(left, 5, f"{label}: {value}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "I", 8)
    pdf.multi_cell(left, 4.2, receipt.scan, new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(pdf.get_y(), top + qr_mm) + 6)

    _side(pdf, width, receipt.then_heading, receipt.then)
    now_heading = receipt.now_heading
    if receipt.now.at:
        now_heading = f"{now_heading} ({receipt.now_at_label.lower()} {receipt.now.at})"
    _side(pdf, width, now_heading, receipt.now)
    pdf.set_font(FONT, "B" if receipt.changed else "", 10)
    if receipt.changed:
        pdf.set_text_color(179, 38, 30)
    pdf.multi_cell(width, 5.5, receipt.change, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(4)

    _heading(pdf, width, receipt.fields_heading)
    if receipt.fields:
        _rows(pdf, width, receipt.fields, size=10)
    else:
        pdf.set_font(FONT, "", 10)
        pdf.multi_cell(width, 5.5, receipt.no_fields, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font(FONT, "I", 8)
    pdf.multi_cell(width, 4.2, receipt.privacy, new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(width, 4.2, receipt.printed, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _heading(pdf: Any, width: float, text: str) -> None:
    pdf.set_font(FONT, "B", 11)
    pdf.multi_cell(width, 6, text, new_x="LMARGIN", new_y="NEXT")
    y = pdf.get_y()
    pdf.set_draw_color(196, 201, 208)
    pdf.line(pdf.l_margin, y, pdf.l_margin + width, y)
    pdf.ln(1.5)


def _side(pdf: Any, width: float, heading: str, side: PrintedSide) -> None:
    _heading(pdf, width, heading)
    pdf.set_font(FONT, "B", 13)
    pdf.set_text_color(*_COLOURS.get(side.verdict, (0, 0, 0)))
    pdf.multi_cell(width, 7, side.summary, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    if side.heading:
        pdf.set_font(FONT, "I", 9)
        pdf.multi_cell(width, 5, side.heading, new_x="LMARGIN", new_y="NEXT")
        _rows(pdf, width, side.rows, size=9)
        if side.current:
            _rows(pdf, width, side.current, size=9)
    pdf.ln(3)


def _rows(pdf: Any, width: float, rows: list[tuple[str, str]], *, size: float) -> None:
    label_mm = 48.0
    for label, value in rows:
        y = pdf.get_y()
        pdf.set_font(FONT, "", size)
        pdf.set_xy(pdf.l_margin, y)
        pdf.multi_cell(label_mm, size * 0.55, label)
        after_label = pdf.get_y()
        pdf.set_xy(pdf.l_margin + label_mm, y)
        pdf.set_font(FONT, "B", size)
        pdf.multi_cell(width - label_mm, size * 0.55, value)
        pdf.set_y(max(after_label, pdf.get_y()) + 0.8)
