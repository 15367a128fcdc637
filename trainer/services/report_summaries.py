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

At 1,000,000 attempts even the per-trainee rows are too many to sum per request (2,000
trainees x 213 templates), so each cohort keeps the sums of its members' rows too (the
``Cohort*Summary`` models): a trainee's refresh takes their old rows' share out of their
cohort, rewrites their rows, and puts the new share in, as row-level increments (UPSERT), in
the same transaction; a trainee joining, moving or leaving moves their share the same way
(mapper events on ``CohortMember``, so every path that changes a membership is covered). On
PostgreSQL the trainee's row and then their cohort's row are locked first (``FOR NO KEY
UPDATE``, in id order): two refreshes of one trainee cannot both take out the same old share,
and the cohort's rows are changed by one transaction at a time (no deadlock between the
take-out and the put-in of two members).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Float,
    Select,
    and_,
    bindparam,
    case,
    cast,
    delete,
    event,
    func,
    insert,
    inspect,
    literal,
    literal_column,
    select,
    true,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..models import (
    Attempt,
    AttemptError,
    Cohort,
    CohortEmSummary,
    CohortErrorSummary,
    CohortMember,
    CohortSpecialtySummary,
    CohortTemplateSummary,
    CohortWeekSummary,
    TraineeEmSummary,
    TraineeErrorSummary,
    TraineeSpecialtySummary,
    TraineeTemplateSummary,
    TraineeTotalSummary,
    TraineeWeekSummary,
    User,
)
from .figures import counted_errors, practice_figures

SUMMARY_MODELS = (
    TraineeTemplateSummary,
    TraineeWeekSummary,
    TraineeEmSummary,
    TraineeErrorSummary,
)
TRAINEE_MODELS = (*SUMMARY_MODELS, TraineeSpecialtySummary, TraineeTotalSummary)
COHORT_MODELS = (
    CohortTemplateSummary,
    CohortSpecialtySummary,
    CohortWeekSummary,
    CohortEmSummary,
    CohortErrorSummary,
)


IDS: Any = bindparam("ids", expanding=True)
"""The trainees of a refresh, bound at execution: the refresh's statements are built and
compiled once per dialect (building ~30 statements per submission cost more than running
them)."""
COHORTS: Any = bindparam("cohorts", expanding=True)
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


def refresh(session: Any, user_ids: Iterable[int]) -> None:
    """Rewrite these trainees' summary rows from their attempts, and move their cohorts'
    sums by the difference, inside the caller's transaction (it must be one that writes; the
    caller commits)."""
    ids = sorted({int(i) for i in user_ids})
    if not ids:
        return
    session.flush()
    conn = session.connection()
    cohorts = _lock(conn, ids)
    minus, rewrite, plus = _statements(_dialect(conn))
    for statement in (*minus, *rewrite, *plus):
        conn.execute(statement, {"ids": ids})
    _drop_empty(conn, cohorts)


def rebuild(session: Any) -> None:
    """Rewrite every summary row, the cohorts' sums included (the bench after a bulk insert;
    tests)."""
    session.flush()
    dialect = session.get_bind().dialect.name
    for model, source in sources(None, dialect):
        session.execute(delete(model))
        columns = [c.name for c in model.__table__.columns]
        session.execute(insert(model).from_select(columns, source))
    for model, source in cohort_sources(None, +1):
        session.execute(delete(model))
        columns = [c.name for c in model.__table__.columns]
        session.execute(insert(model).from_select(columns, source))


@lru_cache(maxsize=4)
def _statements(dialect: str) -> tuple[tuple[Any, ...], tuple[Any, ...], tuple[Any, ...]]:
    """A refresh's statements for ``IDS``: take the trainees' share out of their cohorts,
    rewrite their rows from the attempts, put the new share in."""
    rewrite: list[Any] = []
    for model, source in sources(IDS, dialect):
        table = model.__table__
        rewrite.append(delete(table).where(table.c.user_id.in_(IDS)))
        rewrite.append(insert(table).from_select([c.name for c in table.columns], source))
    return (_shares(dialect, -1), tuple(rewrite), _shares(dialect, +1))


# --------------------------------------------------------------------------- cohort sums


def _member_rows(model: Any, ids: Ids) -> tuple[Any, Any]:
    """A trainee summary table joined with the membership (the cohort each row counts in)."""
    table = model.__table__
    members = CohortMember.__table__
    joined = table.join(members, members.c.user_id == table.c.user_id)
    where = table.c.user_id.in_(ids) if ids is not None else true()
    return joined, where


def _template_share(ids: Ids, sign: int) -> Select[Any]:
    """Per cohort and template: the item analysis sums of these members (``sign`` -1 takes
    them out). A trainee's cell is their rows of the template (any specialty) merged; they
    count in the discrimination when they have charts of it and codes elsewhere, with
    x = charts right / charts and y = codes right / codes on every other template (the
    definition of ``core.stats.item_analysis.analyse``)."""
    rows = TraineeTemplateSummary.__table__
    cells = select(
        rows.c.user_id,
        rows.c.template_id,
        func.sum(rows.c.charts).label("n"),
        func.sum(rows.c.charts_correct).label("ok"),
        func.sum(rows.c.codes_correct).label("cc"),
        func.sum(rows.c.codes_total).label("ct"),
    )
    if ids is not None:
        cells = cells.where(rows.c.user_id.in_(ids))
    cell = cells.group_by(rows.c.user_id, rows.c.template_id).subquery()
    total = TraineeTotalSummary.__table__
    members = CohortMember.__table__
    counted = and_(cell.c.n > 0, total.c.codes_total > cell.c.ct)
    x = case((counted, cast(cell.c.ok, Float) / cell.c.n), else_=0.0)
    y = case(
        (
            counted,
            cast(total.c.codes_correct - cell.c.cc, Float) / (total.c.codes_total - cell.c.ct),
        ),
        else_=0.0,
    )
    per = (
        select(
            members.c.cohort_id,
            cell.c.template_id,
            cell.c.n,
            cell.c.ok,
            cell.c.cc,
            cell.c.ct,
            case((counted, 1), else_=0).label("item"),
            x.label("x"),
            y.label("y"),
        )
        .select_from(
            cell.join(total, total.c.user_id == cell.c.user_id).join(
                members, members.c.user_id == cell.c.user_id
            )
        )
        .subquery()
    )
    s = literal(sign)
    return (
        select(
            per.c.cohort_id,
            per.c.template_id,
            s * func.count(),
            s * func.sum(per.c.n),
            s * func.sum(per.c.ok),
            s * func.sum(per.c.cc),
            s * func.sum(per.c.ct),
            s * func.sum(per.c.item),
            s * func.sum(per.c.x),
            s * func.sum(per.c.y),
            s * func.sum(per.c.x * per.c.x),
            s * func.sum(per.c.y * per.c.y),
            s * func.sum(per.c.x * per.c.y),
        )
        .where(true())
        .group_by(per.c.cohort_id, per.c.template_id)
        .order_by(per.c.cohort_id, per.c.template_id)
    )


def _specialty_share(ids: Ids, sign: int) -> Select[Any]:
    joined, where = _member_rows(TraineeSpecialtySummary, ids)
    t = TraineeSpecialtySummary.__table__
    m = CohortMember.__table__
    s = literal(sign)
    return (
        select(
            m.c.cohort_id,
            t.c.specialty,
            s * func.count(),
            s * func.sum(t.c.codes_correct),
            s * func.sum(t.c.codes_total),
        )
        .select_from(joined)
        .where(where)
        .group_by(m.c.cohort_id, t.c.specialty)
        .order_by(m.c.cohort_id, t.c.specialty)
    )


def _week_share(ids: Ids, sign: int) -> Select[Any]:
    joined, where = _member_rows(TraineeWeekSummary, ids)
    t = TraineeWeekSummary.__table__
    m = CohortMember.__table__
    s = literal(sign)
    return (
        select(
            m.c.cohort_id,
            t.c.week_start,
            t.c.specialty,
            s * func.count(),
            s * func.sum(t.c.money_charts),
            s * func.sum(t.c.under_cents),
            s * func.sum(t.c.over_cents),
        )
        .select_from(joined)
        .where(where)
        .group_by(m.c.cohort_id, t.c.week_start, t.c.specialty)
        .order_by(m.c.cohort_id, t.c.week_start, t.c.specialty)
    )


def _em_share(ids: Ids, sign: int) -> Select[Any]:
    joined, where = _member_rows(TraineeEmSummary, ids)
    t = TraineeEmSummary.__table__
    m = CohortMember.__table__
    s = literal(sign)
    return (
        select(m.c.cohort_id, t.c.em_key, t.c.em_given, s * func.count(), s * func.sum(t.c.charts))
        .select_from(joined)
        .where(where)
        .group_by(m.c.cohort_id, t.c.em_key, t.c.em_given)
        .order_by(m.c.cohort_id, t.c.em_key, t.c.em_given)
    )


def _error_share(ids: Ids, sign: int) -> Select[Any]:
    joined, where = _member_rows(TraineeErrorSummary, ids)
    t = TraineeErrorSummary.__table__
    m = CohortMember.__table__
    s = literal(sign)
    return (
        select(m.c.cohort_id, t.c.error_type, s * func.count(), s * func.sum(t.c.errors))
        .select_from(joined)
        .where(where)
        .group_by(m.c.cohort_id, t.c.error_type)
        .order_by(m.c.cohort_id, t.c.error_type)
    )


def cohort_sources(ids: Ids, sign: int) -> list[tuple[Any, Select[Any]]]:
    """Each cohort summary model with the statement that sums these members' rows into it
    (every member: ``ids`` None), in its column order, ordered by its key."""
    return [
        (CohortTemplateSummary, _template_share(ids, sign)),
        (CohortSpecialtySummary, _specialty_share(ids, sign)),
        (CohortWeekSummary, _week_share(ids, sign)),
        (CohortEmSummary, _em_share(ids, sign)),
        (CohortErrorSummary, _error_share(ids, sign)),
    ]


def _shares(dialect: str, sign: int) -> tuple[Any, ...]:
    """One UPSERT per cohort table adding (``sign`` +1) or taking out (-1) the share of the
    trainees ``IDS``: each value column incremented in its row, never read into Python."""
    make = pg_insert if dialect == "postgresql" else sqlite_insert
    out = []
    for model, source in cohort_sources(IDS, sign):
        table = model.__table__
        keys = [c.name for c in table.primary_key.columns]
        columns = [c.name for c in table.columns]
        statement = make(table).from_select(columns, source)
        out.append(
            statement.on_conflict_do_update(
                index_elements=keys,
                set_={c: table.c[c] + statement.excluded[c] for c in columns if c not in keys},
            )
        )
    return tuple(out)


def _contribute(conn: Any, ids: list[int], sign: int) -> None:
    """Add (``sign`` +1) or take out (-1) these members' rows from their cohorts' sums."""
    minus, _rewrite, plus = _statements(_dialect(conn))
    for statement in plus if sign > 0 else minus:
        conn.execute(statement, {"ids": ids})


_EMPTY = tuple(
    delete(model).where(model.cohort_id.in_(COHORTS), model.trainees <= 0)
    for model in COHORT_MODELS
)


def _drop_empty(conn: Any, cohorts: list[int]) -> None:
    """Delete the cohort rows that sum no member any more (a float sum restarts clean)."""
    if not cohorts:
        return
    for statement in _EMPTY:
        conn.execute(statement, {"cohorts": cohorts})


def _dialect(conn: Any) -> str:
    bind = conn.get_bind() if hasattr(conn, "get_bind") else conn
    return str(bind.dialect.name)


def _lock(conn: Any, ids: list[int], also: Iterable[int] = ()) -> list[int]:
    """The trainees' cohorts (with ``also``), sorted; on PostgreSQL the trainees' rows and then
    those cohorts' rows are locked (FOR NO KEY UPDATE: inserts that only reference them, as an
    attempt references its user, do not wait)."""
    postgres = _dialect(conn) == "postgresql"
    if postgres:
        conn.execute(
            select(User.id)
            .where(User.id.in_(ids))
            .order_by(User.id)
            .with_for_update(key_share=True)
        )
    found = conn.execute(
        select(CohortMember.cohort_id).where(CohortMember.user_id.in_(ids))
    ).scalars()
    cohorts = sorted({int(c) for c in found} | {int(c) for c in also if c is not None})
    if postgres and cohorts:
        conn.execute(
            select(Cohort.id)
            .where(Cohort.id.in_(cohorts))
            .order_by(Cohort.id)
            .with_for_update(key_share=True)
        )
    return cohorts


# A trainee joining, moving or leaving takes their share with them. Mapper events run inside
# the flush, on its connection, so the change and the sums commit together whatever service
# changed the membership (moving, importing, LTI provisioning, the demo).


@event.listens_for(CohortMember, "after_insert")
def _joined(_mapper: Any, connection: Any, member: CohortMember) -> None:
    cohorts = _lock(connection, [member.user_id])
    _contribute(connection, [member.user_id], +1)
    _drop_empty(connection, cohorts)


@event.listens_for(CohortMember, "before_update")
def _leaving_for_another(_mapper: Any, connection: Any, member: CohortMember) -> None:
    history = inspect(member).attrs.cohort_id.history
    if not history.has_changes():
        return
    _lock(connection, [member.user_id], also=[member.cohort_id])
    _contribute(connection, [member.user_id], -1)  # the row still names the old cohort


@event.listens_for(CohortMember, "after_update")
def _arrived(_mapper: Any, connection: Any, member: CohortMember) -> None:
    history = inspect(member).attrs.cohort_id.history
    if not history.has_changes():
        return
    _contribute(connection, [member.user_id], +1)
    _drop_empty(connection, [*history.deleted, member.cohort_id])


@event.listens_for(CohortMember, "before_delete")
def _left(_mapper: Any, connection: Any, member: CohortMember) -> None:
    cohorts = _lock(connection, [member.user_id])
    _contribute(connection, [member.user_id], -1)
    _drop_empty(connection, cohorts)


__all__ = [
    "COHORT_MODELS",
    "SUMMARY_MODELS",
    "TRAINEE_MODELS",
    "cohort_sources",
    "rebuild",
    "refresh",
    "sources",
    "summary_of",
]
