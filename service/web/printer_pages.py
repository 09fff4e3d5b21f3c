"""The console's printer page (docs/printing.md, "Calibrating a printer"): the issuer's
calibration as it stands, the form to set it, and a test print of each layout."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from service.domain.printing import CalibrationOut, LayoutOut
from service.texts import Text
from service.web.console_pages import kind_name
from service.web.render import render
from service.web.staff_pages import Frame, errors_in, when
from service.web.texts import text


def decimal(value: float) -> str:
    """A number as Vietnamese write it (1,5), or as English do."""
    return f"{value:g}"


def printer_page(
    frame: Frame,
    issuer: str,
    setting: CalibrationOut,
    layouts: Sequence[LayoutOut],
    *,
    values: Mapping[str, str] | None = None,
    errors: Mapping[str, Text] | None = None,
    notice: Text | None = None,
) -> str:
    lang = frame.lang

    def number(value: float) -> str:
        shown = decimal(value)
        return shown.replace(".", ",") if lang == "vi" else shown

    if setting.updated_at is None:
        current = str(text("pr_never", lang))
    else:
        current = (
            f"{text('pr_offset_x', lang)}: {number(setting.offset_x_mm)} · "
            f"{text('pr_offset_y', lang)}: {number(setting.offset_y_mm)} · "
            f"{text('pr_scale', lang)}: {number(setting.scale)} · "
            + str(text("pr_updated", lang)).format(at=when(setting.updated_at, lang))
        )
    shown = values or {
        "offset_x": number(setting.offset_x_mm),
        "offset_y": number(setting.offset_y_mm),
        "scale": number(setting.scale),
    }
    return render(
        "console/printer.html",
        lang,
        **frame.context(),
        title=text("nav_printer", lang),
        issuer=issuer,
        current=current,
        values=shown,
        errors=errors_in(lang, errors or {}),
        notice=None if notice is None else notice[0 if lang == "vi" else 1],
        layouts=[
            {
                "name": layout.name,
                "title": layout.title,
                "kinds": ", ".join(kind_name(kind, lang) for kind in layout.kinds),
            }
            for layout in layouts
        ],
    )
