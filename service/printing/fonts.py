"""The typeface of everything printed: Be Vietnam Pro, made for Vietnamese, embedded (subset)."""

from __future__ import annotations

from pathlib import Path

import fontpkg_be_vietnam_pro
from fpdf import FPDF

FONT = "BeVietnamPro"
_FILES = Path(fontpkg_be_vietnam_pro.ROOT) / "files"
STYLES = {"": "Regular", "B": "Bold", "I": "Italic", "BI": "BoldItalic"}


def add_fonts(pdf: FPDF) -> None:
    for style, name in STYLES.items():
        pdf.add_font(FONT, style, str(_FILES / f"BeVietnamPro-{name}.ttf"))
