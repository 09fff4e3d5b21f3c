"""QR images: PNG (1-bit, whole pixels per module, physical size in its pHYs chunk) and SVG."""

from __future__ import annotations

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


def png(symbol: Symbol, *, size_mm: float = 25.0, dpi: int = 300) -> bytes:
    """A PNG that prints `size_mm` wide: at least one whole pixel per module, as many as
    `dpi` allows, and the resolution recorded so printers keep the size."""
    matrix = _with_quiet_zone(symbol)
    modules = matrix.shape[0]
    scale = max(1, int(size_mm / 25.4 * dpi) // modules)
    light = np.repeat(np.repeat(~matrix, scale, axis=0), scale, axis=1)
    rows = np.packbits(light, axis=1)
    raw = np.hstack([np.zeros((rows.shape[0], 1), dtype=np.uint8), rows]).tobytes()
    pixels = modules * scale
    per_metre = round(pixels / (size_mm / 1000))
    return b"".join(
        [
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", struct.pack(">IIBBBBB", pixels, pixels, 1, 0, 0, 0, 0)),
            _chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
            _chunk(b"IDAT", zlib.compress(raw, 6)),
            _chunk(b"IEND", b""),
        ]
    )


def svg(symbol: Symbol, *, size_mm: float = 25.0) -> bytes:
    """A vector image `size_mm` wide: one path of horizontal runs of dark modules."""
    matrix = _with_quiet_zone(symbol)
    modules = matrix.shape[0]
    parts = []
    for y, line in enumerate(matrix):
        padded = np.concatenate([[False], line, [False]])
        edges = np.flatnonzero(padded[1:] != padded[:-1])
        for start, end in zip(edges[::2], edges[1::2], strict=True):
            parts.append(f"M{start} {y}h{end - start}v1h-{end - start}z")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size_mm:g}mm" '
        f'height="{size_mm:g}mm" viewBox="0 0 {modules} {modules}" '
        f'shape-rendering="crispEdges"><rect width="{modules}" height="{modules}" '
        f'fill="#fff"/><path fill="#000" d="{"".join(parts)}"/></svg>'
    ).encode()
