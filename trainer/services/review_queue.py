"""The review queue as a supervisor works it: filters, sorting and pages over the charts
waiting for review (the audit sample and open disputes) and those already reviewed.

Scope is ``cohorts.visible_cohorts``: a supervisor sees their own cohorts' charts, an
administrator every cohort; a cohort filter outside that scope is refused
(``QueueScopeError``) rather than answered empty, so the view can 404 as for any other
cohort. The sample itself is computed by ``review.review_queue`` on every request (it needs
no stored state), so filtering and paging are done here, on the server, after it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..models import Attempt, Cohort, CohortMember, Review, User
from .cohorts import visible_cohorts
from .disputes import visible_disputes
from .review import review_queue

STATUSES = ("to_review", "reviewed", "all")
REASONS = ("below_target", "quarterly_sample", "dispute")
SORTS = ("oldest", "newest", "trainee", "score", "specialty")
PAGE_SIZE = 25
EVERYTHING = 1_000_000_000


class QueueScopeError(LookupError):
    """A cohort filter outside the viewer's cohorts."""


@dataclass(frozen=True)
class QueueFilters:
    cohort_id: int | None = None
    trainee_id: int | None = None
    specialty: str = ""
    status: str = "to_review"
    reason: str = ""
    sort: str = "oldest"
    page: int = 1

    def problems(self) -> list[str]:
        found = []
        if self.status not in STATUSES:
            found.append(f"status is one of {', '.join(STATUSES)}")
        if self.reason and self.reason not in REASONS:
            found.append(f"reason is one of {', '.join(REASONS)}")
        if self.sort not in SORTS:
            found.append(f"sort is one of {', '.join(SORTS)}")
        return found

    def args(self, **changes: Any) -> dict[str, Any]:
        """Query arguments of these filters (with changes), for links that keep them."""
        chosen = replace(self, **changes)
        values = {
            "cohort": chosen.cohort_id,
            "trainee": chosen.trainee_id,
            "specialty": chosen.specialty,
            "status": chosen.status if chosen.status != "to_review" else "",
            "reason": chosen.reason,
            "sort": chosen.sort if chosen.sort != "oldest" else "",
            "page": chosen.page if chosen.page != 1 else "",
        }
        return {k: v for k, v in values.items() if v not in (None, "")}


@dataclass(frozen=True)
class QueueRow:
    attempt: Attempt
    trainee: User
    cohort: Cohort | None
    reason: str
    review: Review | None = None
    dispute_id: int | None = None


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    total: int
    page: int
    pages: int
    filters: QueueFilters
    cohorts: list[Cohort]
    trainees: list[User]
    specialties: list[str]


def _waiting(
    viewer: User, target: float, elite: float, cohorts: dict[int, Cohort]
) -> list[QueueRow]:
    rows = [
        QueueRow(item.attempt, item.trainee, item.cohort, item.reason)
        for item in review_queue(viewer, target, elite, limit=EVERYTHING)
    ]
    for dispute in visible_disputes(viewer):
        attempt = dispute.attempt
        cohort = cohorts.get(attempt.cohort_id or 0)
        rows.append(QueueRow(attempt, attempt.user, cohort, "dispute", dispute_id=dispute.id))
    return rows


def _reviewed(viewer: User, cohorts: dict[int, Cohort]) -> list[QueueRow]:
    """Reviewed charts of trainees now in the viewer's cohorts (who may reopen them:
    ``review.can_review_attempt``)."""
    members = dict(
        db.session.execute(
            select(CohortMember.user_id, CohortMember.cohort_id).where(
                CohortMember.cohort_id.in_(list(cohorts))
            )
        ).all()
    )
    query = select(Review).join(Attempt, Attempt.id == Review.attempt_id)
    if not viewer.is_admin:
        query = query.where(Attempt.user_id.in_(list(members)))
    rows = []
    for review in db.session.scalars(query):
        attempt = review.attempt
        cohort = cohorts.get(members.get(attempt.user_id, 0))
        rows.append(QueueRow(attempt, attempt.user, cohort, review.sample_reason, review))
    return rows


def _when(row: QueueRow) -> datetime:
    return row.attempt.submitted_at or row.attempt.started_at


SORT_KEYS: dict[str, Callable[[QueueRow], Any]] = {
    "oldest": lambda r: (_when(r), r.attempt.id),
    "trainee": lambda r: (r.trainee.display_name.lower(), _when(r), r.attempt.id),
    "score": lambda r: (r.attempt.score if r.attempt.score is not None else 2.0, _when(r)),
    "specialty": lambda r: (r.attempt.specialty, _when(r), r.attempt.id),
}


def queue_page(viewer: User, filters: QueueFilters, target: float, elite: float) -> QueuePage:
    """One page of the filtered, sorted queue; ValueError for an unknown status, reason or
    sort, QueueScopeError for a cohort outside the viewer's."""
    if filters.problems():
        raise ValueError("; ".join(filters.problems()))
    cohorts = {c.id: c for c in visible_cohorts(viewer)}
    if filters.cohort_id is not None and filters.cohort_id not in cohorts:
        raise QueueScopeError("not one of your cohorts")
    rows: list[QueueRow] = []
    if filters.status in ("to_review", "all"):
        rows += _waiting(viewer, target, elite, cohorts)
    if filters.status in ("reviewed", "all"):
        rows += _reviewed(viewer, cohorts)
    trainees = {r.trainee.id: r.trainee for r in rows}
    specialties = sorted({r.attempt.specialty for r in rows})
    if filters.cohort_id is not None:
        rows = [r for r in rows if r.cohort is not None and r.cohort.id == filters.cohort_id]
    if filters.trainee_id is not None:
        rows = [r for r in rows if r.trainee.id == filters.trainee_id]
    if filters.specialty:
        rows = [r for r in rows if r.attempt.specialty == filters.specialty]
    if filters.reason:
        rows = [r for r in rows if r.reason == filters.reason]
    if filters.sort == "newest":
        rows.sort(key=SORT_KEYS["oldest"], reverse=True)
    else:
        rows.sort(key=SORT_KEYS[filters.sort])
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    page = min(max(1, filters.page), pages)
    start = (page - 1) * PAGE_SIZE
    return QueuePage(
        rows[start : start + PAGE_SIZE],
        len(rows),
        page,
        pages,
        replace(filters, page=page),
        sorted(cohorts.values(), key=lambda c: c.name),
        sorted(trainees.values(), key=lambda u: u.display_name.lower()),
        specialties,
    )
