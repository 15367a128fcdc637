"""Server-rendered SVG charts (pygal, with its external script turned off: nothing from a CDN)."""

from __future__ import annotations

import pygal
from pygal.style import Style

STYLE = Style(
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
    """Weekly code-level accuracy per specialty, with the benchmark and elite lines."""
    chart = pygal.Line(
        js=[],
        style=STYLE,
        width=760,
        height=320,
        range=(50, 100),
        show_dots=True,
        x_label_rotation=30,
        legend_at_bottom=True,
        truncate_legend=40,
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
    chart = pygal.HorizontalBar(
        js=[],
        style=STYLE,
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
