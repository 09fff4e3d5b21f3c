"""One line of text in a box, placed where fpdf2's cell() would place it, by its text() call:
cell() costs 75 µs a line and multi_cell() 570 µs (it breaks lines through fragments), text()
18 µs and measuring the text 20 µs (docs/printing.md, "Large decisions"). What is wider than
its box is the caller's to wrap (multi_cell) or shrink."""

from __future__ import annotations

from typing import Literal

from fpdf import FPDF

Align = Literal["L", "C", "R"]


def fits(pdf: FPDF, text: str, width_mm: float) -> bool:
    """Whether `text` in the current font fits a box `width_mm` wide, inside its margins."""
    return pdf.get_string_width(text) <= width_mm - 2 * pdf.c_margin


def line(
    pdf: FPDF,
    text: str,
    x_mm: float,
    y_mm: float,
    width_mm: float,
    height_mm: float,
    *,
    align: Align = "L",
) -> None:
    """`text` in the current font in the box at (x_mm, y_mm), as cell(width_mm, height_mm,
    text, align=align) at that place draws it: baseline at mid-height plus 0.3 of the font
    size, the cell's margin kept on the side it is aligned to. Nothing is wrapped."""
    if align == "L":
        dx = pdf.c_margin
    else:
        spare = width_mm - pdf.get_string_width(text)
        dx = spare / 2 if align == "C" else spare - pdf.c_margin
    pdf.text(x_mm + dx, y_mm + 0.5 * height_mm + 0.3 * pdf.font_size, text)
