"""The E/M sign test, by hand from the binomial distribution, and the server-drawn charts."""

from __future__ import annotations

import re

import pytest

from trainer.core.stats.bias import bias_verdict, sign_test
from trainer.services.charts import em_levels_svg, trend_svg


def test_sign_test_is_the_exact_two_sided_binomial() -> None:
    assert sign_test(8, 0) == pytest.approx(2 / 256)  # 2 x 0.5**8
    assert sign_test(9, 1) == pytest.approx(2 * 11 / 1024)  # 2 x (C(10,0) + C(10,1)) / 2**10
    assert sign_test(5, 5) == 1.0 and sign_test(0, 0) == 1.0


def test_bias_needs_significance_and_enough_differences() -> None:
    assert bias_verdict(0, 10) == "under-coding"
    assert bias_verdict(9, 1) == "over-coding"  # p = 0.021
    assert bias_verdict(8, 2) == ""  # p = 0.109
    assert bias_verdict(4, 0) == ""  # p = 0.125: four charts can never show a bias


def _legend_and_labels(svg: str) -> tuple[float, float, float]:
    plot_y = float(re.search(r'translate\([\d.]+, ([\d.]+)\)" class="plot"', svg).group(1))  # type: ignore[union-attr]
    legend_y = float(re.search(r'translate\([\d.]+, ([\d.]+)\)" class="legends"', svg).group(1))  # type: ignore[union-attr]
    axis = svg[svg.index('class="axis x') :]
    label_y = max(float(y) for y in re.findall(r'<text x="[\d.]+" y="([\d.]+)"', axis[:4000]))
    return plot_y, legend_y, label_y


def test_trend_axis_reaches_down_to_values_under_50_percent() -> None:
    svg = trend_svg({"Orthopaedics": [("W1", 0.42), ("W2", 0.61)]}, ["W1", "W2"], 0.95, 0.98)
    y_axis = svg[svg.index('class="axis y') :]
    assert ">40</text>" in y_axis  # the 42% week is on the plot, not under it


def test_trend_legend_sits_below_the_week_labels_and_is_not_truncated() -> None:
    labels = [f"2026-W{i:02d}" for i in range(40, 48)]
    names = [f"Specialty number {k} with a long name" for k in range(6)]
    series = {n: [(w, 0.9) for w in labels] for n in names}
    svg = trend_svg(series, labels, 0.95, 0.98)
    plot_y, legend_y, label_y = _legend_and_labels(svg)
    assert legend_y > plot_y + label_y
    height = float(re.search(r'viewBox="0 0 \d+ ([\d.]+)"', svg).group(1))  # type: ignore[union-attr]
    legends = svg[svg.index('class="legends"') :]
    rows = [float(y) for y in re.findall(r'<text x="[\d.]+" y="([\d.]+)"', legends)]
    assert len(rows) == 8 and legend_y + max(rows) <= height  # every entry inside the image
    for name in names:
        assert f">{name}</text>" in svg
    # Entries of one row leave room for their text (~7 px a character at the legend's size):
    # three 35-character names in a row of 760 px used to run into each other.
    entries = re.findall(r'<text x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)</text>', legends)
    for (x1, y1, text), (x2, y2, _) in zip(entries, entries[1:], strict=False):
        if y1 == y2:
            assert float(x2) - float(x1) >= 7 * len(text), (text, x1, x2)


def test_em_chart_draws_both_distributions_without_styles_or_scripts() -> None:
    svg = em_levels_svg({"99213": 2, "99214": 6}, {"99213": 6, "99214": 2})
    assert "<style" not in svg and "<script" not in svg and "style=" not in svg
    assert "99213 key: 25.0%" in svg and "99213 coded: 75.0%" in svg
