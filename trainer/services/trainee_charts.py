"""One trainee's charts as their supervisor reads them: score, time, errors, and a link to
the graded chart, filtered by specialty and error type, a page at a time.

Scope: the trainee must be in one of the viewer's cohorts (any trainee for an
administrator), the rule the rest of the per-trainee page uses. What a row may show follows
``access.may_see_key``; a chart of an exam still open shows neither score nor errors (as in
every figure, ``figures``), whatever the viewer's role.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select

from trainer.core.grading.types import ERROR_TYPES

from ..extensions import db
from ..models import Attempt, AttemptError, CohortMember, User
from .access import exam_is_open, may_see_key
from .cohorts import visible_cohorts

PAGE_SIZE = 50


class ChartFilterError(ValueError):
    """An unknown error type in the filter."""


def visible_trainee(viewer: User, trainee_id: int) -> User | None:
    """The trainee when they are in one of the viewer's cohorts (anyone for an admin)."""
    user = db.session.get(User, trainee_id)
    if user is None:
        return None
    if viewer.is_admin:
        return user
    cohort_id = db.session.scalar(
        select(CohortMember.cohort_id).where(CohortMember.user_id == user.id)
    )
    return user if cohort_id in {c.id for c in visible_cohorts(viewer)} else None


@dataclass(frozen=True)
class ChartRow:
    attempt: Attempt
    title: str
    exam_open: bool
    errors: dict[str, int]
    may_open: bool


@dataclass(frozen=True)
class ChartPage:
    rows: list[ChartRow]
    total: int
    page: int
    pages: int
    specialties: list[str]
    error_types: list[str]


def trainee_charts(
    viewer: User, trainee: User, specialty: str = "", error_type: str = "", page: int = 1
) -> ChartPage:
    """Submitted charts, newest first; ``error_type`` keeps charts with that error."""
    if error_type and error_type not in ERROR_TYPES:
        raise ChartFilterError(f"Unknown error type {error_type!r}.")
    base = select(Attempt).where(Attempt.user_id == trainee.id, Attempt.status == "submitted")
    specialties = sorted(
        db.session.scalars(
            select(Attempt.specialty)
            .where(Attempt.user_id == trainee.id, Attempt.status == "submitted")
            .distinct()
        )
    )
    error_types = sorted(
        db.session.scalars(
            select(AttemptError.error_type).where(AttemptError.user_id == trainee.id).distinct()
        )
    )
    query = base
    if specialty:
        query = query.where(Attempt.specialty == specialty)
    if error_type:
        query = query.where(
            Attempt.id.in_(
                select(AttemptError.attempt_id).where(
                    AttemptError.user_id == trainee.id, AttemptError.error_type == error_type
                )
            )
        )
    total = int(db.session.scalar(select(func.count()).select_from(query.subquery())) or 0)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    attempts = list(
        db.session.scalars(
            query.order_by(Attempt.submitted_at.desc(), Attempt.id.desc())
            .limit(PAGE_SIZE)
            .offset((page - 1) * PAGE_SIZE)
        )
    )
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    if attempts:
        for attempt_id, kind, n in db.session.execute(
            select(AttemptError.attempt_id, AttemptError.error_type, func.count(AttemptError.id))
            .where(AttemptError.attempt_id.in_([a.id for a in attempts]))
            .group_by(AttemptError.attempt_id, AttemptError.error_type)
        ):
            counts[attempt_id][kind] = int(n)
    rows = []
    for attempt in attempts:
        hidden = exam_is_open(attempt)
        rows.append(
            ChartRow(
                attempt,
                str((attempt.variant or {}).get("title", "")),
                hidden,
                {} if hidden else counts.get(attempt.id, {}),
                may_see_key(viewer, attempt) and not hidden,
            )
        )
    return ChartPage(rows, total, page, pages, specialties, error_types)
