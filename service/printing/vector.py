"""The QR code drawn into a PDF page as vector paths: one filled path of the dark runs of each
row, sized by its modules (docs/printing.md, "The QR code"), so that it prints sharp at any
resolution and its module size is exact."""

from __future__ import annotations

import numpy as np
from fpdf import FPDF
from numpy.typing import NDArray

from service.qr.render import QUIET_ZONE
from service.qr.symbol import Symbol

# Phone cameras struggle below about 0.33 mm a module; VANBANG_QR_MODULE_MM may raise it.
MODULE_MM = 0.40


def side_mm(symbol: Symbol, module_mm: float) -> float:
    """The printed width of the symbol with its quiet zone of 4 modules on each side."""
    return (symbol.size + 2 * QUIET_ZONE) * module_mm


def runs(symbol: Symbol) -> NDArray[np.intp]:
    """(row, first column, length) of each horizontal run of dark modules, row by row."""
    false = np.zeros((symbol.size, 1), dtype=np.int8)
    padded = np.hstack([false, symbol.modules.astype(np.int8), false])
    changes = np.diff(padded, axis=1)
    starts = np.argwhere(changes == 1)  # row-major, as the ends: each start meets its end
    ends = np.argwhere(changes == -1)
    return np.column_stack([starts[:, 0], starts[:, 1], ends[:, 1] - starts[:, 1]])


def draw_qr(pdf: FPDF, symbol: Symbol, x_mm: float, y_mm: float, module_mm: float) -> float:
    """Draws the symbol with its quiet zone (left light, as the paper is) with its top left
    corner at (x_mm, y_mm) of the current page; answers its width in mm."""
    k = pdf.k
    step = module_mm * k
    left = (x_mm + QUIET_ZONE * module_mm) * k
    top = (pdf.h - y_mm - QUIET_ZONE * module_mm) * k  # PDF's y grows upwards
    # In module units (one module = 1, rows downwards), so each run is four small integers.
    parts = [f"q 0 g {step:.4f} 0 0 {-step:.4f} {left:.3f} {top:.3f} cm"]
    parts.extend(f"{start} {row} {length} 1 re" for row, start, length in runs(symbol).tolist())
    parts.append("f Q")
    # fpdf2 has no public call for raw path operators; its rect() would cost 15 ms a symbol.
    # tests/service/test_printing.py decodes the drawn symbols from rendered pages.
    pdf._out(" ".join(parts))
    return side_mm(symbol, module_mm)
