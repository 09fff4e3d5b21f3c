"""Diplomas printed onto their blank forms: only the data, each field in its box of the
layout (service/printing/layout.py), moved and scaled by the issuer's printer calibration, and
the QR code drawn as vector paths at its module size in the layout's QR box."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from fpdf import FPDF

from service import texts
from service.domain.kinds import DiplomaKind
from service.printing.calibration import NONE, Calibration
from service.printing.fonts import FONT, STYLES, add_fonts, finish
from service.printing.layout import Box, FieldSpec, Layout
from service.printing.values import field_value
from service.printing.vector import MODULE_MM, draw_qr, side_mm
from service.qr.symbol import make_symbol
from service.qr.tokens import Row

# A long value is set smaller down to its field's min_size, then condensed down to this.
MIN_STRETCH = 0.80
# The blank's own texts and labels may be set this small for a long issuer name.
BLANK_MIN_SIZE = 6.0


class PrintError(ValueError):
    """A diploma that cannot be printed on its layout as it is; says why in both languages."""

    def __init__(self, vi: str, en: str) -> None:
        super().__init__(en)
        self.vi = vi
        self.en = en


def _fit(
    pdf: FPDF, text: str, style: str, width: float, size: float, smallest: float
) -> tuple[float, float] | None:
    """The type size and horizontal stretch that fit the text in `width` mm, set at `size`
    and no smaller than `smallest` points, or None."""
    pdf.set_font(FONT, style, size)
    natural = pdf.get_string_width(text)
    if natural <= width:
        return size, 1.0
    fitted = max(smallest, math.floor(size * width / natural * 2) / 2)
    at_size = natural * fitted / size
    if at_size <= width:
        return fitted, 1.0
    stretch = width / at_size
    return (fitted, stretch) if stretch >= MIN_STRETCH else None


class BlankPrint:
    """Diplomas on their blanks, a page each (service/printing/document.py)."""

    def __init__(
        self,
        choose: Callable[[DiplomaKind], Layout],
        *,
        issuer_names: Mapping[str, str],
        calibration: Calibration = NONE,
        module_mm: float = MODULE_MM,
        title: str = "",
        draw_blank: bool = False,
        compliance: str | None = None,
        styles: Iterable[str] = STYLES,
    ) -> None:
        self.choose = choose
        self.issuer_names = issuer_names
        self.calibration = calibration
        self.module_mm = module_mm
        self.draw_blank = draw_blank
        # compliance: a PDF/A profile, "PDF/A-3B" for the digital diploma (fpdf2 then writes
        # the XMP metadata and the sRGB output intent it requires).
        pdf = FPDF(unit="mm", enforce_compliance=compliance)
        pdf.set_auto_page_break(auto=False)
        pdf.set_margins(0, 0, 0)
        pdf.c_margin = 0
        pdf.set_creator("vanbang")
        pdf.set_title(title)
        add_fonts(pdf, styles)
        self.pdf = pdf

    def add(self, row: Row, qr_text: str) -> None:
        layout = self.choose(DiplomaKind(row["kind"]))
        symbol = make_symbol(qr_text)
        cal = self.calibration
        module = cal.length(self.module_mm)
        if side_mm(symbol, self.module_mm) > layout.qr.side:
            raise PrintError(
                *texts.PRINT_QR_TOO_LARGE.format(
                    serial=row["serial"],
                    version=symbol.version,
                    layout=layout.name,
                    module=f"{self.module_mm:g}",
                )
            )
        pdf = self.pdf
        pdf.add_page(format=(layout.width, layout.height))
        issuer_name = self.issuer_names.get(row["issuer_code"], "")
        if self.draw_blank:
            self._blank(layout, row, issuer_name)
        for spec in layout.fields:
            text = field_value(spec.name, row, spec.lang, issuer_name)
            if not text:
                continue
            if spec.upper:
                text = text.upper()
            self._write(spec, text, row, layout)
        # The symbol at the centre of its box: a smaller code keeps the same place.
        inset = (layout.qr.side - side_mm(symbol, self.module_mm)) / 2
        draw_qr(pdf, symbol, cal.x(layout.qr.x + inset), cal.y(layout.qr.y + inset), module)

    def _write(self, spec: FieldSpec, text: str, row: Row, layout: Layout) -> None:
        if not self._place(spec.box, text, spec.size, spec.min_size, spec.style, spec.align):
            field = texts.PRINT_FIELDS[spec.name]
            named = texts.Text(field.vi.lower(), field.en.lower())
            raise PrintError(
                *texts.PRINT_OVERFLOW.format(serial=row["serial"], field=named, layout=layout.name)
            )

    def _place(
        self, box: Box, text: str, size: float, smallest: float, style: str, align: str
    ) -> bool:
        """Writes the text in its box (through the calibration); False if it cannot fit."""
        cal = self.calibration
        x, y = cal.x(box.x), cal.y(box.y)
        width, height = cal.length(box.w), cal.length(box.h)
        fit = _fit(self.pdf, text, style, width, size * cal.scale, smallest * cal.scale)
        if fit is None:
            return False
        fitted, stretch = fit
        pdf = self.pdf
        pdf.set_font(FONT, style, fitted)
        if stretch != 1.0:  # condensed: fpdf2's cell() writes the stretch
            pdf.set_stretching(stretch * 100)
            pdf.set_xy(x, y)
            pdf.cell(width, height, text, align=align)
            pdf.set_stretching(100)
            return True
        # text() costs a fifth of cell(); the baseline where cell() would put it.
        room = width - pdf.get_string_width(text)
        left = x + {"L": 0.0, "C": room / 2, "R": room}[align]
        pdf.text(left, y + height / 2 + 0.3 * pdf.font_size, text)
        return True

    def _blank(self, layout: Layout, row: Row, issuer_name: str) -> None:
        """What the blank itself carries, for a document printed without one: a frame, the
        header and title, the labels."""
        pdf = self.pdf
        cal = self.calibration
        kind = texts.KINDS[row["kind"]]
        pdf.set_draw_color(120, 30, 30)
        for inset, line in ((7.0, 0.8), (9.0, 0.25)):
            pdf.set_line_width(line)
            pdf.rect(
                cal.x(inset),
                cal.y(inset),
                cal.length(layout.width - 2 * inset),
                cal.length(layout.height - 2 * inset),
            )
        for printed in layout.blank:
            text = printed.text.format(
                kind_title=kind.vi.upper(),
                kind_title_en=kind.en.upper(),
                issuer_name=issuer_name,
                serial=row["serial"],
            )
            smallest = min(printed.size, BLANK_MIN_SIZE)
            if text and not self._place(
                printed.box, text, printed.size, smallest, printed.style, printed.align
            ):
                raise PrintError(*texts.PRINT_BLANK_OVERFLOW.format(layout=layout.name))
        for spec in layout.fields:
            box = spec.label_box
            if box is not None and spec.label:
                smallest = min(spec.size, BLANK_MIN_SIZE)
                self._place(box, spec.label, spec.size - 1, smallest, "I", "L")

    def output(self) -> bytes:
        return finish(self.pdf)


def layout_chooser(
    layouts: Mapping[str, Layout], named: str | None
) -> Callable[[DiplomaKind], Layout]:
    """Picks the named layout, or each kind's Vietnamese one; a named layout not made for a
    row's kind is refused (PrintError) rather than printed on the wrong blank."""
    from service.printing.layout import default_layout

    def choose(kind: DiplomaKind) -> Layout:
        if named is None:
            return default_layout(dict(layouts), kind)
        layout = layouts[named]
        if kind not in layout.kinds:
            raise PrintError(*texts.PRINT_NO_LAYOUT.format(layout=named))
        return layout

    return choose


def describe(layout: Layout) -> dict[str, Any]:
    return {"name": layout.name, "title": layout.title}
