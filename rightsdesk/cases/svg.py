"""Charts drawn as SVG on the server: readable without JavaScript, baked into the mirror as they
are, scaled to the screen by their viewBox. Each chart is a picture of a table printed beside it.

Two shapes: columns for time (years, months: left to right in time, also in Persian pages, as
Persian print does for time axes) and horizontal bars for categories (right-aligned in Persian).
Hand-written because a chart library would either need JavaScript in the reader's browser or
matplotlib (tens of MB) for a few rectangles and labels.
"""
from __future__ import annotations

from html import escape

from .dates import fa_digits

INK, BAR, MUTED, GRID = "#1a1a1a", "#8b1e1e", "#6b6b6b", "#dddddd"
FONT = "system-ui, -apple-system, 'Segoe UI', Tahoma, sans-serif"


def _num(value, language):
    text = f"{value:,}"
    return fa_digits(text.replace(",", "٬")) if language == "fa" else text


def _nice_max(value):
    if value <= 5:
        return 5
    for step in (1, 2, 2.5, 5):
        magnitude = 10 ** (len(str(int(value))) - 1)
        top = step * magnitude
        if top >= value:
            return int(top) if top == int(top) else top
    return 10 * 10 ** (len(str(int(value))) - 1)


def bars(items, *, title, language="en", chart_id="chart"):
    """Horizontal bars: items is [(label, count)]."""
    width, label_w, row_h, top = 640, 200, 26, 8
    height = top * 2 + row_h * max(1, len(items))
    peak = _nice_max(max((n for _, n in items), default=0))
    plot = width - label_w - 60
    rtl = language == "fa"
    out = [_open(width, height, title, chart_id, language)]
    for i, (label, n) in enumerate(items):
        y = top + i * row_h
        length = 0 if not peak else plot * n / peak
        if rtl:  # direction="rtl": "start" is the right end of the text
            x_label, anchor_label = width - 4, "start"
            x_bar = width - label_w - length
            x_value, anchor_value = x_bar - 6, "start"
        else:
            x_label, anchor_label = label_w - 8, "end"
            x_bar = label_w
            x_value, anchor_value = label_w + length + 6, "start"
        out.append(
            f'<text x="{x_label:.1f}" y="{y + row_h * 0.65:.1f}" text-anchor="{anchor_label}" '
            f'font-size="13" fill="{INK}">{escape(_shorten(label))}</text>'
            f'<rect x="{x_bar:.1f}" y="{y + 4}" width="{max(length, 1 if n else 0):.1f}" height="{row_h - 8}" '
            f'fill="{BAR}"><title>{escape(label)}: {_num(n, language)}</title></rect>'
            f'<text x="{x_value:.1f}" y="{y + row_h * 0.65:.1f}" text-anchor="{anchor_value}" font-size="12" '
            f'fill="{MUTED}">{_num(n, language)}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def columns(items, *, title, language="en", chart_id="chart"):
    """Vertical columns in time order: items is [(label, count)]; 'unknown' is drawn last, apart."""
    count = max(1, len(items))
    width = max(320, min(720, 60 + count * 24))
    every = -(-count // 18)  # label at most 18 columns; each keeps its tooltip and table row
    height, bottom, top, left = 240, 70, 16, 44
    plot_h = height - bottom - top
    peak = _nice_max(max((n for _, n in items), default=0))
    step = (width - left - 8) / count
    # Time runs left to right on Persian pages too: no right-to-left direction for this chart.
    out = [_open(width, height, title, chart_id, language, rtl=False)]
    for fraction in (0, 0.5, 1):
        y = top + plot_h * (1 - fraction)
        value = peak * fraction
        out.append(f'<line x1="{left}" x2="{width - 4}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
                   f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="{MUTED}">'
                   f'{_num(int(value) if value == int(value) else value, language)}</text>')
    for i, (label, n) in enumerate(items):
        h = 0 if not peak else plot_h * n / peak
        x = left + i * step + step * 0.15
        w = step * 0.7
        y = top + plot_h - h
        cx = x + w / 2
        out.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{BAR}">'
            f'<title>{escape(label)}: {_num(n, language)}</title></rect>'
        )
        if i % every == 0 or i == count - 1:
            out.append(f'<text transform="translate({cx:.1f},{top + plot_h + 10}) rotate(-45)" text-anchor="end" '
                       f'font-size="12" fill="{INK}">{escape(_shorten(label, 16))}</text>')
    out.append("</svg>")
    return "".join(out)


def _open(width, height, title, chart_id, language, rtl=True):
    direction = ' direction="rtl"' if language == "fa" and rtl else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMidYMin meet" role="img" aria-labelledby="{chart_id}-title" '
        f'font-family="{FONT}"{direction} style="max-width:{width}px;height:auto">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
    )


def _shorten(text, limit=30):
    return text if len(text) <= limit else text[: limit - 1] + "…"
