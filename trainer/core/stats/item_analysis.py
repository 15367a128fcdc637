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
# A variance within rounding of zero (per trainee) is zero: the shares are all equal, and a
# correlation computed from rounding noise would be a random number (and might raise a flag).
ZERO_VARIANCE = 1e-10


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
    if sxx <= ZERO_VARIANCE * n or syy <= ZERO_VARIANCE * n:
        return None
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    return sxy / math.sqrt(sxx * syy)


class Sums(NamedTuple):
    """An item's sums over trainees, kept by a database as charts are graded: the counts,
    and the moments of x (share of charts right) and y (accuracy on every other item) over
    the ``n`` trainees who count in the discrimination."""

    template_id: str
    trainees: int
    charts: int
    charts_correct: int
    codes_correct: int
    codes_total: int
    n: int
    sum_x: float
    sum_y: float
    sum_xx: float
    sum_yy: float
    sum_xy: float


def pearson_from_sums(
    n: int, sx: float, sy: float, sxx: float, syy: float, sxy: float
) -> float | None:
    """``pearson`` from the sums (same None rules), for sums kept row by row."""
    if n < 2:
        return None
    vx = sxx - sx * sx / n
    vy = syy - sy * sy / n
    if vx <= ZERO_VARIANCE * n or vy <= ZERO_VARIANCE * n:
        return None
    r = (sxy - sx * sy / n) / math.sqrt(vx * vy)
    return max(-1.0, min(1.0, r))


def analyse_sums(items: Iterable[Sums], disputed: set[str] | None = None) -> list[ItemStats]:
    """``analyse`` from kept sums: the same statistics, hardest first."""
    disputed = disputed or set()
    stats = []
    for s in items:
        discrimination = (
            pearson_from_sums(s.n, s.sum_x, s.sum_y, s.sum_xx, s.sum_yy, s.sum_xy)
            if s.n >= MIN_TRAINEES
            else None
        )
        p = s.charts_correct / s.charts if s.charts else 0.0
        stats.append(
            ItemStats(
                s.template_id,
                s.charts,
                s.trainees,
                p,
                s.codes_correct / s.codes_total if s.codes_total else None,
                discrimination,
                _flag(p, discrimination, s.template_id in disputed),
            )
        )
    stats.sort(key=lambda s: (s.p_correct, s.template_id))
    return stats


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


__all__ = ["Cell", "ItemStats", "Sums", "analyse", "analyse_sums", "pearson", "pearson_from_sums"]
