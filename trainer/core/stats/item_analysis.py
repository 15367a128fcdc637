"""Item analysis of chart templates, as a test developer reads an exam's items.

For each template: the share of charts coded fully right (difficulty, "p") and its
discrimination, the correlation between doing well on this template and doing well on
everything else (the corrected item-total correlation, computed over trainees). A good item is
missed more by weak coders than by strong ones. A template that strong coders miss as often as
weak ones (discrimination near zero or negative) while most of them miss it points at the key,
not at the trainees: it is flagged for a supervisor to check, the way a psychometrician
flags a miskeyed question.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

MIN_TRAINEES = 5  # below this a correlation says nothing
SUSPECT_P = 0.5  # flag only items most trainees miss
SUSPECT_DISCRIMINATION = 0.1


class Cell(NamedTuple):
    """One trainee's record on one template (a tuple: reports build thousands of them)."""

    user_id: int
    template_id: str
    charts: int
    charts_correct: int
    codes_correct: int
    codes_total: int


@dataclass(frozen=True, slots=True)
class ItemStats:
    template_id: str
    charts: int
    trainees: int
    p_correct: float  # share of charts fully right
    code_accuracy: float | None
    discrimination: float | None  # corrected item-total correlation over trainees
    flag: str  # "" or why a supervisor should check the key

    @property
    def suspect(self) -> bool:
        return bool(self.flag)


def pearson(xs: list[float], ys: list[float]) -> float | None:
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    return sxy / math.sqrt(sxx * syy)


def analyse(cells: Iterable[Cell], disputed: set[str] | None = None) -> list[ItemStats]:
    """Statistics per template, hardest first.

    A trainee's ability for one template is their code accuracy on every other template, so
    the item is not correlated with itself.
    """
    disputed = disputed or set()
    totals: dict[int, list[int]] = {}
    by_template: dict[str, list[Cell]] = {}
    for c in cells:  # one pass; cohort reports feed ~12,000 cells
        total = totals.get(c[0])
        if total is None:
            totals[c[0]] = [c[4], c[5]]
        else:
            total[0] += c[4]
            total[1] += c[5]
        group = by_template.get(c[1])
        if group is None:
            by_template[c[1]] = [c]
        else:
            group.append(c)
    stats = []
    for template_id, group in by_template.items():
        charts = right = cc = ct = 0
        item, rest = [], []
        for user_id, _t, n, ok, c_right, c_total in group:
            charts += n
            right += ok
            cc += c_right
            ct += c_total
            all_cc, all_ct = totals[user_id]
            if n and all_ct > c_total:
                item.append(ok / n)
                rest.append((all_cc - c_right) / (all_ct - c_total))
        discrimination = pearson(item, rest) if len(item) >= MIN_TRAINEES else None
        p = right / charts if charts else 0.0
        stats.append(
            ItemStats(
                template_id,
                charts,
                len(group),
                p,
                cc / ct if ct else None,
                discrimination,
                _flag(p, discrimination, template_id in disputed),
            )
        )
    stats.sort(key=lambda s: (s.p_correct, s.template_id))
    return stats


def _flag(p: float, discrimination: float | None, disputed: bool) -> str:
    reasons = []
    if discrimination is not None and p < SUSPECT_P and discrimination < SUSPECT_DISCRIMINATION:
        reasons.append(
            "most trainees miss it and strong coders miss it as often as weak ones: check the key"
        )
    if disputed:
        reasons.append("open dispute")
    return "; ".join(reasons)


__all__ = ["Cell", "ItemStats", "analyse", "pearson"]
