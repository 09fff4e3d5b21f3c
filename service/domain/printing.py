"""What a clerk sets and reads about printing: the printer's calibration of an issuer
(service/printing/calibration.py holds its arithmetic)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field

from service.domain.events import Answer
from service.domain.graduates import _Model

# What a clerk may set: a printer that misses by more than 20 mm, or scales by more than 5%,
# needs its paper guides or driver settings fixed, not an offset.
OFFSET_LIMIT_MM = 20.0
SCALE_LIMITS = (0.95, 1.05)

OffsetMm = Annotated[float, Field(ge=-OFFSET_LIMIT_MM, le=OFFSET_LIMIT_MM, allow_inf_nan=False)]
Scale = Annotated[float, Field(ge=SCALE_LIMITS[0], le=SCALE_LIMITS[1], allow_inf_nan=False)]


class CalibrationIn(_Model):
    """The offsets (mm, positive: right and down) and scale measured on a test print."""

    offset_x_mm: OffsetMm
    offset_y_mm: OffsetMm
    scale: Scale = 1.0


class CalibrationOut(Answer):
    issuer: str
    offset_x_mm: float
    offset_y_mm: float
    scale: float
    updated_at: datetime | None  # None: never set (no offset, scale 1)


class LayoutOut(Answer):
    """A layout as the API lists it (docs/printing.md, "The layouts")."""

    name: str
    title: str
    kinds: list[str]
    languages: list[str]
    width_mm: float
    height_mm: float
    confirmed: bool  # every position checked against a real blank
    source: str


class PrintLayouts(Answer):
    layouts: list[LayoutOut]
