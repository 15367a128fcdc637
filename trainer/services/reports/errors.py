"""Error types across the cohort: how often each was made, and by how many trainees."""

from __future__ import annotations

from sqlalchemy import func, select

from ...extensions import db
from ...models import TraineeErrorSummary
from .queries import summary
from .tables import Table


def errors_table(ids: list[int], from_attempts: bool = False) -> Table:
    table = Table(
        "errors",
        "Error types across the cohort",
        ["error_type", "count", "share_%", "trainees"],
    )
    if not ids:
        return table
    counts = summary(TraineeErrorSummary, ids, from_attempts)
    rows = db.session.execute(
        select(
            counts.c.error_type,
            func.sum(counts.c.errors),
            func.count(func.distinct(counts.c.user_id)),
        )
        .where(counts.c.user_id.in_(ids))
        .group_by(counts.c.error_type)
        .order_by(func.sum(counts.c.errors).desc(), counts.c.error_type)
    ).all()
    total = sum(int(n) for _, n, _ in rows) or 1
    for error_type, n, who in rows:
        table.rows.append(
            [error_type.replace("_", " "), int(n), f"{int(n) / total * 100:.1f}", int(who)]
        )
    return table
