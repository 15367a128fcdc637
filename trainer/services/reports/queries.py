"""The report's queries: the cohort's members and the one scan of the attempts.

Rows come back as plain tuples from the DBAPI cursor (see `plain_rows`), because building
SQLAlchemy rows for ~12,000 cells costs more than the query itself on SQLite.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, select

from ...extensions import db
from ...models import Attempt, Cohort, CohortMember, User
from ..figures import practice_figures


def members(cohort: Cohort) -> tuple[list[User], dict[int, dict[str, float]]]:
    rows = db.session.execute(
        select(User, CohortMember.targets)
        .join(CohortMember, CohortMember.user_id == User.id)
        .where(CohortMember.cohort_id == cohort.id)
        .order_by(User.display_name, User.id)
    ).all()
    return [u for u, _ in rows], {u.id: dict(t or {}) for u, t in rows}


def practice_of(ids: list[int]) -> Any:
    return (Attempt.user_id.in_(ids), *practice_figures())


CELL_COSTS = 5
"""The cost sums at the end of each cell (see `template_cells`)."""


def template_cells(ids: list[int]) -> list[tuple[Any, ...]]:
    """Per trainee and template: charts, charts right, codes right, codes, seconds, then the
    cost sums: clean charts, denied lines, lines, cents lost, cents at risk.

    The one scan of the attempts the report makes (through the covering index); the
    specialty matrix, productivity, peers, item analysis and the claims table are all sums
    of these cells.
    """
    if not ids:
        return []
    statement = (
        select(
            Attempt.user_id,
            Attempt.template_id,
            Attempt.specialty,
            func.count(),
            func.coalesce(func.sum(case((Attempt.chart_correct, 1), else_=0)), 0),
            func.coalesce(func.sum(Attempt.code_correct), 0),
            func.coalesce(func.sum(Attempt.code_total), 0),
            func.coalesce(func.sum(Attempt.seconds_spent), 0),
            func.coalesce(func.sum(case((Attempt.lines_denied == 0, 1), else_=0)), 0),
            func.coalesce(func.sum(Attempt.lines_denied), 0),
            func.coalesce(func.sum(Attempt.lines_total), 0),
            func.coalesce(func.sum(Attempt.revenue_under_cents), 0),
            func.coalesce(func.sum(Attempt.revenue_over_cents), 0),
        )
        .where(*practice_of(ids))
        .group_by(Attempt.user_id, Attempt.template_id, Attempt.specialty)
    )
    return plain_rows(statement)[0]


def plain_rows(statement: Any, runs: list[dict[str, Any]] | None = None) -> list[list[Any]]:
    """Run a statement, once per set of values in ``runs``, on the DBAPI cursor of the
    session's connection, returning plain tuples (its columns must need no type processing:
    ints and strings).

    The report's large query returns ~12,000 rows, and building SQLAlchemy Row objects for
    them costs more than the query itself on SQLite; the weekly trend runs one compiled
    statement eight times.
    """
    dialect = db.engine.dialect
    compiled = statement.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    sql = str(compiled)
    results: list[list[Any]] = []
    cursor = db.session.connection().connection.cursor()
    try:
        for values in runs or [{}]:
            params: Any = {**compiled.params, **values}
            if compiled.positional:
                params = tuple(params[name] for name in compiled.positiontup or ())
            cursor.execute(sql, params)
            results.append(list(cursor.fetchall()))
    finally:
        cursor.close()
    return results
