"""The check sheet of a graduation decision: one A4 page per diploma listing its printed fields
with their labels, its serial and register number, and its QR code, for a clerk to read before
printing onto the blanks (docs/printing.md). Not for the blanks: it has labels of its own."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fpdf import FPDF

from service import texts
from service.domain.kinds import DiplomaKind
from service.printing.fonts import FONT, add_fonts, finish
from service.printing.lines import fits, line
from service.printing.vector import MODULE_MM, draw_qr
from service.qr.symbol import make_symbol
from service.qr.tokens import Row


def _date(value: Any) -> str:
    return f"{value:%d/%m/%Y}"


def _lines(row: Row) -> list[tuple[str, str]]:
    signer = row["signer_name"]
    title = row["signer_title"]
    if row["signer_on_behalf_of"]:
        title = texts.SHEET_ON_BEHALF.format(head=row["signer_on_behalf_of"].upper(), title=title)
    values = {
        "holder_name": row["holder_name"],
        "date_of_birth": _date(row["date_of_birth"]),
        "place_of_birth": row["place_of_birth"],
        "gender": texts.GENDERS_PRINTED.get(row["gender"], row["gender"]),
        "major": row["major"],
        "classification": row["classification"],
        "mode_of_study": row["mode_of_study"],
        "graduation_year": str(row["graduation_year"]),
        "place_and_date_of_issue": f"{row['place_of_issue']}, {_date(row['issued_on'])}",
        "signer": f"{title}: {signer}",
        "serial": row["serial"],
        "register_number": row["register_number"],
    }
    return [(label, values[name]) for name, label in texts.SHEET_LABELS.items() if values[name]]


class CheckSheet:
    """The check sheet, a page per diploma (service/printing/document.py)."""

    def __init__(self, decision: Mapping[str, Any], *, module_mm: float = MODULE_MM) -> None:
        self.decision = decision
        self.module_mm = module_mm
        self.heading = texts.SHEET_DECISION.format(number=decision["number"], date=decision["date"])
        pdf = FPDF(format="A4", unit="mm")
        pdf.set_auto_page_break(auto=False)
        pdf.set_creator("vanbang")
        pdf.set_title(texts.SHEET_TITLE.format(number=decision["number"]))
        add_fonts(pdf)
        self.pdf = pdf

    def add(self, row: Row, qr_text: str) -> None:
        # One line is one text() call where it fits, multi_cell() only where it does not
        # (service/printing/lines.py): a page costs less than making its QR symbol.
        pdf = self.pdf
        pdf.add_page()
        pdf.set_font(FONT, "B", 16)
        line(pdf, DiplomaKind(row["kind"]).title_vi.upper(), 20, 25, 170, 10, align="C")
        pdf.set_font(FONT, "", 9)
        line(pdf, self.heading, 20, 35, 170, 6, align="C")
        y = 52.0
        for label, value in _lines(row):
            pdf.set_font(FONT, "", 11)
            line(pdf, label + ":", 25, y, 45, 7)
            pdf.set_font(FONT, "B", 11)
            y = max(y + 8.0, _wrapped(pdf, str(value), 70, y, 115, 7) + 1.0)
        qr_y = max(y + 8.0, 160.0)
        side = draw_qr(pdf, make_symbol(qr_text), 25, qr_y, self.module_mm)
        pdf.set_font(FONT, "", 8)
        footer = texts.SHEET_FOOTER.format(
            serial=row["serial"], register_number=row["register_number"]
        )
        y = qr_y + 2
        for text in footer.split("\n"):
            y = _wrapped(pdf, text, 25 + side + 5, y, 130, 4.5)

    def output(self) -> bytes:
        return finish(self.pdf)


def _wrapped(pdf: FPDF, text: str, x: float, y: float, width: float, height: float) -> float:
    """`text` in lines `height` tall in a box `width` wide; answers where the next line goes."""
    if fits(pdf, text, width):
        line(pdf, text, x, y, width, height)
        return y + height
    pdf.set_xy(x, y)
    pdf.multi_cell(width, height, text)
    return float(pdf.get_y())
