"""Progress figures for a trainee, computed in the database so they stay fast at scale."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import case, func, select

from trainer.core.stats.mastery import AccuracySummary

from ..extensions import db
from ..models import Attempt, AttemptError
from .figures import counted, counted_errors, practice_figures


@dataclass(frozen=True)
class SpecialtyProgress:
    specialty: str
    summary: AccuracySummary
    mean_seconds: float | None


@dataclass(frozen=True)
class SpecialtyCounts:
    """The sums one trainee's counted practice charts in one specialty add up to."""

    charts: int
    charts_correct: int
    codes_correct: int
    codes_total: int
    mean_seconds: float | None

    def summary(self, target: float, elite: float) -> AccuracySummary:
        return AccuracySummary(
            self.charts, self.charts_correct, self.codes_correct, self.codes_total, target, elite
        )


def specialty_counts(user_ids: Collection[int]) -> dict[int, dict[str, SpecialtyCounts]]:
    """The one per-trainee x specialty accuracy query (progress, cohorts, the review sample).

    Over ``practice_figures()``: submitted practice and assignment charts, no open exam and
    no refresher. Every id asked for is in the result, with no specialties if it has none.
    """
    found: dict[int, dict[str, SpecialtyCounts]] = {i: {} for i in user_ids}
    if not found:
        return found
    rows = db.session.execute(
        select(
            Attempt.user_id,
            Attempt.specialty,
            func.count(Attempt.id),
            func.sum(case((Attempt.chart_correct, 1), else_=0)),
            func.coalesce(func.sum(Attempt.code_correct), 0),
            func.coalesce(func.sum(Attempt.code_total), 0),
            func.avg(Attempt.seconds_spent),
        )
        .where(Attempt.user_id.in_(list(found)), *practice_figures())
        .group_by(Attempt.user_id, Attempt.specialty)
    )
    for user_id, specialty, n, ok, cc, ct, avg_s in rows:
        found[user_id][specialty] = SpecialtyCounts(
            int(n), int(ok or 0), int(cc), int(ct), float(avg_s) if avg_s is not None else None
        )
    return found


def specialty_summaries(user_id: int, target: float, elite: float) -> list[SpecialtyProgress]:
    """Accuracy per specialty over submitted charts, as the progress page and reports show it."""
    per = specialty_counts([user_id])[user_id]
    return [
        SpecialtyProgress(specialty, counts.summary(target, elite), counts.mean_seconds)
        for specialty, counts in sorted(per.items())
    ]


def specialty_summary(user_id: int, specialty: str, target: float, elite: float) -> AccuracySummary:
    for item in specialty_summaries(user_id, target, elite):
        if item.specialty == specialty:
            return item.summary
    return AccuracySummary(0, 0, 0, 0, target, elite)


def error_ranking(user_id: int, limit: int = 10) -> list[tuple[str, int]]:
    """Error types the trainee makes most, most frequent first."""
    rows = db.session.execute(
        select(AttemptError.error_type, func.count(AttemptError.id))
        .where(AttemptError.user_id == user_id, counted_errors())
        .group_by(AttemptError.error_type)
        .order_by(func.count(AttemptError.id).desc(), AttemptError.error_type)
        .limit(limit)
    ).all()
    return [(t, int(n)) for t, n in rows]


def weekly_trend(user_id: int) -> tuple[list[str], dict[str, list[tuple[str, float | None]]]]:
    """Code-level accuracy per specialty per ISO week, over submitted charts."""
    rows = db.session.execute(
        select(Attempt.specialty, Attempt.submitted_at, Attempt.code_correct, Attempt.code_total)
        .where(Attempt.user_id == user_id, *practice_figures())
        .order_by(Attempt.submitted_at)
    ).all()
    sums: dict[str, dict[str, list[int]]] = {}
    weeks: list[str] = []
    for specialty, when, correct, total in rows:
        assert when is not None  # a submitted attempt always has its time
        year, week, _ = when.isocalendar()
        label = f"{year}-W{week:02d}"
        if label not in weeks:
            weeks.append(label)
        bucket = sums.setdefault(specialty, {}).setdefault(label, [0, 0])
        bucket[0] += correct
        bucket[1] += total
    series = {
        specialty: [(w, c / t if t else None) for w, (c, t) in by_week.items()]
        for specialty, by_week in sums.items()
    }
    return weeks, series


@dataclass(frozen=True)
class RefresherProgress:
    course: str
    label: str
    charts: int
    codes_correct: int
    codes_total: int

    @property
    def code_accuracy(self) -> float | None:
        return self.codes_correct / self.codes_total if self.codes_total else None


def refresher_summaries(user_id: int) -> list[RefresherProgress]:
    """The trainee's code-update refresher charts, kept apart from the practice figures."""
    from trainer.core.content.refresher import CodeUpdate

    rows = db.session.execute(
        select(
            Attempt.course,
            func.count(Attempt.id),
            func.coalesce(func.sum(Attempt.code_correct), 0),
            func.coalesce(func.sum(Attempt.code_total), 0),
        )
        .where(Attempt.user_id == user_id, *counted(), Attempt.course != "")
        .group_by(Attempt.course)
        .order_by(Attempt.course)
    ).all()
    found = []
    for course, n, cc, ct in rows:
        update = CodeUpdate.from_slug(course)
        label = update.label if update else course
        found.append(RefresherProgress(course, label, int(n), int(cc), int(ct)))
    return found
