"""QR images sized by their modules (docs/printing.md, "The QR code"): PNG (1-bit, whole pixels
per module, its resolution in its pHYs chunk) and SVG (its width in mm)."""

from __future__ import annotations

import math
import struct
import zlib

import numpy as np

from service.qr.symbol import Matrix, Symbol

QUIET_ZONE = 4  # modules of light margin on each side (ISO/IEC 18004 requires 4)


def _with_quiet_zone(symbol: Symbol) -> Matrix:
    size = symbol.size + 2 * QUIET_ZONE
    matrix = np.zeros((size, size), dtype=bool)
    matrix[QUIET_ZONE:-QUIET_ZONE, QUIET_ZONE:-QUIET_ZONE] = symbol.modules
    return matrix


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def pixels_per_module(module_mm: float, dpi: int) -> int:
    """Whole pixels a module takes so that it prints at least `module_mm` wide at `dpi`."""
    # The tolerance keeps a module of exactly n pixels (0.254 mm at 1000 dpi) at n, not n + 1.
    return max(1, math.ceil(module_mm * dpi / 25.4 - 1e-9))


def png(symbol: Symbol, *, module_mm: float, dpi: int) -> bytes:
    """A 1-bit PNG at exactly `dpi` (its pHYs chunk, in pixels per metre), each module a
    square of whole pixels at least `module_mm` wide, the quiet zone of 4 modules included."""
    matrix = _with_quiet_zone(symbol)
    scale = pixels_per_module(module_mm, dpi)
    light = np.repeat(np.repeat(~matrix, scale, axis=0), scale, axis=1)
    rows = np.packbits(light, axis=1)
    raw = np.hstack([np.zeros((rows.shape[0], 1), dtype=np.uint8), rows]).tobytes()
    pixels = matrix.shape[0] * scale
    per_metre = round(dpi / 0.0254)
    return b"".join(
        [
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", struct.pack(">IIBBBBB", pixels, pixels, 1, 0, 0, 0, 0)),
            _chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
            _chunk(b"IDAT", zlib.compress(raw, 6)),
            _chunk(b"IEND", b""),
        ]
    )


def svg(symbol: Symbol, *, module_mm: float) -> bytes:
    """A vector image `module_mm` a module (its quiet zone included): one path of horizontal
    runs of dark modules."""
    matrix = _with_quiet_zone(symbol)
    modules = matrix.shape[0]
    parts = []
    for y, line in enumerate(matrix):
        padded = np.concatenate([[False], line, [False]])
        edges = np.flatnonzero(padded[1:] != padded[:-1])
        for start, end in zip(edges[::2], edges[1::2], strict=True):
            parts.append(f"M{start} {y}h{end - start}v1h-{end - start}z")
    side = f"{round(modules * module_mm, 4):g}mm"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{side}" '
        f'height="{side}" viewBox="0 0 {modules} {modules}" '
        f'shape-rendering="crispEdges"><rect width="{modules}" height="{modules}" '
        f'fill="#fff"/><path fill="#000" d="{"".join(parts)}"/></svg>'
    ).encode()
