"""Changing an assignment after it is set: edit, close early, delete, duplicate.

The rule behind each refusal is that nothing a trainee has done may change under them: the
time limit is fixed once anyone started (their clock is already running against it), and an
assignment is deleted only while nobody started it (otherwise it is closed instead, which
keeps every run, chart and grade). Every change goes in the audit log.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from trainer.core.content.templates import TemplateLibrary

from ..database import write_transaction
from ..extensions import db
from ..models import Assignment, AssignmentRun, User
from . import audit
from .assignments import AssignmentError, create_assignment
from .clock import database_now
from .cohorts import can_manage


def managed_assignment(viewer: User, assignment_id: int) -> Assignment | None:
    """The assignment when the viewer manages its cohort; None otherwise (callers 404)."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or not can_manage(viewer, assignment.cohort):
        return None
    return assignment


def runs_started(assignment: Assignment) -> int:
    return int(
        db.session.scalar(
            select(func.count(AssignmentRun.id)).where(AssignmentRun.assignment_id == assignment.id)
        )
        or 0
    )


def _require(viewer: User, assignment: Assignment) -> None:
    if not can_manage(viewer, assignment.cohort):
        raise AssignmentError("You can change assignments of your own cohorts only.")


def edit_assignment(
    viewer: User,
    assignment: Assignment,
    title: str,
    due_at: datetime | None,
    time_limit_minutes: int | None,
) -> list[str]:
    """Change the title and due date (any time) and an exam's time limit (before anyone
    started). Returns what changed, for the message and the log."""
    _require(viewer, assignment)
    title = title.strip()
    if not title or len(title) > 120:
        raise AssignmentError("Give the assignment a title (at most 120 characters).")
    changed = []
    if assignment.mode == "exam":
        if not (time_limit_minutes and 1 <= time_limit_minutes <= 600):
            raise AssignmentError("A timed exam needs a time limit from 1 to 600 minutes.")
        if time_limit_minutes != assignment.time_limit_minutes:
            if runs_started(assignment):
                raise AssignmentError(
                    "The time limit is fixed once a trainee has started: their clock already "
                    "runs against it."
                )
            changed.append(
                f"time limit {assignment.time_limit_minutes} -> {time_limit_minutes} min"
            )
    elif time_limit_minutes:
        raise AssignmentError("Only a timed exam has a time limit.")
    if title != assignment.title:
        changed.append(f"title {assignment.title!r} -> {title!r}")
    if due_at != assignment.due_at:
        old = assignment.due_at.strftime("%Y-%m-%d") if assignment.due_at else "none"
        new = due_at.strftime("%Y-%m-%d") if due_at else "none"
        if old != new:
            changed.append(f"due {old} -> {new}")
    if not changed:
        return []
    with write_transaction(db.session) as session:
        assignment.title = title
        assignment.due_at = due_at
        if assignment.mode == "exam":
            assignment.time_limit_minutes = time_limit_minutes
        audit.record(
            session, viewer, "assignment.edit", "assignment", assignment.id, "; ".join(changed)
        )
    return changed


def close_assignment(viewer: User, assignment: Assignment) -> None:
    """Nobody starts it from now on; runs already started keep going to their own end."""
    _require(viewer, assignment)
    if assignment.closed_at is not None:
        raise AssignmentError("This assignment is already closed.")
    with write_transaction(db.session) as session:
        assignment.closed_at = database_now(session)
        audit.record(
            session, viewer, "assignment.close", "assignment", assignment.id, assignment.title
        )


def delete_assignment(viewer: User, assignment: Assignment, confirmation: str) -> None:
    """Delete an assignment nobody started; ``confirmation`` must repeat its title."""
    _require(viewer, assignment)
    if confirmation.strip() != assignment.title:
        raise AssignmentError("Type the assignment's title to confirm deleting it.")
    with write_transaction(db.session) as session:
        started = session.scalar(
            select(func.count(AssignmentRun.id)).where(AssignmentRun.assignment_id == assignment.id)
        )
        if started:
            raise AssignmentError(
                "A trainee has started this assignment, so it cannot be deleted (their charts "
                "and grades would go with it); close it instead."
            )
        audit.record(
            session,
            viewer,
            "assignment.delete",
            "assignment",
            assignment.id,
            f"{assignment.title!r} of cohort {assignment.cohort_id}",
        )
        session.delete(assignment)


def duplicate_assignment(
    viewer: User, assignment: Assignment, cohort_id: int, library: TemplateLibrary
) -> Assignment:
    """The same set for another cohort the viewer manages (its own checks apply: the cohort,
    and which templates that cohort may draw)."""
    _require(viewer, assignment)
    if cohort_id == assignment.cohort_id:
        raise AssignmentError("Choose another cohort to copy the assignment to.")
    copy = create_assignment(
        viewer,
        cohort_id,
        assignment.title,
        library,
        specialty=assignment.specialty,
        difficulty=assignment.difficulty,
        template_ids=list(assignment.template_ids or []),
        chart_count=assignment.chart_count,
        mode=assignment.mode,
        policy=assignment.policy,
        time_limit_minutes=assignment.time_limit_minutes,
        target=assignment.target,
        due_at=assignment.due_at,
        skills=list(assignment.skills or []),
        code_year=assignment.code_year,
        refresher=assignment.refresher,
    )
    with write_transaction(db.session) as session:
        audit.record(
            session,
            viewer,
            "assignment.duplicate",
            "assignment",
            copy.id,
            f"copy of {assignment.id} for cohort {cohort_id}",
        )
    return copy
