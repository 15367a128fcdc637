"""Code-update refreshers, reported apart from the practice figures."""

from __future__ import annotations

from sqlalchemy import func, select

from ...extensions import db
from ...models import Assignment, AssignmentRun, Attempt, Cohort
from ..figures import counted
from .tables import Table, pct


def refreshers_table(cohort: Cohort, names: dict[int, str]) -> Table:
    """Code-update refreshers, reported apart: completion and accuracy per trainee."""
    table = Table(
        "refreshers",
        "Code-update refreshers",
        ["refresher", "trainee", "started", "finished", "charts_submitted", "code_accuracy_%"],
        note="Charts of refresher assignments; they are not counted in the practice figures.",
    )
    for assignment in db.session.scalars(
        select(Assignment)
        .where(Assignment.cohort_id == cohort.id, Assignment.refresher != "")
        .order_by(Assignment.created_at)
    ):
        runs = {
            r.user_id: r
            for r in db.session.scalars(
                select(AssignmentRun).where(AssignmentRun.assignment_id == assignment.id)
            )
        }
        figures = {
            user_id: (int(n), int(cc), int(ct))
            for user_id, n, cc, ct in db.session.execute(
                select(
                    AssignmentRun.user_id,
                    func.count(Attempt.id),
                    func.coalesce(func.sum(Attempt.code_correct), 0),
                    func.coalesce(func.sum(Attempt.code_total), 0),
                )
                .join(Attempt, Attempt.run_id == AssignmentRun.id)
                .where(AssignmentRun.assignment_id == assignment.id, *counted())
                .group_by(AssignmentRun.user_id)
            )
        }
        for user_id, name in names.items():
            run = runs.get(user_id)
            n, cc, ct = figures.get(user_id, (0, 0, 0))
            table.rows.append(
                [
                    assignment.title,
                    name,
                    "yes" if run else "no",
                    "yes" if run and run.finished_at else "no",
                    n,
                    pct(cc / ct) if ct else "",
                ]
            )
    return table
