"""Error types across the cohort: how often each was made, and by how many trainees."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from ...models import Cohort, CohortErrorSummary, TraineeErrorSummary
from .queries import plain_rows, summary
from .tables import Table


def errors_table(cohort: Cohort, all_ids: list[int], from_attempts: bool = False) -> Table:
    """From the cohort's kept sums; ``from_attempts``: summed over every member's rows
    computed from the attempts (``all_ids``)."""
    table = Table(
        "errors",
        "Error types across the cohort",
        ["error_type", "count", "share_%", "trainees"],
    )
    statement: Any
    if from_attempts:
        if not all_ids:
            return table
        counts = summary(TraineeErrorSummary, all_ids, True)
        total = func.sum(counts.c.errors)
        statement = (
            select(counts.c.error_type, total, func.count(func.distinct(counts.c.user_id)))
            .where(counts.c.user_id.in_(all_ids))
            .group_by(counts.c.error_type)
            .order_by(total.desc(), counts.c.error_type)
        )
    else:
        kept = CohortErrorSummary
        statement = (
            select(kept.error_type, kept.errors, kept.trainees)
            .where(kept.cohort_id == cohort.id, kept.trainees > 0)
            .order_by(kept.errors.desc(), kept.error_type)
        )
    rows = plain_rows(statement)[0]
    total_errors = sum(int(n) for _, n, _ in rows) or 1
    for error_type, n, who in rows:
        table.rows.append(
            [error_type.replace("_", " "), int(n), f"{int(n) / total_errors * 100:.1f}", int(who)]
        )
    return table
