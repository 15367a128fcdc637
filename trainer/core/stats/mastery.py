"""Accuracy statistics toward the industry benchmark.

A trainee is called "at target" only when the evidence supports it: a handful of perfect
charts is not proof of 95% accuracy, so the status uses the lower bound of a Wilson score
interval, and needs a minimum number of charts before it says anything at all.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

# The one definition of the accuracy levels: config, forms, messages and pages read these.
TARGET = 0.95  # the usual coding-audit benchmark (the default; ACCURACY_TARGET configures it)
ELITE = 0.97  # 97-98% is elite; vendors advertise 98-99%
TARGET_CEILING = 0.98  # the highest target a supervisor may set: the top of the elite band
TARGET_PERCENTS = (round(TARGET * 100), round(TARGET_CEILING * 100))  # whole % a form accepts
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


# --------------------------------------------------------------------------- certification

# A supervisor may certify a trainee in a specialty on the same evidence "at target" needs:
# at least this many counted charts (second-tier reviewed charts count at their reviewed
# grade) and a Wilson lower bound on code-level accuracy at or above the target.
CERTIFICATION_MIN_CHARTS = MIN_CHARTS


@dataclass(frozen=True, slots=True)
class CertificationEvidence:
    """The figures a certificate rests on, and whether they support it."""

    charts: int
    reviewed_charts: int
    codes_correct: int
    codes_total: int
    target: float = TARGET
    min_charts: int = CERTIFICATION_MIN_CHARTS

    @property
    def wilson_low(self) -> float:
        return wilson_interval(self.codes_correct, self.codes_total)[0]

    @property
    def ready(self) -> bool:
        return (
            self.charts >= self.min_charts
            and self.codes_total > 0
            and self.wilson_low >= self.target
        )

    def shortfall(self) -> str | None:
        """Why the evidence does not support a certificate yet (None when it does)."""
        if self.charts < self.min_charts:
            return (
                f"{self.charts} of the {self.min_charts} charts needed before accuracy can be "
                "shown to meet the target."
            )
        if self.wilson_low < self.target:
            return (
                f"The lower bound of the 95% interval is {self.wilson_low:.1%}, below the "
                f"{self.target:.0%} target."
            )
        return None


# --------------------------------------------------------------------------- next chart

REVIEW_DAYS = (1, 3, 7)  # a missed code family comes back after 1, then 3, then 7 days


@dataclass(frozen=True, slots=True)
class FamilyHistory:
    """One code family's record for a trainee: when it was last missed, reviews since."""

    family: str
    last_missed: date
    correct_reviews: int = 0
    last_review: date | None = None

    def due_on(self) -> date | None:
        """The day it next comes back, or None once it has been reviewed right three times."""
        if self.correct_reviews >= len(REVIEW_DAYS):
            return None
        since = self.last_review or self.last_missed
        return since + timedelta(days=REVIEW_DAYS[self.correct_reviews])


@dataclass(frozen=True, slots=True)
class NextChart:
    specialty: str
    family: str | None
    reason: str


def family_of(code: str) -> str:
    """The 3-character category a code belongs to (M17.11 -> M17; 99214 -> 992)."""
    return code.replace(".", "")[:3].upper()


def choose_next(
    summaries: dict[str, AccuracySummary],
    families: list[FamilyHistory],
    families_by_specialty: dict[str, set[str]],
    today: date,
) -> NextChart | None:
    """Due reviews of missed code families first, then the weakest specialty.

    Weakest = lowest lower bound of the code-accuracy interval, so a specialty with little
    evidence is practised until the evidence says where the trainee stands.
    """
    available = sorted(families_by_specialty)
    if not available:
        return None
    due = sorted(
        (f for f in families if (due_on := f.due_on()) is not None and due_on <= today),
        key=lambda f: (f.due_on(), f.family),
    )
    for item in due:
        for specialty in available:
            if item.family in families_by_specialty[specialty]:
                step = REVIEW_DAYS[item.correct_reviews]
                return NextChart(
                    specialty,
                    item.family,
                    # The reason is shown with the chart: it names no code or code family.
                    f"Spaced review: you missed a code of this specialty on "
                    f"{item.last_missed:%d %b}; it comes back after {step} day(s) until you "
                    f"have it right {len(REVIEW_DAYS)} times.",
                )
    tried = [s for s in available if s in summaries and summaries[s].codes_total]
    if not tried:
        return NextChart(available[0], None, "Start anywhere: no charts submitted yet.")
    weakest = min(tried, key=lambda s: (summaries[s].code_interval[0], s))
    low = summaries[weakest].code_interval[0]
    return NextChart(
        weakest,
        None,
        f"Your weakest specialty: the lower bound of your code accuracy there is {low:.0%} "
        f"against the {summaries[weakest].target:.0%} target.",
    )
