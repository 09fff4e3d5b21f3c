"""The typeface of everything printed: Be Vietnam Pro, made for Vietnamese, embedded (subset)."""

from __future__ import annotations

import hashlib
import re
import weakref
from collections.abc import Iterable
from datetime import UTC
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


# fpdf2 stamps a PDF/A document's XMP metadata with the moment of output (ModifyDate and
# MetadataDate), so the same content gave other bytes a second later.
_XMP_STAMPS = re.compile(rb'xmp:(?:ModifyDate|MetadataDate)="([^"]*)"')
# The file identifier fpdf2 hashes from the bytes holding that stamp (PDF 1.7, 14.4).
_FILE_ID = re.compile(rb"/ID \[<([0-9A-F]{32})><\1>\]")


def finish(pdf: FPDF) -> bytes:
    """The document's bytes, its font files closed. A PDF/A document's XMP dates are its
    creation date (for a digital diploma or an extract, the record's own time), never the
    time it was drawn: the same version renders to the same bytes."""
    data = bytes(pdf.output())
    _close([font.ttfont for font in pdf.fonts.values() if hasattr(font, "ttfont")])
    created = pdf.creation_date.astimezone(UTC).isoformat(timespec="seconds").encode()

    def created_instead(match: re.Match[bytes]) -> bytes:
        # The same length: every offset of the cross-reference table stays right.
        assert len(match[1]) == len(created), (match[1], created)
        return match[0].replace(match[1], created)

    still, stamps = _XMP_STAMPS.subn(created_instead, data)
    found = _FILE_ID.search(still) if stamps else None
    if found is None:
        return still
    # Identified afresh from the bytes as they now are (the identifier's place zeroed).
    blank = still[: found.start()] + b"0" * len(found[0]) + still[found.end() :]
    ident = hashlib.md5(blank, usedforsecurity=False).hexdigest().upper().encode()
    return still.replace(found[0], b"/ID [<" + ident + b"><" + ident + b">]")
