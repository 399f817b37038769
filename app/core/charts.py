"""Server-rendered SVG charts: no JavaScript, print as crisp vectors, readable by screen readers.

Pure: plain data in, markup out. Colours come from CSS classes (`s-<key>`), not inline
styles, so the strict CSP holds and a print stylesheet could recolour them. Every chart
carries a <title> and <desc>; the page puts the same figures in a table next to it, which
is the full text alternative, so segments carry no per-shape tooltips (they would double
the page weight of a district dashboard on a phone).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

ROW_HEIGHT = 22
ROW_GAP = 6
LEGEND_HEIGHT = 26
LABEL_WIDTH = 160
VALUE_WIDTH = 56


@dataclass(frozen=True)
class Series:
    key: str  # becomes the CSS class s-<key>
    label: str


def _legend(series: Sequence[Series], x0: float) -> str:
    parts: list[str] = []
    x = x0
    for s in series:
        parts.append(
            f'<rect x="{x:.0f}" y="4" width="12" height="12" class="s-{escape(s.key)}"/>'
            f'<text x="{x + 16:.0f}" y="14">{escape(s.label)}</text>'
        )
        x += 24 + 7.5 * len(s.label)
    return "".join(parts)


def _open(chart_id: str, title: str, desc: str, width: int, height: int) -> str:
    cid = escape(chart_id)
    # The box lets a phone scroll the chart sideways at a legible size (labels ~12 px) instead
    # of shrinking a 640-unit drawing to 330 px and its labels to 6 px.
    return (
        f'<div class="chart-box"><svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="{cid}-t {cid}-d" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{cid}-t">{escape(title)}</title><desc id="{cid}-d">{escape(desc)}</desc>'
    )


def _short(label: str, limit: int = 22) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def stacked_bars(
    chart_id: str,
    title: str,
    desc: str,
    rows: Sequence[tuple[str, Sequence[int]]],
    series: Sequence[Series],
    width: int = 640,
) -> Markup:
    """One horizontal bar per row, split into series; bar length in proportion to the largest total."""
    height = LEGEND_HEIGHT + max(1, len(rows)) * (ROW_HEIGHT + ROW_GAP)
    top = max((sum(values) for _, values in rows), default=0) or 1
    plot = width - LABEL_WIDTH - VALUE_WIDTH
    out = [_open(chart_id, title, desc, width, height), _legend(series, LABEL_WIDTH)]
    for i, (label, values) in enumerate(rows):
        y = LEGEND_HEIGHT + i * (ROW_HEIGHT + ROW_GAP)
        # The full name as a tooltip only where it was cut; the table beside the chart has it.
        tip = f"<title>{escape(label)}</title>" if _short(label) != label else ""
        out.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end">{tip}{escape(_short(label))}</text>'
        )
        x = float(LABEL_WIDTH)
        for s, value in zip(series, values, strict=True):
            if value <= 0:
                continue
            w = plot * value / top
            out.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{ROW_HEIGHT}" class="s-{escape(s.key)}"/>'
            )
            x += w
        out.append(f'<text x="{x + 4:.1f}" y="{y + 15}">{sum(values)}</text>')
    out.append("</svg></div>")
    return Markup("".join(out))


def stacked_columns(
    chart_id: str,
    title: str,
    desc: str,
    columns: Sequence[tuple[str, Sequence[int]]],
    series: Sequence[Series],
    width: int = 640,
    height: int = 220,
) -> Markup:
    """One vertical column per label (e.g. a month), split into series, with a value on top."""
    base = height - 22  # room for the labels underneath
    plot_h = base - LEGEND_HEIGHT - 16
    top = max((sum(values) for _, values in columns), default=0) or 1
    slot = (width - 8) / max(1, len(columns))
    bar_w = max(4.0, slot * 0.62)
    out = [_open(chart_id, title, desc, width, height), _legend(series, 8)]
    out.append(f'<line x1="4" y1="{base}" x2="{width - 4}" y2="{base}" class="axis"/>')
    for i, (label, values) in enumerate(columns):
        x = 4 + i * slot + (slot - bar_w) / 2
        y = float(base)
        for s, value in zip(series, values, strict=True):
            if value <= 0:
                continue
            h = plot_h * value / top
            y -= h
            out.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'class="s-{escape(s.key)}"/>'
            )
        total = sum(values)
        cx = x + bar_w / 2
        if total:
            out.append(f'<text x="{cx:.1f}" y="{y - 4:.1f}" text-anchor="middle">{total}</text>')
        out.append(f'<text x="{cx:.1f}" y="{height - 6}" text-anchor="middle">{escape(label)}</text>')
    out.append("</svg></div>")
    return Markup("".join(out))
