"""The report's queries: the cohort's members and the kept summary rows it sums.

Rows come back as plain tuples (see `plain_rows`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from ...extensions import db
from ...models import (
    Cohort,
    CohortMember,
    CohortSpecialtySummary,
    TraineeSpecialtySummary,
    TraineeTemplateSummary,
    TraineeTotalSummary,
    User,
)
from ..report_summaries import summary_of


def members(
    cohort: Cohort, offset: int = 0, limit: int | None = None
) -> tuple[list[User], dict[int, dict[str, float]]]:
    """The cohort's members in name order (``limit`` of them from ``offset``: one page), with
    their per-specialty targets."""
    statement = (
        select(User, CohortMember.targets)
        .join(CohortMember, CohortMember.user_id == User.id)
        .where(CohortMember.cohort_id == cohort.id)
        .order_by(User.display_name, User.id)
    )
    if limit is not None:
        statement = statement.offset(offset).limit(limit)
    rows = db.session.execute(statement).all()
    return [u for u, _ in rows], {u.id: dict(t or {}) for u, t in rows}


def member_count(cohort: Cohort) -> int:
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(CohortMember)
            .where(CohortMember.cohort_id == cohort.id)
        )
        or 0
    )


def member_ids(cohort: Cohort) -> list[int]:
    return list(
        db.session.scalars(select(CohortMember.user_id).where(CohortMember.cohort_id == cohort.id))
    )


def member_accuracies(
    cohort: Cohort, all_ids: list[int], from_attempts: bool = False
) -> list[float]:
    """Every member's code accuracy over all their counted charts (members with codes only),
    sorted: the peer comparison's median and percentiles."""
    totals = summary(TraineeTotalSummary, all_ids, from_attempts)
    statement = select(totals.c.codes_correct, totals.c.codes_total).where(totals.c.codes_total > 0)
    if from_attempts:
        statement = statement.where(totals.c.user_id.in_(all_ids))
    else:
        statement = statement.join(CohortMember, CohortMember.user_id == totals.c.user_id).where(
            CohortMember.cohort_id == cohort.id
        )
    return sorted(cc / ct for cc, ct in plain_rows(statement)[0])


def cohort_specialties(
    cohort: Cohort, all_ids: list[int], from_attempts: bool = False
) -> dict[str, tuple[int, int]]:
    """Per specialty any member has charts in: codes right and codes, over the cohort."""
    if from_attempts:
        out: dict[str, tuple[int, int]] = {}
        for _user, specialty, _n, _ok, cc, ct, _secs in specialty_cells(all_ids, True):
            right, codes = out.get(specialty, (0, 0))
            out[specialty] = (right + int(cc), codes + int(ct))
        return out
    kept = CohortSpecialtySummary
    statement = select(kept.specialty, kept.codes_correct, kept.codes_total).where(
        kept.cohort_id == cohort.id, kept.trainees > 0
    )
    return {s: (int(cc), int(ct)) for s, cc, ct in plain_rows(statement)[0]}


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
    """Per trainee and specialty: charts, charts right, codes right, codes, seconds (the
    kept per-trainee-per-specialty rows)."""
    if not ids:
        return []
    rows = summary(TraineeSpecialtySummary, ids, from_attempts)
    statement = select(
        rows.c.user_id,
        rows.c.specialty,
        rows.c.charts,
        rows.c.charts_correct,
        rows.c.codes_correct,
        rows.c.codes_total,
        rows.c.seconds,
    ).where(rows.c.user_id.in_(ids))
    return plain_rows(statement)[0]


def trainee_cost_sums(ids: list[int], from_attempts: bool = False) -> list[tuple[Any, ...]]:
    """Per trainee: charts, clean charts, denied lines, lines, cents lost, cents at risk."""
    if not ids:
        return []
    rows = summary(TraineeTotalSummary, ids, from_attempts)
    statement = select(
        rows.c.user_id,
        rows.c.charts,
        rows.c.clean_charts,
        rows.c.lines_denied,
        rows.c.lines_total,
        rows.c.under_cents,
        rows.c.over_cents,
    ).where(rows.c.user_id.in_(ids))
    return plain_rows(statement)[0]


def plain_rows(statement: Any) -> list[list[Any]]:
    """Run a Core statement on the session's connection and return its rows as tuples, in a
    one-item list (the shape the table modules unpack).

    Executed on the Connection, not the Session: the ORM layer's per-statement set-up cost
    more than the report's small queries, and the Connection's compiled-statement cache
    saves compiling the same ~11 statements on every request.
    """
    result = db.session.connection().execute(statement)
    return [[tuple(row) for row in result.all()]]
