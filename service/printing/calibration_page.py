"""The calibration page of a layout (docs/printing.md, "Calibrating a printer"): rulers along
the top and left edges, crosshairs at known places, and the box of every field and of the QR
code where the layout puts them, all through the issuer's current calibration, so that one
test print shows both what to measure and whether the last setting was right."""

from __future__ import annotations

from fpdf import FPDF

from service import texts
from service.printing.calibration import Calibration
from service.printing.fonts import FONT, add_fonts, finish
from service.printing.layout import Layout

INSET = 20.0  # the crosshairs' distance from the page's edges, in mm
_CROSS = 6.0  # each arm of a crosshair


def crosshairs(layout: Layout) -> list[tuple[float, float]]:
    """Where the crosshairs are meant to print, in mm from the top left corner."""
    right, bottom = layout.width - INSET, layout.height - INSET
    return [
        (INSET, INSET),
        (right, INSET),
        (INSET, bottom),
        (right, bottom),
        (layout.width / 2, layout.height / 2),
    ]


def _number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def calibration_page(layout: Layout, cal: Calibration) -> bytes:
    pdf = FPDF(unit="mm", format=(layout.width, layout.height))
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(0, 0, 0)
    pdf.c_margin = 0
    pdf.set_creator("vanbang")
    pdf.set_title(texts.CALIBRATION_TITLE.format(layout=layout.title))
    add_fonts(pdf)
    pdf.add_page()
    pdf.set_line_width(0.1)
    pdf.set_draw_color(0)
    pdf.set_font(FONT, "", 5)
    # Rulers: a tick each millimetre, longer each 5, numbered each 10.
    for mm in range(0, int(layout.width) + 1):
        tick = 4.0 if mm % 10 == 0 else 2.5 if mm % 5 == 0 else 1.5
        pdf.line(cal.x(mm), cal.y(0), cal.x(mm), cal.y(tick))
        if mm % 10 == 0 and 0 < mm < layout.width:
            pdf.set_xy(cal.x(mm) - 3, cal.y(4.2))
            pdf.cell(6, 2.5, str(mm), align="C")
    for mm in range(0, int(layout.height) + 1):
        tick = 4.0 if mm % 10 == 0 else 2.5 if mm % 5 == 0 else 1.5
        pdf.line(cal.x(0), cal.y(mm), cal.x(tick), cal.y(mm))
        if mm % 10 == 0 and 0 < mm < layout.height:
            pdf.set_xy(cal.x(4.5), cal.y(mm) - 1.25)
            pdf.cell(6, 2.5, str(mm))
    pdf.set_font(FONT, "", 6)
    for x, y in crosshairs(layout):
        pdf.line(cal.x(x - _CROSS), cal.y(y), cal.x(x + _CROSS), cal.y(y))
        pdf.line(cal.x(x), cal.y(y - _CROSS), cal.x(x), cal.y(y + _CROSS))
        pdf.circle(cal.x(x), cal.y(y), cal.length(2.0))
        pdf.set_xy(cal.x(x + 1.5), cal.y(y + 1.5))
        pdf.cell(20, 3, f"({_number(x)}; {_number(y)})")
    # The boxes, light, each named: laid on a blank against the light, each must sit in its gap.
    pdf.set_draw_color(150)
    pdf.set_text_color(110)
    pdf.set_font(FONT, "", 5.5)
    for spec in layout.fields:
        box = spec.box
        pdf.rect(cal.x(box.x), cal.y(box.y), cal.length(box.w), cal.length(box.h))
        name = texts.PRINT_FIELDS[spec.name]
        label = name.vi if spec.lang == "vi" else f"{name.vi} (EN)"
        pdf.set_xy(cal.x(box.x) + 0.5, cal.y(box.y) + 0.3)
        pdf.cell(cal.length(box.w) - 1, 2.5, label)
    qr = layout.qr
    pdf.set_dash_pattern(dash=1, gap=1)
    pdf.rect(cal.x(qr.x), cal.y(qr.y), cal.length(qr.side), cal.length(qr.side))
    pdf.set_dash_pattern()
    pdf.set_xy(cal.x(qr.x) + 0.5, cal.y(qr.y) + 0.3)
    pdf.cell(cal.length(qr.side) - 1, 2.5, texts.PRINT_FIELDS["qr"].vi)
    # What to do, in the page's free band near the top.
    pdf.set_text_color(0)
    pdf.set_font(FONT, "B", 9)
    pdf.set_xy(INSET + 12, 10)
    pdf.cell(layout.width - 2 * INSET - 24, 5, texts.CALIBRATION_TITLE.format(layout=layout.title))
    pdf.set_font(FONT, "", 7)
    pdf.set_xy(INSET + 12, 27)
    span = _number(layout.width - 2 * INSET)
    pdf.multi_cell(layout.width - 2 * INSET - 24, 3.4, texts.CALIBRATION_STEPS.format(span=span))
    pdf.set_x(INSET + 12)
    pdf.set_font(FONT, "B", 7)
    pdf.cell(
        layout.width - 2 * INSET - 24,
        4,
        texts.CALIBRATION_NOW.format(
            x=_number(cal.offset_x), y=_number(cal.offset_y), scale=_number(cal.scale)
        ),
    )
    return finish(pdf)
