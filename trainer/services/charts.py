"""Server-rendered SVG charts (pygal, with its external script turned off: nothing from a CDN)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import cache
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pygal.style import Style

LEGEND_COLUMNS = 2


@cache
def _style() -> Style:
    """The charts' style, built once. pygal is imported on the first chart drawn, not when a
    worker starts (it was a few percent of the cold start, and most pages draw no chart)."""
    from pygal.style import Style

    return Style(
        background="white",
        plot_background="white",
        foreground="#1d2733",
        foreground_strong="#1d2733",
        foreground_subtle="#5b6876",
        colors=("#1f5fa8", "#1b7a3d", "#b3261e", "#8a5a00", "#6b4fa0", "#00838f"),
        font_family="system-ui, sans-serif",
    )


def trend_svg(
    series: dict[str, list[tuple[str, float | None]]],
    labels: list[str],
    target: float,
    elite: float,
) -> str:
    """Weekly code-level accuracy per specialty, with the benchmark and elite lines.

    The axis starts at 50% unless a week is lower, then at the 10% step below it (a value under
    the axis' floor used to be drawn below the plot). The legend sits under the plot in two
    columns, with the chart taller for each row of it, so it never runs over the week labels.
    """
    values = [v for points in series.values() for _, v in points if v is not None]
    floor = min([50.0] + [math.floor(v * 10) * 10.0 for v in values])
    rows = math.ceil((len(series) + 2) / LEGEND_COLUMNS)
    import pygal

    chart = pygal.Line(
        js=[],
        style=_style(),
        width=760,
        height=300 + 26 * rows,
        range=(floor, 100),
        show_dots=True,
        legend_at_bottom=True,
        legend_at_bottom_columns=LEGEND_COLUMNS,
        truncate_legend=-1,
        title="Code-level accuracy by week (%)",
    )
    chart.x_labels = labels
    for name, points in series.items():
        by_label = dict(points)
        chart.add(
            name, [None if (v := by_label.get(x)) is None else round(v * 100, 1) for x in labels]
        )
    chart.add(
        f"Benchmark {target:.0%}",
        [target * 100] * len(labels),
        show_dots=False,
        stroke_style={"dasharray": "6,4"},
    )
    chart.add(
        f"Elite {elite:.0%}",
        [elite * 100] * len(labels),
        show_dots=False,
        stroke_style={"dasharray": "2,4"},
    )
    return chart.render(is_unicode=True)


def errors_svg(ranking: list[tuple[str, int]]) -> str:
    """Error types, most frequent first."""
    import pygal

    chart = pygal.HorizontalBar(
        js=[],
        style=_style(),
        width=760,
        height=60 + 28 * max(1, len(ranking)),
        show_legend=False,
        title="Errors by type",
    )
    chart.x_labels = [name.replace("_", " ") for name, _ in reversed(ranking)]
    top = max([1] + [count for _, count in ranking])
    if top <= 20:
        chart.y_labels = list(range(0, top + 1))
    chart.add("errors", [count for _, count in reversed(ranking)])
    return chart.render(is_unicode=True)


def em_levels_svg(key: Mapping[str, int], given: Mapping[str, int]) -> str:
    """Grouped bars: the share of charts at each E/M code, keys against the trainee(s).

    Drawn by hand with presentation attributes only (no <style>, no script), so it can sit
    inline in a page under the site's content security policy.
    """
    codes = sorted(set(key) | set(given))
    width, height, left, bottom, top = 760, 260, 48, 40, 30
    plot_h = height - bottom - top
    key_total = sum(key.values()) or 1
    given_total = sum(given.values()) or 1
    step = (width - left - 10) / max(1, len(codes))
    bar = min(28.0, step / 3)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="E/M level distribution">',
        f'<text x="{left}" y="18" font-size="14" fill="#1d2733">Share of charts per E/M code (%)'
        "</text>",
    ]
    for tick in (0, 25, 50, 75, 100):
        y = top + plot_h * (1 - tick / 100)
        parts.append(
            f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d8dde3"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="#5b6876">{tick}</text>'
        )
    for i, code in enumerate(codes):
        x = left + i * step + step / 2
        for offset, share, colour, who in (
            (-bar, key.get(code, 0) / key_total, "#1f5fa8", "key"),
            (0.0, given.get(code, 0) / given_total, "#b3261e", "coded"),
        ):
            h = plot_h * share
            parts.append(
                f'<rect x="{x + offset:.1f}" y="{top + plot_h - h:.1f}" width="{bar:.1f}" '
                f'height="{h:.1f}" fill="{colour}"><title>{escape(code)} {who}: '
                f"{share * 100:.1f}%</title></rect>"
            )
        parts.append(
            f'<text x="{x:.1f}" y="{height - bottom + 16}" font-size="12" text-anchor="middle" '
            f'fill="#1d2733">{escape(code)}</text>'
        )
    legend_y = height - 8
    parts.append(
        f'<rect x="{left}" y="{legend_y - 10}" width="12" height="12" fill="#1f5fa8"/>'
        f'<text x="{left + 18}" y="{legend_y}" font-size="12" fill="#1d2733">Keys</text>'
        f'<rect x="{left + 90}" y="{legend_y - 10}" width="12" height="12" fill="#b3261e"/>'
        f'<text x="{left + 108}" y="{legend_y}" font-size="12" fill="#1d2733">Coded</text>'
    )
    parts.append("</svg>")
    return "".join(parts)
