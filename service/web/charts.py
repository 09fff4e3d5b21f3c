"""Charts drawn on the server as SVG, inline in the page: nothing loaded from elsewhere and no
script. Each chart is an image with its title for screen readers, and each page puts the
table of its figures beneath it. Colours are set as SVG attributes (the Content-Security-
Policy allows no inline style) and keep at least 3:1 contrast against white (WCAG 1.4.11)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from markupsafe import Markup, escape

# Distinguishable in colour-blind vision and dark enough against white.
PALETTE: Final = ("#1f5fbf", "#b34d00", "#2e7d32", "#6a3d9a", "#8a6d00", "#c2185b", "#00695c")
_INK: Final = "#1f2933"
_GRID: Final = "#cbd2d9"


def _nice_ceiling(value: int) -> int:
    """The axis' top: 1, 2 or 5 times a power of ten, at least the value (and at least 1)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= max(value, 1):
                return step * factor
        step *= 10


def stacked_bars(
    title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[int]]]
) -> Markup:
    """Vertical bars, one per label, each stacked from its series' values; a legend of the
    series beneath."""
    width, height = 640, 260
    left, right, top, bottom = 44, 8, 12, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(values[i] for _, values in series) for i in range(len(labels))]
    ceiling = _nice_ceiling(max(totals, default=0))
    slot = plot_w / max(len(labels), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height + 24 * len(series)}"'
        f' role="img" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
    ]
    ticks = 5 if ceiling % 5 == 0 else 2 if ceiling % 2 == 0 else 1  # whole steps
    for tick in range(ticks + 1):
        value = ceiling * tick // ticks
        y = top + plot_h - plot_h * tick / ticks
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{_GRID}"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11"'
            f' fill="{_INK}">{value}</text>'
        )
    for i, label in enumerate(labels):
        x = left + slot * i + slot * 0.15
        y = top + plot_h
        for n, (_, values) in enumerate(series):
            h = plot_h * values[i] / ceiling
            if h > 0:
                y -= h
                parts.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}"'
                    f' fill="{PALETTE[n % len(PALETTE)]}"/>'
                )
        parts.append(
            f'<text x="{x + slot * 0.35:.1f}" y="{top + plot_h + 18}" text-anchor="middle"'
            f' font-size="11" fill="{_INK}">{escape(label)}</text>'
        )
    for n, (name, _) in enumerate(series):
        y = height + 24 * n + 4
        parts.append(
            f'<rect x="{left}" y="{y}" width="14" height="14" fill="{PALETTE[n % len(PALETTE)]}"/>'
            f'<text x="{left + 20}" y="{y + 12}" font-size="12" fill="{_INK}">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text in it escaped above


def share_bars(title: str, rows: Sequence[tuple[str, float, str]]) -> Markup:
    """Horizontal bars, one per row (label, share from 0 to 1, the figure to print)."""
    width, row_h, label_w, figure_w = 640, 26, 150, 70
    bar_w = width - label_w - figure_w
    height = max(len(rows), 1) * row_h + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img"'
        f' aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, share, figure) in enumerate(rows):
        y = 4 + i * row_h
        length = bar_w * min(max(share, 0.0), 1.0)
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end" font-size="12"'
            f' fill="{_INK}">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="18" fill="#eef2f7"/>'
            f'<rect x="{label_w}" y="{y + 3}" width="{length:.1f}" height="18"'
            f' fill="{PALETTE[1]}"/>'
            f'<text x="{label_w + bar_w + 8}" y="{y + 16}" font-size="12"'
            f' fill="{_INK}">{escape(figure)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text in it escaped above
