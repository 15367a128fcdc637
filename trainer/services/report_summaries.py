"""The cohort report's summary rows: each trainee's counted practice charts, summed.

The report used to scan every attempt of a cohort (about 150 ms at 100,000); at 1,000,000 a
scan cannot answer in time, so the sums are kept: per trainee and template, per trainee, week
and specialty, per trainee and E/M pair, per trainee and error type. They are rewritten
for the trainees a change touched, in the transaction of that change: a submission, a review
override, a key correction's rescore, and an exam run finishing (its charts start to count).

A trainee's rows are recomputed from their attempts, not adjusted by a difference: the
statement that refreshes one trainee is the statement that fills the table for everyone (the
migration's backfill does the same in SQL of its own), so a summary can never drift from the
attempts it sums. The predicates are the report's own (``figures.practice_figures``,
``figures.counted_errors``), so an open exam's charts stay out exactly as before.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, case, delete, func, insert, literal_column, select

from ..models import (
    Attempt,
    AttemptError,
    TraineeEmSummary,
    TraineeErrorSummary,
    TraineeTemplateSummary,
    TraineeWeekSummary,
)
from .figures import counted_errors, practice_figures

SUMMARY_MODELS = (
    TraineeTemplateSummary,
    TraineeWeekSummary,
    TraineeEmSummary,
    TraineeErrorSummary,
)


def _practice(ids: list[int] | None) -> tuple[Any, ...]:
    owner = () if ids is None else (Attempt.user_id.in_(ids),)
    return (*owner, *practice_figures())


def _sum(column: Any) -> Any:
    return func.coalesce(func.sum(column), 0)


def template_source(ids: list[int] | None) -> Any:
    """Per trainee and template, from the attempts (the columns of TraineeTemplateSummary)."""
    return (
        select(
            Attempt.user_id,
            Attempt.template_id,
            Attempt.specialty,
            func.count(),
            _sum(case((Attempt.chart_correct, 1), else_=0)),
            _sum(Attempt.code_correct),
            _sum(Attempt.code_total),
            _sum(Attempt.seconds_spent),
            _sum(case((Attempt.lines_denied == 0, 1), else_=0)),
            _sum(Attempt.lines_denied),
            _sum(Attempt.lines_total),
            _sum(Attempt.revenue_under_cents),
            _sum(Attempt.revenue_over_cents),
        )
        .where(*_practice(ids))
        .group_by(Attempt.user_id, Attempt.template_id, Attempt.specialty)
    )


def week_of(dialect: str) -> Any:
    """The Monday (UTC, 'YYYY-MM-DD') of a chart's submission: the ISO week the trend and
    revenue tables bucket by (``reports.trend.week_starts``)."""
    if dialect == "postgresql":
        return func.to_char(
            func.date_trunc("week", func.timezone("UTC", Attempt.submitted_at)), "YYYY-MM-DD"
        )
    # SQLite keeps UTC wall time; 'weekday 0' goes on to Sunday (or stays), -6 days: Monday.
    return func.date(
        Attempt.submitted_at, literal_column("'weekday 0'"), literal_column("'-6 days'")
    )


def week_source(ids: list[int] | None, dialect: str) -> Any:
    """Per trainee, week and specialty (the columns of TraineeWeekSummary)."""
    week = week_of(dialect)
    money = (Attempt.revenue_under_cents > 0) | (Attempt.revenue_over_cents > 0)
    return (
        select(
            Attempt.user_id,
            week,
            Attempt.specialty,
            _sum(Attempt.code_correct),
            _sum(Attempt.code_total),
            _sum(case((money, 1), else_=0)),
            _sum(Attempt.revenue_under_cents),
            _sum(Attempt.revenue_over_cents),
        )
        .where(*_practice(ids), Attempt.submitted_at.is_not(None))
        .group_by(Attempt.user_id, week, Attempt.specialty)
    )


def em_source(ids: list[int] | None) -> Any:
    """Per trainee and (key E/M, coded E/M) pair (the columns of TraineeEmSummary)."""
    return (
        select(Attempt.user_id, Attempt.em_key, Attempt.em_given, func.count())
        .where(*_practice(ids), Attempt.em_key != "")
        .group_by(Attempt.user_id, Attempt.em_key, Attempt.em_given)
    )


def error_source(ids: list[int] | None) -> Any:
    """Per trainee and error type (the columns of TraineeErrorSummary): counted charts'
    errors, refresher charts left out, as the cohort's error table always counted them."""
    refreshers = select(Attempt.id).where(Attempt.status == "submitted", Attempt.course > "")
    owner: tuple[Any, ...] = ()
    if ids is not None:
        owner = (AttemptError.user_id.in_(ids),)
        refreshers = refreshers.where(Attempt.user_id.in_(ids))
    return (
        select(AttemptError.user_id, AttemptError.error_type, func.count(AttemptError.id))
        .where(*owner, counted_errors(), AttemptError.attempt_id.not_in(refreshers))
        .group_by(AttemptError.user_id, AttemptError.error_type)
    )


def sources(ids: list[int] | None, dialect: str) -> list[tuple[Any, Select[Any]]]:
    """Each summary model with the statement over the attempts that fills it."""
    return [
        (TraineeTemplateSummary, template_source(ids)),
        (TraineeWeekSummary, week_source(ids, dialect)),
        (TraineeEmSummary, em_source(ids)),
        (TraineeErrorSummary, error_source(ids)),
    ]


def summary_of(model: Any, ids: list[int], dialect: str, from_attempts: bool = False) -> Any:
    """The rows of a summary table for these trainees, as a FROM clause with the table's
    column names: the kept table, or (``from_attempts``) the same sums computed from the
    attempts on the spot, which is what the summaries must always equal."""
    if not from_attempts:
        return model.__table__
    source = dict(sources(ids, dialect))[model]
    names = [c.name for c in model.__table__.columns]
    labeled = [col.label(name) for col, name in zip(source.selected_columns, names, strict=True)]
    return source.with_only_columns(*labeled).subquery()


def refresh(session: Any, user_ids: Iterable[int]) -> None:
    """Rewrite these trainees' summary rows from their attempts, inside the caller's
    transaction (it must be one that writes; the caller commits)."""
    ids = sorted({int(i) for i in user_ids})
    if not ids:
        return
    session.flush()
    _rewrite(session, ids)


def rebuild(session: Any) -> None:
    """Rewrite every summary row (the bench after a bulk insert; tests)."""
    session.flush()
    _rewrite(session, None)


def _rewrite(session: Any, ids: list[int] | None) -> None:
    dialect = session.get_bind().dialect.name
    for model, source in sources(ids, dialect):
        wipe = delete(model)
        if ids is not None:
            wipe = wipe.where(model.user_id.in_(ids))
        session.execute(wipe)
        columns = [c.name for c in model.__table__.columns]
        session.execute(insert(model).from_select(columns, source))


__all__ = ["SUMMARY_MODELS", "rebuild", "refresh", "sources", "summary_of"]
