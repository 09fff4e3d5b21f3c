"""The typeface of everything printed: Be Vietnam Pro, made for Vietnamese, embedded (subset)."""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import fontpkg_be_vietnam_pro
from fpdf import FPDF

FONT = "BeVietnamPro"
_FILES = Path(fontpkg_be_vietnam_pro.ROOT) / "files"
STYLES = {"": "Regular", "B": "Bold", "I": "Italic", "BI": "BoldItalic"}


def _close(fonts: list[Any]) -> None:
    for font in fonts:
        font.close()


def add_fonts(pdf: FPDF, styles: Iterable[str] = STYLES) -> None:
    """Adds the styles (all four unless told). Every style added is subset and embedded in
    the output, used or not (30 % of a one-page document's cost for each), so a document that
    knows its styles adds only those. fpdf2 reads font files lazily and leaves them open:
    they are closed once the document is gone (or by `finish`), never left to the garbage
    collector."""
    for style in styles:
        pdf.add_font(FONT, style, str(_FILES / f"BeVietnamPro-{STYLES[style]}.ttf"))
    opened = [font.ttfont for font in pdf.fonts.values() if hasattr(font, "ttfont")]
    weakref.finalize(pdf, _close, opened)


def finish(pdf: FPDF) -> bytes:
    """The document's bytes, its font files closed."""
    data = bytes(pdf.output())
    _close([font.ttfont for font in pdf.fonts.values() if hasattr(font, "ttfont")])
    return data
