"""A printer's calibration (docs/printing.md, "Calibrating a printer"): where the printer puts
what it is asked to put at (x, y), as an offset in millimetres and a scale, set per issuer by
a clerk from one test print of the calibration page."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Calibration:
    offset_x: float = 0.0  # mm, positive moves everything right
    offset_y: float = 0.0  # mm, positive moves everything down
    scale: float = 1.0

    def x(self, value: float) -> float:
        return self.offset_x + value * self.scale

    def y(self, value: float) -> float:
        return self.offset_y + value * self.scale

    def length(self, value: float) -> float:
        return value * self.scale


NONE = Calibration()
