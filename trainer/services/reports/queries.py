"""The report's queries: the cohort's members and the kept summary rows it sums.

Rows come back as plain tuples from the DBAPI cursor (see `plain_rows`), because building
SQLAlchemy rows for ~12,000 cells costs more than the query itself on SQLite.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from ...extensions import db
from ...models import Cohort, CohortMember, TraineeTemplateSummary, User
from ..report_summaries import summary_of


def members(cohort: Cohort) -> tuple[list[User], dict[int, dict[str, float]]]:
    rows = db.session.execute(
        select(User, CohortMember.targets)
        .join(CohortMember, CohortMember.user_id == User.id)
        .where(CohortMember.cohort_id == cohort.id)
        .order_by(User.display_name, User.id)
    ).all()
    return [u for u, _ in rows], {u.id: dict(t or {}) for u, t in rows}


def summary(model: Any, ids: list[int], from_attempts: bool) -> Any:
    """The kept summary rows of ``model`` (or the same sums from the attempts)."""
    return summary_of(model, ids, db.engine.dialect.name, from_attempts)


def template_cells(ids: list[int], from_attempts: bool = False) -> list[tuple[Any, ...]]:
    """Per trainee and template: charts, charts right, codes right, codes, seconds, then the
    cost sums: clean charts, denied lines, lines, cents lost, cents at risk.

    The kept per-trainee-per-template summary rows (``services.report_summaries``); the
    specialty matrix, productivity, peers, item analysis and the claims table are all sums
    of these cells. ``from_attempts`` computes them from the attempts instead (the check
    that the summaries equal what they sum).
    """
    if not ids:
        return []
    rows = summary(TraineeTemplateSummary, ids, from_attempts)
    statement = select(*rows.c).where(rows.c.user_id.in_(ids))
    return plain_rows(statement)[0]


def specialty_cells(ids: list[int], from_attempts: bool = False) -> list[tuple[Any, ...]]:
    """Per trainee and specialty: charts, charts right, codes right, codes, seconds; summed by
    the database over the template rows (read in key order: user, specialty, template)."""
    if not ids:
        return []
    rows = summary(TraineeTemplateSummary, ids, from_attempts)
    statement = (
        select(
            rows.c.user_id,
            rows.c.specialty,
            func.sum(rows.c.charts),
            func.sum(rows.c.charts_correct),
            func.sum(rows.c.codes_correct),
            func.sum(rows.c.codes_total),
            func.sum(rows.c.seconds),
        )
        .where(rows.c.user_id.in_(ids))
        .group_by(rows.c.user_id, rows.c.specialty)
    )
    return plain_rows(statement)[0]


def trainee_cost_sums(ids: list[int], from_attempts: bool = False) -> list[tuple[Any, ...]]:
    """Per trainee: charts, clean charts, denied lines, lines, cents lost, cents at risk."""
    if not ids:
        return []
    rows = summary(TraineeTemplateSummary, ids, from_attempts)
    statement = (
        select(
            rows.c.user_id,
            func.sum(rows.c.charts),
            func.sum(rows.c.clean_charts),
            func.sum(rows.c.lines_denied),
            func.sum(rows.c.lines_total),
            func.sum(rows.c.under_cents),
            func.sum(rows.c.over_cents),
        )
        .where(rows.c.user_id.in_(ids))
        .group_by(rows.c.user_id)
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
