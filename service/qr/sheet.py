"""The printable sheet of a graduation decision: one A4 page per diploma with its QR code (25
mm), serial, register number and printed fields, in Be Vietnam Pro, a typeface made for
Vietnamese, embedded (subset) in the PDF."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import fontpkg_be_vietnam_pro
from fpdf import FPDF

from service import texts
from service.domain.kinds import DiplomaKind
from service.qr.render import png
from service.qr.symbol import make_symbol
from service.qr.tokens import Row

FONT = "BeVietnamPro"
_FILES = Path(fontpkg_be_vietnam_pro.ROOT) / "files"
QR_MM = 25.0


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


def decision_sheet(
    decision: Mapping[str, Any], rows: Sequence[Row], qr_texts: Sequence[str]
) -> bytes:
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(auto=False)
    pdf.set_creator("vanbang")
    pdf.set_title(texts.SHEET_TITLE.format(number=decision["number"]))
    pdf.add_font(FONT, "", str(_FILES / "BeVietnamPro-Regular.ttf"))
    pdf.add_font(FONT, "B", str(_FILES / "BeVietnamPro-Bold.ttf"))
    for row, text in zip(rows, qr_texts, strict=True):
        pdf.add_page()
        pdf.set_font(FONT, "B", 16)
        pdf.set_xy(20, 25)
        pdf.cell(170, 10, DiplomaKind(row["kind"]).title_vi.upper(), align="C")
        pdf.set_font(FONT, "", 9)
        pdf.set_xy(20, 35)
        pdf.cell(
            170,
            6,
            texts.SHEET_DECISION.format(number=decision["number"], date=decision["date"]),
            align="C",
        )
        y = 52.0
        for label, value in _lines(row):
            pdf.set_xy(25, y)
            pdf.set_font(FONT, "", 11)
            pdf.cell(45, 7, label + ":")
            pdf.set_font(FONT, "B", 11)
            pdf.multi_cell(115, 7, str(value))
            y = max(y + 8.0, pdf.get_y() + 1.0)
        qr_y = max(y + 8.0, 160.0)
        image = png(make_symbol(text), size_mm=QR_MM, dpi=600)
        pdf.image(io.BytesIO(image), x=25, y=qr_y, w=QR_MM, h=QR_MM)
        pdf.set_font(FONT, "", 8)
        pdf.set_xy(55, qr_y + 2)
        pdf.multi_cell(
            130,
            4.5,
            texts.SHEET_FOOTER.format(serial=row["serial"], register_number=row["register_number"]),
        )
    return bytes(pdf.output())
