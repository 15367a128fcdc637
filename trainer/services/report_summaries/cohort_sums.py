"""The per-cohort sums kept with the per-trainee summaries: what a set of members adds to
their cohorts' rows (or, ``sign`` -1, takes out), as one UPSERT per ``Cohort*Summary``
table, and the cohort rows that sum no member any more.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Float,
    Select,
    and_,
    bindparam,
    case,
    cast,
    delete,
    func,
    literal,
    select,
    true,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ...models import (
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
)
from .trainee_rows import IDS, Ids

COHORTS: Any = bindparam("cohorts", expanding=True)
"""The cohorts whose emptied rows a refresh deletes, bound at execution."""

COHORT_MODELS = (
    CohortTemplateSummary,
    CohortSpecialtySummary,
    CohortWeekSummary,
    CohortEmSummary,
    CohortErrorSummary,
)


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


def share(rows: Any, keys: Sequence[str], sums: Sequence[str], ids: Ids, sign: int) -> Select[Any]:
    """Per cohort and ``keys``: how many of these members' ``rows`` there are and the sums of
    their columns ``sums`` (``sign`` -1 takes them out), ordered by the cohort and the keys."""
    joined, where = _member_rows(rows, ids)
    t = rows.__table__
    m = CohortMember.__table__
    s = literal(sign)
    group = (m.c.cohort_id, *(t.c[k] for k in keys))
    return (
        select(*group, s * func.count(), *(s * func.sum(t.c[c]) for c in sums))
        .select_from(joined)
        .where(where)
        .group_by(*group)
        .order_by(*group)
    )


SUMMED_FROM = (
    (CohortSpecialtySummary, TraineeSpecialtySummary),
    (CohortWeekSummary, TraineeWeekSummary),
    (CohortEmSummary, TraineeEmSummary),
    (CohortErrorSummary, TraineeErrorSummary),
)
"""Each cohort table summed straight from a trainee table: the same keys, the same sums."""


def keys_and_sums(model: Any) -> tuple[list[str], list[str]]:
    """A cohort table's own keys (after ``cohort_id``) and its summed columns (after
    ``trainees``), in its column order: what its share groups by and sums."""
    table = model.__table__
    keys = [c.name for c in table.primary_key.columns if c.name != "cohort_id"]
    sums = [c.name for c in table.columns if not c.primary_key and c.name != "trainees"]
    return keys, sums


def cohort_sources(ids: Ids, sign: int) -> list[tuple[Any, Select[Any]]]:
    """Each cohort summary model with the statement that sums these members' rows into it
    (every member: ``ids`` None), in its column order, ordered by its key."""
    return [
        (CohortTemplateSummary, _template_share(ids, sign)),
        *((cohort, share(rows, *keys_and_sums(cohort), ids, sign)) for cohort, rows in SUMMED_FROM),
    ]


def shares(dialect: str, sign: int) -> tuple[Any, ...]:
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


_EMPTY = tuple(
    delete(model).where(model.cohort_id.in_(COHORTS), model.trainees <= 0)
    for model in COHORT_MODELS
)


def drop_empty(conn: Any, cohorts: list[int]) -> None:
    """Delete the cohort rows that sum no member any more (a float sum restarts clean)."""
    if not cohorts:
        return
    for statement in _EMPTY:
        conn.execute(statement, {"cohorts": cohorts})
