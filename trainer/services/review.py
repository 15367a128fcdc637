"""Two-tier review: the sampled queue a supervisor works through, and recording a review.

The queue is recomputed from the attempts on every request (``core.review.review_sample``), so
it needs no stored state: a chart leaves it when a review is recorded. Overrides write a new
grade row (reason ``review``) and update the attempt's figures in the same transaction, so the
automatic grade stays in the history and accuracy reflects the reviewer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from trainer.core.stats.review_sampling import (
    Override,
    ReviewError,
    Submission,
    apply_overrides,
    review_sample,
)

from ..database import write_transaction
from ..extensions import db
from ..models import Attempt, AttemptGrade, Cohort, CohortMember, Review, User, utcnow
from . import report_summaries
from .cohorts import can_manage
from .figures import counted
from .keys import key_version
from .practice import store_errors
from .progress import specialty_counts

DECISIONS = ("confirmed", "overridden", "commented")
MAX_COMMENT = 4000


@dataclass(frozen=True)
class QueueItem:
    attempt: Attempt
    trainee: User
    cohort: Cohort
    reason: str


def _targets(member: CohortMember) -> dict[str, float]:
    return {k: float(v) for k, v in (member.targets or {}).items()}


def below_target_pairs(cohort: Cohort, target: float, elite: float) -> set[tuple[int, str]]:
    """(trainee, specialty) pairs whose accuracy is not yet shown to meet the target.

    "Not yet at target" follows the progress page: the Wilson lower bound must reach the
    trainee's target for the specialty (their own, from the CSV import, or the default).
    """
    members = {
        m.user_id: m
        for m in db.session.scalars(select(CohortMember).where(CohortMember.cohort_id == cohort.id))
    }
    if not members:
        return set()
    below = set()
    for user_id, per in specialty_counts(list(members)).items():
        for specialty, counts in per.items():
            own = _targets(members[user_id]).get(specialty, target)
            if counts.summary(own, max(elite, own)).status in ("below_target", "not_enough_data"):
                below.add((user_id, specialty))
    return below


def review_queue(viewer: User, target: float, elite: float, limit: int = 200) -> list[QueueItem]:
    """Unreviewed sampled charts of the viewer's cohorts, oldest first."""
    from .cohorts import visible_cohorts

    items: list[QueueItem] = []
    for cohort in visible_cohorts(viewer):
        below = below_target_pairs(cohort, target, elite)
        reviewed = select(Review.attempt_id)
        rows = db.session.execute(
            select(Attempt.id, Attempt.user_id, Attempt.specialty, Attempt.submitted_at)
            .join(CohortMember, CohortMember.user_id == Attempt.user_id)
            .where(
                CohortMember.cohort_id == cohort.id,
                *counted(),
                Attempt.id.not_in(reviewed),
            )
        ).all()
        sample = review_sample(
            (Submission(i, u, s, when) for i, u, s, when in rows if when is not None),
            below,
            cohort.review_sample,
            salt=f"cohort-{cohort.id}",
        )
        if not sample:
            continue
        chosen = db.session.scalars(
            select(Attempt).where(Attempt.id.in_(list(sample))).order_by(Attempt.submitted_at)
        )
        for attempt in chosen:
            items.append(QueueItem(attempt, attempt.user, cohort, sample[attempt.id]))
    items.sort(key=lambda i: (i.attempt.submitted_at or utcnow(), i.attempt.id))
    return items[:limit]


def cohort_of(user_id: int) -> Cohort | None:
    return db.session.scalar(
        select(Cohort)
        .join(CohortMember, CohortMember.cohort_id == Cohort.id)
        .where(CohortMember.user_id == user_id)
    )


def can_review_attempt(viewer: User, attempt: Attempt) -> bool:
    """Whoever may manage the trainee's cohort (``cohorts.can_manage``: its owner, a
    co-instructor, an admin) reviews; never the trainee."""
    if attempt.status != "submitted" or attempt.user_id == viewer.id:
        return False
    if viewer.is_admin:
        return True
    cohort = cohort_of(attempt.user_id)
    return cohort is not None and can_manage(viewer, cohort)


def review_of(attempt_id: int) -> Review | None:
    return db.session.scalar(select(Review).where(Review.attempt_id == attempt_id))


def automatic_grade(attempt: Attempt) -> dict[str, Any] | None:
    """The newest grade that is not a review, the one overrides apply to."""
    for row in reversed(attempt.grades):
        if row.reason != "review":
            return row.result
    return None


def record_review(
    attempt: Attempt,
    reviewer: User,
    overrides: list[Override],
    comment: str,
    sample_reason: str = "",
) -> Review:
    """Confirm, override or comment; a later review of the same chart replaces the earlier one.

    With overrides, the chart is regraded from its newest automatic grade with the reviewer's
    verdicts, and its figures (score, codes right, chart correct, error types) follow.
    """
    text = comment.strip()
    if len(text) > MAX_COMMENT:
        raise ReviewError(f"A comment is at most {MAX_COMMENT} characters.")
    if not can_review_attempt(reviewer, attempt):
        raise ReviewError("You can review submitted charts of your own cohorts' trainees.")
    base = automatic_grade(attempt)
    if base is None:
        raise ReviewError("This chart has no grade to review.")
    effective = [o for o in overrides if _differs(base, o)]
    decision = "overridden" if effective else ("commented" if text else "confirmed")
    regraded = apply_overrides(base, effective) if effective else None
    with write_transaction(db.session) as session:
        review = session.scalar(select(Review).where(Review.attempt_id == attempt.id))
        previous_overrides = bool(review and review.overrides)
        if review is None:
            review = Review(attempt_id=attempt.id, reviewer_id=reviewer.id, created_at=utcnow())
            session.add(review)
        review.reviewer_id = reviewer.id
        review.decision = decision
        review.comment = text
        review.overrides = [o.to_dict() for o in effective]
        review.sample_reason = sample_reason[:32] or review.sample_reason or ""
        review.updated_at = utcnow()
        if regraded is not None or previous_overrides:
            result = regraded if regraded is not None else base
            session.add(
                AttemptGrade(
                    attempt_id=attempt.id,
                    key_version=key_version(attempt),
                    reason="review" if regraded is not None else "review_withdrawn",
                    result=result,
                )
            )
            _set_figures(session, attempt, result)
    return review


def _differs(base: dict[str, Any], override: Override) -> bool:
    """An override that agrees with the grader changes nothing and is not recorded."""
    pool = base.get("diagnoses" if override.target == "diagnosis" else "lines", [])
    verdict = next((v for v in pool if override.matches(v)), None)
    if verdict is None:
        raise ReviewError("That item is not on this chart.")
    return bool(verdict.get("correct")) != override.correct


def _set_figures(session: Any, attempt: Attempt, result: dict[str, Any]) -> None:
    attempt.score = float(result["score"])
    attempt.code_correct = int(result["code_correct"])
    attempt.code_total = int(result["code_total"])
    attempt.chart_correct = bool(result["chart_correct"])
    store_errors(session, attempt, result)
    report_summaries.refresh(session, [attempt.user_id])


def reapply(session: Any, attempt: Attempt, result: dict[str, Any], version: int) -> dict[str, Any]:
    """After a key correction's regrade, keep the reviewer's verdicts on items that still match.

    The automatic grade stays as its own row; the reviewed one is added after it and is the
    one that counts.
    """
    review = session.scalar(select(Review).where(Review.attempt_id == attempt.id))
    if review is None or not review.overrides:
        return result
    reviewed = apply_overrides(result, [Override.from_dict(o) for o in review.overrides])
    session.add(
        AttemptGrade(attempt_id=attempt.id, key_version=version, reason="review", result=reviewed)
    )
    return reviewed


__all__ = [
    "DECISIONS",
    "QueueItem",
    "ReviewError",
    "automatic_grade",
    "below_target_pairs",
    "can_review_attempt",
    "record_review",
    "reapply",
    "review_of",
    "review_queue",
]
