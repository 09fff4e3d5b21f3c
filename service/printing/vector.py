"""The QR code drawn into a PDF page as vector paths: one filled path of the dark runs of each
row, sized by its modules (docs/printing.md, "The QR code"), so that it prints sharp at any
resolution and its module size is exact."""

from __future__ import annotations

import numpy as np
from fpdf import FPDF

from service.qr.render import QUIET_ZONE
from service.qr.symbol import Symbol

# Phone cameras struggle below about 0.33 mm a module; VANBANG_QR_MODULE_MM may raise it.
MODULE_MM = 0.40


def side_mm(symbol: Symbol, module_mm: float) -> float:
    """The printed width of the symbol with its quiet zone of 4 modules on each side."""
    return (symbol.size + 2 * QUIET_ZONE) * module_mm


def runs(symbol: Symbol) -> list[tuple[int, int, int]]:
    """(row, first column, end column) of each horizontal run of dark modules."""
    found = []
    false = np.zeros((symbol.size, 1), dtype=bool)
    padded = np.hstack([false, symbol.modules, false]).astype(np.int8)
    changes = np.diff(padded, axis=1)
    starts = np.argwhere(changes == 1)
    ends = np.argwhere(changes == -1)
    for (row, start), (_, end) in zip(starts.tolist(), ends.tolist(), strict=True):
        found.append((row, start, end))
    return found


def draw_qr(pdf: FPDF, symbol: Symbol, x_mm: float, y_mm: float, module_mm: float) -> float:
    """Draws the symbol with its quiet zone (left light, as the paper is) with its top left
    corner at (x_mm, y_mm) of the current page; answers its width in mm."""
    k = pdf.k
    step = module_mm * k
    left = (x_mm + QUIET_ZONE * module_mm) * k
    top = (pdf.h - y_mm - QUIET_ZONE * module_mm) * k  # PDF's y grows upwards
    parts = ["q 0 g"]
    for row, start, end in runs(symbol):
        parts.append(
            f"{left + start * step:.3f} {top - (row + 1) * step:.3f} "
            f"{(end - start) * step:.3f} {step:.3f} re"
        )
    parts.append("f Q")
    # fpdf2 has no public call for raw path operators; its rect() would cost 15 ms a symbol.
    # tests/service/test_printing.py decodes the drawn symbols from rendered pages.
    pdf._out(" ".join(parts))
    return side_mm(symbol, module_mm)
