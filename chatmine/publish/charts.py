"""Charts drawn at build time as inline SVG: no chart library, no script, works offline.

Input: counts per month. Output: Markup holding one <svg> (escaped labels, fixed layout,
so the same counts always give the same bytes).
"""
from __future__ import annotations

from html import escape

from markupsafe import Markup

PALETTE = ["#2f6db5", "#d9822b", "#3a9a5b", "#b8456b", "#7a5cc0", "#8a8a3a", "#3a97a6", "#a0522d"]


def month_range(months: list[str]) -> list[str]:
    """Every YYYY-MM from the first to the last of `months`, gaps included."""
    if not months:
        return []
    first, last = min(months), max(months)
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def stacked_bars(months: list[str], series: dict[str, list[int]], colors: dict[str, str], title: str) -> Markup:
    """A bar per month, one coloured segment per series (messages per month per group)."""
    width, height, left, bottom, top = 720, 240, 48, 28, 10
    totals = [sum(values[i] for values in series.values()) for i in range(len(months))]
    peak = max(totals, default=0) or 1
    step = (width - left - 8) / max(len(months), 1)
    bar = max(step * 0.72, 1.0)
    scale = (height - bottom - top) / peak
    parts = [_axis(width, height, left, bottom, top, peak)]
    for i, month in enumerate(months):
        x = left + i * step + (step - bar) / 2
        y = height - bottom
        for name, values in series.items():
            h = values[i] * scale
            if h <= 0:
                continue
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{colors[name]}">'
                f"<title>{escape(month)} {escape(name)}: {values[i]}</title></rect>"
            )
        if i % _label_every(len(months)) == 0:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle" class="tick">{escape(_short(month))}</text>')
    return _svg(width, height, title, parts)


def heatmap(months: list[str], rows: list[tuple[str, list[int]]], title: str) -> Markup:
    """Rows (topics) by columns (months), darker = more threads; readable with 12 rows."""
    label_w, cell_h, top = 124, 20, 4
    width = 720
    cell_w = (width - label_w - 4) / max(len(months), 1)
    height = top + cell_h * len(rows) + 22
    peak = max((v for _, values in rows for v in values), default=0) or 1
    parts = []
    for r, (label, values) in enumerate(rows):
        y = top + r * cell_h
        parts.append(f'<text x="{label_w - 6}" y="{y + cell_h * 0.7:.1f}" text-anchor="end" class="label">{escape(label)}</text>')
        for c, value in enumerate(values):
            shade = 0.06 + 0.94 * (value / peak) ** 0.6 if value else 0.0
            parts.append(
                f'<rect x="{label_w + c * cell_w:.1f}" y="{y + 1}" width="{max(cell_w - 1.5, 1):.1f}" height="{cell_h - 2}" '
                f'fill="#2f6db5" fill-opacity="{shade:.2f}" class="cell"><title>{escape(label)} {escape(months[c])}: {value}</title></rect>'
            )
    for c, month in enumerate(months):
        if c % _label_every(len(months)) == 0:
            parts.append(f'<text x="{label_w + c * cell_w + cell_w / 2:.1f}" y="{height - 6}" text-anchor="middle" class="tick">{escape(_short(month))}</text>')
    return _svg(width, height, title, parts)


def sparkline(values: list[int], title: str = "") -> Markup:
    """A tiny bar sparkline for a list row (threads per month)."""
    width, height = 96, 22
    peak = max(values, default=0) or 1
    step = width / max(len(values), 1)
    bars = "".join(
        f'<rect x="{i * step:.1f}" y="{height - value / peak * height:.1f}" width="{max(step - 1, 0.5):.1f}" height="{value / peak * height:.1f}"/>'
        for i, value in enumerate(values) if value
    )
    return Markup(
        f'<svg class="spark" viewBox="0 0 {width} {height}" preserveAspectRatio="none" role="img" '
        f'aria-label="{escape(title)}">{bars}</svg>'
    )


def _axis(width: int, height: int, left: int, bottom: int, top: int, peak: int) -> str:
    lines = []
    for frac in (0, 0.5, 1):
        y = height - bottom - frac * (height - bottom - top)
        lines.append(f'<line x1="{left}" x2="{width - 4}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        lines.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">{round(peak * frac):,}</text>')
    return "".join(lines)


def _label_every(count: int) -> int:
    return 1 if count <= 12 else 2 if count <= 24 else 3 if count <= 36 else 6


def _short(month: str) -> str:
    """2018-01 -> 18.01: short enough for a tick label on a phone."""
    return f"{month[2:4]}.{month[5:7]}"


def _svg(width: int, height: float, title: str, parts: list[str]) -> Markup:
    return Markup(
        f'<svg class="chart" viewBox="0 0 {width} {height:.0f}" role="img" aria-label="{escape(title)}" '
        f'preserveAspectRatio="xMidYMid meet"><title>{escape(title)}</title>{"".join(parts)}</svg>'
    )
