"""Error types across the cohort: how often each was made, and by how many trainees."""

from __future__ import annotations

from sqlalchemy import func, select

from ...extensions import db
from ...models import Attempt, AttemptError
from ..figures import counted_errors
from .tables import Table


def errors_table(ids: list[int]) -> Table:
    table = Table(
        "errors",
        "Error types across the cohort",
        ["error_type", "count", "share_%", "trainees"],
    )
    if not ids:
        return table
    rows = db.session.execute(
        select(
            AttemptError.error_type,
            func.count(AttemptError.id),
            func.count(func.distinct(AttemptError.user_id)),
        )
        .where(
            AttemptError.user_id.in_(ids),
            counted_errors(),
            # Refresher charts are few: excluding their ids is cheaper than joining every row.
            AttemptError.attempt_id.not_in(
                select(Attempt.id).where(
                    Attempt.user_id.in_(ids), Attempt.status == "submitted", Attempt.course > ""
                )
            ),
        )
        .group_by(AttemptError.error_type)
        .order_by(func.count(AttemptError.id).desc(), AttemptError.error_type)
    ).all()
    total = sum(int(n) for _, n, _ in rows) or 1
    for error_type, n, who in rows:
        table.rows.append(
            [error_type.replace("_", " "), int(n), f"{int(n) / total * 100:.1f}", int(who)]
        )
    return table
