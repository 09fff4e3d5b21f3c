"""Charts drawn on the server as SVG, inline in the page: nothing loaded from elsewhere and no
script. Each chart is an image with its title for screen readers, and each page puts the
table of its figures beneath it. Colours are set as SVG attributes (the Content-Security-
Policy allows no inline style) and keep at least 3:1 contrast against white (WCAG 1.4.11)."""

from __future__ import annotations

import math
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


def rate_bars(
    title: str,
    description: str,
    rows: Sequence[tuple[str, Sequence[tuple[float, float | None, str]]]],
    series: Sequence[str],
    marker: str,
    decimal: str = ".",
) -> Markup:
    """Horizontal bars in groups, one group per row (its label, then for each series a rate
    from 0 to 1, the peers' rate or None, and the figure to print), each bar with an upright
    mark at its peers' rate; the axis scaled to the largest rate; a legend beneath, the
    marker's included."""
    width, label_w, figure_w, bar_h, gap = 640, 100, 220, 16, 12
    bar_w = width - label_w - figure_w
    group_h = bar_h * len(series) + gap
    top, axis_h = 4, 20
    plot_h = group_h * max(len(rows), 1)
    rates = [r for _, bars in rows for rate, peer, _ in bars for r in (rate, peer or 0.0)]
    # The axis' top in tenths of a percent: 0.1%, 0.2%, 0.5%, 1%, 2%, 5%, 10%, 20%, 50%, 100%;
    # its steps whole tenths (of 1, 2 or 5).
    top_tenths = min(_nice_ceiling(math.ceil(max(rates, default=0.0) * 1000)), 1000)
    ticks = 4 if str(top_tenths)[0] == "2" else 5
    ceiling = top_tenths / 1000
    legend_y = top + plot_h + axis_h + 8
    height = legend_y + 22 * (len(series) + 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img"'
        f' aria-labelledby="rates-title rates-desc" class="chart">',
        f'<title id="rates-title">{escape(title)}</title>',
        f'<desc id="rates-desc">{escape(description)}</desc>',
    ]
    for tick in range(ticks + 1):
        x = label_w + bar_w * tick / ticks
        value = 100 * ceiling * tick / ticks
        shown = f"{value:.2f}".rstrip("0").rstrip(".").replace(".", decimal)
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{top + plot_h}" stroke="{_GRID}"/>'
            f'<text x="{x:.1f}" y="{top + plot_h + 14}" text-anchor="middle" font-size="11"'
            f' fill="{_INK}">{escape(shown)}%</text>'
        )
    for i, (label, bars) in enumerate(rows):
        y0 = top + i * group_h + gap // 2
        parts.append(
            f'<text x="{label_w - 8}" y="{y0 + bar_h * len(bars) / 2 + 4:.1f}"'
            f' text-anchor="end" font-size="12" fill="{_INK}">{escape(label)}</text>'
        )
        for n, (rate, peer, figure) in enumerate(bars):
            y = y0 + n * bar_h
            length = bar_w * min(rate / ceiling, 1.0)
            parts.append(
                f'<rect x="{label_w}" y="{y + 1}" width="{length:.1f}" height="{bar_h - 2}"'
                f' fill="{PALETTE[n % len(PALETTE)]}"/>'
            )
            if peer is not None:
                x = label_w + bar_w * min(peer / ceiling, 1.0)
                parts.append(
                    f'<rect x="{x - 1.5:.1f}" y="{y - 1}" width="3" height="{bar_h + 2}"'
                    f' fill="{_INK}"/>'
                )
            parts.append(
                f'<text x="{label_w + bar_w + 8}" y="{y + bar_h - 3}" font-size="11"'
                f' fill="{_INK}">{escape(figure)}</text>'
            )
    for n, name in enumerate([*series, marker]):
        y = legend_y + 22 * n
        if n < len(series):
            swatch = f'<rect x="{label_w}" y="{y}" width="14" height="14" fill="{PALETTE[n]}"/>'
        else:
            swatch = f'<rect x="{label_w + 5.5}" y="{y - 2}" width="3" height="18" fill="{_INK}"/>'
        parts.append(
            f'{swatch}<text x="{label_w + 20}" y="{y + 12}" font-size="12"'
            f' fill="{_INK}">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text in it escaped above
