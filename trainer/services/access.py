"""Who may see a chart's answer key, grade and score now.

One rule, used by every page, API field, export and error path, so no view decides it alone:

- nobody sees the key (codes, rationales), the grade or the score of a chart not yet submitted;
- the trainee sees their own submitted chart's key, except while its exam is open (an exam
  is open until its run is finished: every chart submitted, "submit the whole exam", or the
  deadline passed and the saved drafts were graded), and except while the other chart of its
  professional + facility pair is still being coded (the two claims share the encounter's
  diagnoses, so the first key would give the second chart's answers away);
- the supervisor of the trainee's cohort, or an administrator, sees a submitted chart's key to
  review it or answer a dispute (``can_review_attempt``).

Open-exam charts also stay out of every figure; that predicate is in ``figures``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select

from ..extensions import db
from ..models import AssignmentRun, Attempt, PracticePair
from .review import can_review_attempt


def exam_is_open(attempt: Attempt) -> bool:
    """True while the attempt belongs to an exam whose run has not finished."""
    if attempt.mode != "exam" or attempt.run_id is None:
        return False
    run = db.session.get(AssignmentRun, attempt.run_id)
    return run is None or run.finished_at is None


def pair_of(attempt_id: int) -> PracticePair | None:
    """The professional + facility pair an attempt belongs to, if any."""
    return db.session.scalar(
        select(PracticePair).where(
            or_(
                PracticePair.professional_attempt_id == attempt_id,
                PracticePair.facility_attempt_id == attempt_id,
            )
        )
    )


def pair_is_open(attempt: Attempt) -> bool:
    """True while the attempt is one chart of a pair whose other chart is still in progress."""
    pair = pair_of(attempt.id)
    if pair is None:
        return False
    other = pair.facility if pair.professional_attempt_id == attempt.id else pair.professional
    return other is not None and other.status == "in_progress"


def may_see_key(viewer: Any, attempt: Attempt) -> bool:
    """May this user see this chart's key, rationale, grade and score now?"""
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return False
    if attempt.status != "submitted":
        return False
    if attempt.user_id == viewer.id:
        return not exam_is_open(attempt) and not pair_is_open(attempt)
    return can_review_attempt(viewer, attempt)
