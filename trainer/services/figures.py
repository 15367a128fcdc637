"""Which charts count in the figures: one predicate for every figure a user can read.

A chart of an exam still open counts nowhere (progress, weakest area, spaced review, drills,
the review sample, reports, CSV): a figure moving while the exam runs would tell the trainee
how an exam answer was graded before the exam closes. It counts once the exam is finished.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, select

from ..models import AssignmentRun, Attempt, AttemptError


def open_exam_runs() -> Select[Any]:
    """Ids of runs not finished yet (every exam in progress)."""
    return select(AssignmentRun.id).where(AssignmentRun.finished_at.is_(None))


def open_exam_attempts() -> Select[Any]:
    """Ids of the charts of exams still open: few, so excluding them by id stays cheap and
    lets the report keep reading its covering index (the row id is in every SQLite index)."""
    return select(Attempt.id).where(Attempt.mode == "exam", Attempt.run_id.in_(open_exam_runs()))


def counted() -> tuple[ColumnElement[bool], ...]:
    """Charts whose grade may move a figure: submitted, and not part of an open exam."""
    return (Attempt.status == "submitted", Attempt.id.not_in(open_exam_attempts()))


def practice_figures() -> tuple[ColumnElement[bool], ...]:
    """Counted charts of ordinary practice and assignments (refresher charts count apart)."""
    return (*counted(), Attempt.course == "")


def counted_errors() -> ColumnElement[bool]:
    """Error rows of counted charts only (the error ranking, drills, the cohort's errors)."""
    return AttemptError.attempt_id.not_in(open_exam_attempts())
