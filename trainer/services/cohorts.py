"""Cohort read models for supervisors: who is in which cohort, and how each trainee stands."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select

from ..core.mastery import AccuracySummary
from ..extensions import db
from ..models import Attempt, Cohort, CohortMember, User


@dataclass(frozen=True)
class TraineeRow:
    user: User
    by_specialty: dict[str, AccuracySummary]
    overall: AccuracySummary


def visible_cohorts(viewer: User) -> list[Cohort]:
    """A supervisor sees their own cohorts; an admin sees all."""
    query = select(Cohort).order_by(Cohort.name)
    if not viewer.is_admin:
        query = query.where(Cohort.supervisor_id == viewer.id)
    return list(db.session.scalars(query))


def cohort_rows(cohort: Cohort, target: float, elite: float) -> list[TraineeRow]:
    """Each member's accuracy per specialty and overall, from one grouped query."""
    members = list(
        db.session.scalars(
            select(User)
            .join(CohortMember, CohortMember.user_id == User.id)
            .where(CohortMember.cohort_id == cohort.id)
            .order_by(User.display_name)
        )
    )
    ids = [m.id for m in members]
    stats: dict[int, dict[str, AccuracySummary]] = {i: {} for i in ids}
    if ids:
        rows = db.session.execute(
            select(
                Attempt.user_id,
                Attempt.specialty,
                func.count(Attempt.id),
                func.sum(case((Attempt.chart_correct, 1), else_=0)),
                func.coalesce(func.sum(Attempt.code_correct), 0),
                func.coalesce(func.sum(Attempt.code_total), 0),
            )
            .where(Attempt.user_id.in_(ids), Attempt.status == "submitted")
            .group_by(Attempt.user_id, Attempt.specialty)
        )
        for user_id, specialty, n, ok, cc, ct in rows:
            stats[user_id][specialty] = AccuracySummary(
                int(n), int(ok or 0), int(cc), int(ct), target, elite
            )
    result = []
    for member in members:
        per = stats[member.id]
        overall = AccuracySummary(
            sum(s.charts for s in per.values()),
            sum(s.charts_correct for s in per.values()),
            sum(s.codes_correct for s in per.values()),
            sum(s.codes_total for s in per.values()),
            target,
            elite,
        )
        result.append(TraineeRow(member, per, overall))
    return result
