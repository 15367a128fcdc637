"""The exam deadline as every write of an answer checks it, and the errors practice raises.

Every write of an answer (the draft autosave and the submit, from the web or the API) checks
an exam's deadline inside its write transaction, against the database's clock: after the
bell nothing the trainee sends is stored, and the exam is graded from the draft saved before.
Its own module because both halves of practice check it (``practice``: the draft;
``practice_submit``: the submit), and the views ask it before they read a form.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, scoped_session

from ..extensions import db
from ..models import AssignmentRun, Attempt
from .clock import aware_utc, database_now


class PracticeError(ValueError):
    """A user-facing reason a practice action cannot be done."""


class ExamClosedError(PracticeError):
    """An answer or draft arrived after the exam's deadline; it was not stored."""

    def __init__(self, closed_at: datetime) -> None:
        self.closed_at = closed_at
        super().__init__(
            f"The exam closed at {closed_at:%H:%M:%S} UTC on {closed_at:%d %b %Y}; "
            "nothing sent after that is accepted. What you had saved before then is graded."
        )


def exam_closed_at(
    attempt: Attempt, session: Session | scoped_session | None = None
) -> datetime | None:
    """The deadline of the attempt's exam once it has passed (by the database's clock)."""
    if attempt.run_id is None:
        return None
    session = session or db.session
    deadline = aware_utc(
        session.scalar(select(AssignmentRun.deadline_at).where(AssignmentRun.id == attempt.run_id))
    )
    if deadline is not None and database_now(session) >= deadline:
        return deadline
    return None


def refuse_after_deadline(
    attempt: Attempt, session: Session | scoped_session | None = None
) -> None:
    """Raise ExamClosedError when the attempt's exam deadline has passed."""
    closed = exam_closed_at(attempt, session)
    if closed is not None:
        raise ExamClosedError(closed)
