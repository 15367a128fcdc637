"""Accuracy statistics toward the industry benchmark.

A trainee is called "at target" only when the evidence supports it: a handful of perfect
charts is not proof of 95% accuracy, so the status uses the lower bound of a Wilson score
interval, and needs a minimum number of charts before it says anything at all.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

TARGET = 0.95  # the usual coding-audit benchmark
ELITE = 0.97  # 97-98% is elite; vendors advertise 98-99%
MIN_CHARTS = 30
Z_95 = 1.959963984540054

Status = Literal["not_enough_data", "below_target", "at_target", "elite"]
STATUS_LABELS: dict[str, str] = {
    "not_enough_data": "Not enough data",
    "below_target": "Below target",
    "at_target": "At target",
    "elite": "Elite",
}


def wilson_interval(successes: int, total: int, z: float = Z_95) -> tuple[float, float]:
    """Wilson score interval for a proportion; (0, 1) when there is no evidence."""
    if total <= 0:
        return (0.0, 1.0)
    successes = max(0, min(successes, total))
    p = successes / total
    denom = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denom
    margin = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denom
    return (max(0.0, centre - margin), min(1.0, centre + margin))


@dataclass(frozen=True, slots=True)
class AccuracySummary:
    """Code-level and chart-level accuracy of one trainee in one specialty."""

    charts: int
    charts_correct: int
    codes_correct: int
    codes_total: int
    target: float = TARGET
    elite: float = ELITE

    @property
    def code_accuracy(self) -> float | None:
        return self.codes_correct / self.codes_total if self.codes_total else None

    @property
    def chart_accuracy(self) -> float | None:
        return self.charts_correct / self.charts if self.charts else None

    @property
    def code_interval(self) -> tuple[float, float]:
        return wilson_interval(self.codes_correct, self.codes_total)

    @property
    def chart_interval(self) -> tuple[float, float]:
        return wilson_interval(self.charts_correct, self.charts)

    @property
    def status(self) -> Status:
        return accuracy_status(
            self.codes_correct, self.codes_total, self.charts, self.target, self.elite
        )

    @property
    def gap_to_target(self) -> float | None:
        """Percentage points between the point estimate and the target (negative = short)."""
        acc = self.code_accuracy
        return None if acc is None else acc - self.target


def accuracy_status(
    correct: int,
    total: int,
    charts: int,
    target: float = TARGET,
    elite: float = ELITE,
    min_charts: int = MIN_CHARTS,
) -> Status:
    """Where a trainee stands: the interval's lower bound decides, after enough charts."""
    if charts < min_charts or total <= 0:
        return "not_enough_data"
    low, _ = wilson_interval(correct, total)
    if low >= elite:
        return "elite"
    if low >= target:
        return "at_target"
    return "below_target"
