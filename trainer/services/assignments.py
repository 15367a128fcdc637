"""Assignments: a supervisor gives a cohort a set of charts, as practice or as a timed exam.

An exam gives each trainee one fixed variant per chart, hides every grade until the whole set
is finished, and finishes itself when time runs out: whatever was saved before the deadline
(the autosaved draft) is graded then, so no work is lost to the clock and nothing sent after
it counts. The clock is the database's (``clock.database_now``), for the start, the deadline
and every check.

This module is the runs (start, finish, status); the assignment itself (creating one, its
template pool, the trainee's list, completion) is in ``assignment_sets``, whose names are
re-exported here, where callers have always found them.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from trainer.core.content.generation import Variant
from trainer.core.content.refresher import CodeUpdate
from trainer.core.content.templates import Template, TemplateLibrary

from ..database import write_transaction
from ..extensions import db
from ..models import Assignment, AssignmentRun, Attempt, User
from . import practice, report_summaries
from .assignment_sets import (
    MAX_CHARTS,
    MODES,
    AssignmentError,
    assignments_for,
    completion,
    create_assignment,
    pool,
    run_pool,
    within_allowed,
)
from .clock import aware_utc, database_now
from .library import assignment_library
from .lti import grades as lti_grades
from .practice import new_attempt, submit_saved_draft

__all__ = [
    "MAX_CHARTS",
    "MODES",
    "AssignmentClosed",
    "AssignmentError",
    "RunBuildError",
    "RunStatus",
    "assignments_for",
    "completion",
    "create_assignment",
    "finish_run",
    "pool",
    "run_pool",
    "run_status",
    "start_run",
]

# Rendering a run's charts must finish well inside the worker timeout (gunicorn: 30 s), or
# the request dies with the run half-built; past this budget the start fails and nothing is
# stored (each render is also bounded on its own when the template is authored).
GENERATION_BUDGET_SECONDS = 10.0


class AssignmentClosed(AssignmentError):
    """The supervisor closed the assignment early; nobody new may start it."""


class RunBuildError(AssignmentError):
    """The charts of a run could not be rendered (in time); no run and no clock exist."""


@dataclass(frozen=True)
class RunStatus:
    run: AssignmentRun
    attempts: list[Attempt]
    submitted: int
    finished: bool
    seconds_left: int | None


def start_run(
    assignment: Assignment,
    user: User,
    library: TemplateLibrary,
    budget_seconds: float | None = None,
) -> AssignmentRun:
    """Create the trainee's run and all its charts at once (idempotent: returns an existing run).

    The variants are fixed from the assignment and trainee, so a reload or a second device
    shows the same charts, and two trainees do not share one answer sheet. Every chart is
    rendered first, within a time budget; then the run, its charts and its clock are stored
    in one transaction, so either the whole exam exists with its clock running or nothing does.
    """
    if assignment not in assignments_for(user):
        raise AssignmentError("That assignment is not for your cohort.")
    existing = _run_of(assignment, user)
    if existing is not None:
        return existing
    if assignment.closed_at is not None:
        raise AssignmentClosed(
            "Your supervisor closed this assignment; it can no longer be started."
        )
    templates = run_pool(assignment, within_allowed(library, assignment_library(assignment)))
    if not templates:
        raise AssignmentError("The templates of this assignment are no longer available.")
    rng = random.Random(assignment.id * 1_000_003 + user.id)
    chosen = [templates[i % len(templates)] for i in range(assignment.chart_count)]
    rng.shuffle(chosen)
    charts = _render_charts(assignment, chosen, rng, budget_seconds)
    with write_transaction(db.session) as session:
        existing = _run_of(assignment, user)  # a second tab may have won the race
        if existing is not None:
            return existing
        now = database_now(session)
        deadline = (
            now + timedelta(minutes=assignment.time_limit_minutes)
            if (assignment.mode == "exam" and assignment.time_limit_minutes)
            else None
        )
        run = AssignmentRun(
            assignment_id=assignment.id, user_id=user.id, started_at=now, deadline_at=deadline
        )
        session.add(run)
        session.flush()
        for template, variant in charts:
            attempt = new_attempt(
                user.id,
                template,
                variant,
                mode=assignment.mode,
                policy=assignment.policy,
                reason=f"Assignment: {assignment.title}",
                course=assignment.refresher,
                cohort_id=assignment.cohort_id,
            )
            attempt.run_id = run.id
            attempt.started_at = now
            session.add(attempt)
    return run


def _run_of(assignment: Assignment, user: User) -> AssignmentRun | None:
    return db.session.scalar(
        select(AssignmentRun).where(
            AssignmentRun.assignment_id == assignment.id, AssignmentRun.user_id == user.id
        )
    )


def _render_charts(
    assignment: Assignment,
    chosen: list[Template],
    rng: random.Random,
    budget_seconds: float | None,
) -> list[tuple[Template, Variant]]:
    """Every chart of the run, rendered before anything is stored; RunBuildError past the
    time budget or on a template that does not render."""
    budget = GENERATION_BUDGET_SECONDS if budget_seconds is None else budget_seconds
    update = CodeUpdate.from_slug(assignment.refresher) if assignment.refresher else None
    started = time.monotonic()
    charts = []
    for template in chosen:
        try:
            variant = practice.make_variant(
                template,
                rng.randrange(2**31),
                year=assignment.code_year,
                between=update.window if update else None,
            )
        except Exception as exc:  # a broken template must not become a 500 mid-exam
            raise RunBuildError(
                f"A chart of this assignment ({template.title}) could not be prepared, so the "
                "assignment was not started and no clock is running. Tell your supervisor."
            ) from exc
        charts.append((template, variant))
        if time.monotonic() - started > budget:
            raise RunBuildError(
                "Preparing the charts of this assignment took too long, so it was not started "
                "and no clock is running. Try again later or tell your supervisor."
            )
    return charts


def finish_run(run: AssignmentRun, catalog: Any) -> None:
    """Grade every chart not yet submitted from the draft saved before the end, then open the
    feedback. The end is the deadline when it has passed, otherwise now (the trainee chose
    to submit the whole exam)."""
    now = database_now()
    deadline = aware_utc(run.deadline_at)
    ended = min(now, deadline) if deadline is not None else now
    pending = db.session.scalars(
        select(Attempt).where(Attempt.run_id == run.id, Attempt.status == "in_progress")
    ).all()
    for attempt in pending:
        submit_saved_draft(attempt, catalog, ended)
    with write_transaction(db.session) as session:
        if run.finished_at is None:
            run.finished_at = ended
            # The exam's charts count from now on.
            report_summaries.refresh(session, [run.user_id])
    lti_grades.run_finished(run)


def run_status(run: AssignmentRun, catalog: Any) -> RunStatus:
    """The run as the trainee sees it; an exam past its deadline finishes itself here."""
    deadline = aware_utc(run.deadline_at)
    now = database_now()
    if run.finished_at is None and deadline is not None and now >= deadline:
        finish_run(run, catalog)
    attempts = list(
        db.session.scalars(select(Attempt).where(Attempt.run_id == run.id).order_by(Attempt.id))
    )
    submitted = sum(1 for a in attempts if a.status == "submitted")
    if run.finished_at is None and attempts and submitted == len(attempts):
        with write_transaction(db.session) as session:
            run.finished_at = database_now(session)
            report_summaries.refresh(session, [run.user_id])
        lti_grades.run_finished(run)
    left = None
    if deadline is not None and run.finished_at is None:
        left = max(0, int((deadline - now).total_seconds()))
    return RunStatus(run, attempts, submitted, run.finished_at is not None, left)
