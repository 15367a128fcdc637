"""The per-trainee summaries: the statements over the attempts that fill each table.

One SELECT per ``Trainee*Summary`` model, its columns in the table's order; the same
statement refreshes one trainee (``IDS``) and fills the table for everyone (``None``). The
predicates are the report's own (``figures.practice_figures``, ``figures.counted_errors``),
so an open exam's charts stay out exactly as the report always left them out.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, bindparam, case, func, literal_column, select

from ...models import (
    Attempt,
    AttemptError,
    TraineeEmSummary,
    TraineeErrorSummary,
    TraineeSpecialtySummary,
    TraineeTemplateSummary,
    TraineeTotalSummary,
    TraineeWeekSummary,
)
from ..figures import counted_errors, practice_figures

SUMMARY_MODELS = (
    TraineeTemplateSummary,
    TraineeWeekSummary,
    TraineeEmSummary,
    TraineeErrorSummary,
)
TRAINEE_MODELS = (*SUMMARY_MODELS, TraineeSpecialtySummary, TraineeTotalSummary)


IDS: Any = bindparam("ids", expanding=True)
"""The trainees of a refresh, bound at execution: the refresh's statements are built and
compiled once per dialect (building ~30 statements per submission cost more than running
them)."""
Ids = list[int] | Any | None  # a list of ids, IDS, or None for everyone


def _practice(ids: Ids) -> tuple[Any, ...]:
    owner = () if ids is None else (Attempt.user_id.in_(ids),)
    return (*owner, *practice_figures())


def _sum(column: Any) -> Any:
    return func.coalesce(func.sum(column), 0)


def template_source(ids: Ids) -> Any:
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


def week_source(ids: Ids, dialect: str) -> Any:
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


def em_source(ids: Ids) -> Any:
    """Per trainee and (key E/M, coded E/M) pair (the columns of TraineeEmSummary)."""
    return (
        select(Attempt.user_id, Attempt.em_key, Attempt.em_given, func.count())
        .where(*_practice(ids), Attempt.em_key != "")
        .group_by(Attempt.user_id, Attempt.em_key, Attempt.em_given)
    )


def error_source(ids: Ids) -> Any:
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


def specialty_source(ids: Ids) -> Any:
    """Per trainee and specialty (the columns of TraineeSpecialtySummary)."""
    return (
        select(
            Attempt.user_id,
            Attempt.specialty,
            func.count(),
            _sum(case((Attempt.chart_correct, 1), else_=0)),
            _sum(Attempt.code_correct),
            _sum(Attempt.code_total),
            _sum(Attempt.seconds_spent),
        )
        .where(*_practice(ids))
        .group_by(Attempt.user_id, Attempt.specialty)
    )


def total_source(ids: Ids) -> Any:
    """Per trainee (the columns of TraineeTotalSummary)."""
    return (
        select(
            Attempt.user_id,
            func.count(),
            _sum(Attempt.code_correct),
            _sum(Attempt.code_total),
            _sum(case((Attempt.lines_denied == 0, 1), else_=0)),
            _sum(Attempt.lines_denied),
            _sum(Attempt.lines_total),
            _sum(Attempt.revenue_under_cents),
            _sum(Attempt.revenue_over_cents),
        )
        .where(*_practice(ids))
        .group_by(Attempt.user_id)
    )


def sources(ids: Ids, dialect: str) -> list[tuple[Any, Select[Any]]]:
    """Each per-trainee summary model with the statement over the attempts that fills it."""
    return [
        (TraineeTemplateSummary, template_source(ids)),
        (TraineeWeekSummary, week_source(ids, dialect)),
        (TraineeEmSummary, em_source(ids)),
        (TraineeErrorSummary, error_source(ids)),
        (TraineeSpecialtySummary, specialty_source(ids)),
        (TraineeTotalSummary, total_source(ids)),
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
