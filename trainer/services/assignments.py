"""Assignments: a supervisor gives a cohort a set of charts, as practice or as a timed exam.

An exam gives each trainee one fixed variant per chart, hides every grade until the whole set
is finished, and finishes itself when time runs out: whatever was saved before the deadline
(the autosaved draft) is graded then, so no work is lost to the clock and nothing sent after
it counts. The clock is the database's (``clock.database_now``), for the start, the deadline
and every check.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from trainer.core.content.generation import Variant
from trainer.core.content.refresher import CodeUpdate
from trainer.core.content.templates import Template, TemplateLibrary
from trainer.core.grading.types import POLICIES
from trainer.core.stats.mastery import TARGET, TARGET_CEILING

from ..database import write_transaction
from ..extensions import db
from ..models import Assignment, AssignmentRun, Attempt, Cohort, CohortMember, User
from . import audit, practice, report_summaries
from .clock import aware_utc, database_now
from .cohorts import can_manage
from .library import assignment_library, cohort_library
from .lti import grades as lti_grades
from .practice import PracticeError, new_attempt, submit_saved_draft

MODES = ("practice", "exam")
MAX_CHARTS = 50
# Rendering a run's charts must finish well inside the worker timeout (gunicorn: 30 s), or
# the request dies with the run half-built; past this budget the start fails and nothing is
# stored (each render is also bounded on its own when the template is authored).
GENERATION_BUDGET_SECONDS = 10.0


class AssignmentError(PracticeError):
    """A user-facing reason an assignment cannot be created or taken."""


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


def pool(
    library: TemplateLibrary,
    specialty: str,
    difficulty: int | None,
    template_ids: list[str],
    skills: list[str] | None = None,
    code_year: int | None = None,
) -> list[Template]:
    """The templates an assignment draws from: chosen ones, or those matching the filters
    (a template matches the skills filter when it teaches any of the chosen skills)."""
    wanted = set(skills or [])
    if template_ids:
        chosen = [t for t in (library.get(i) for i in template_ids) if t is not None]
    else:
        chosen = sorted(
            (
                t
                for t in library.templates.values()
                if (not specialty or t.specialty == specialty)
                and (difficulty is None or t.difficulty == difficulty)
                and (not wanted or wanted & set(t.skills))
            ),
            key=lambda t: t.id,
        )
    return [t for t in chosen if code_year is None or code_year in t.code_years]


def run_pool(assignment: Assignment, library: TemplateLibrary) -> list[Template]:
    return pool(
        library,
        assignment.specialty,
        assignment.difficulty,
        assignment.template_ids,
        list(assignment.skills or []),
        assignment.code_year,
    )


def _within(library: TemplateLibrary, allowed: TemplateLibrary) -> TemplateLibrary:
    """The caller's library cut down to what the cohort may draw (``library.may_draw``)."""
    return TemplateLibrary(
        {k: t for k, t in library.templates.items() if k in allowed.templates}, []
    )


def create_assignment(
    supervisor: User,
    cohort_id: int,
    title: str,
    library: TemplateLibrary,
    *,
    specialty: str = "",
    difficulty: int | None = None,
    template_ids: list[str] | None = None,
    chart_count: int = 5,
    mode: str = "practice",
    policy: str = "strict",
    time_limit_minutes: int | None = None,
    target: float = TARGET,
    due_at: datetime | None = None,
    skills: list[str] | None = None,
    code_year: int | None = None,
    refresher: str = "",
) -> Assignment:
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or not can_manage(supervisor, cohort):
        raise AssignmentError("Choose one of your cohorts.")
    if not title.strip() or len(title) > 120:
        raise AssignmentError("Give the assignment a title (at most 120 characters).")
    if mode not in MODES or policy not in POLICIES:
        raise AssignmentError("Mode is practice or exam; scoring is strict, audit or exam.")
    if not 1 <= chart_count <= MAX_CHARTS:
        raise AssignmentError(f"An assignment has 1 to {MAX_CHARTS} charts.")
    if mode == "exam" and not (time_limit_minutes and 1 <= time_limit_minutes <= 600):
        raise AssignmentError("A timed exam needs a time limit from 1 to 600 minutes.")
    if not TARGET <= target <= TARGET_CEILING:
        raise AssignmentError(
            f"The target accuracy is {TARGET:.0%} (the industry benchmark) to "
            f"{TARGET_CEILING:.0%} (elite)."
        )
    if refresher and CodeUpdate.from_slug(refresher) is None:
        raise AssignmentError("Unknown code update.")
    # Whatever the caller offers, only what this cohort may draw is assignable: a supervisor's
    # private template stays in that supervisor's cohorts unless an administrator published it.
    library = _within(library, cohort_library(cohort, supervisor))
    foreign = [i for i in template_ids or [] if library.get(i) is None]
    if foreign:
        raise AssignmentError(
            f"{len(foreign)} chosen template(s) cannot be assigned to this cohort: a "
            "supervisor's own template is for that supervisor's cohorts unless an "
            "administrator publishes it."
        )
    if not pool(library, specialty, difficulty, template_ids or [], skills, code_year):
        raise AssignmentError("No templates match those filters.")
    with write_transaction(db.session) as session:
        assignment = Assignment(
            cohort_id=cohort_id,
            title=title.strip(),
            specialty=specialty,
            difficulty=difficulty,
            template_ids=list(template_ids or []),
            chart_count=chart_count,
            mode=mode,
            policy=policy,
            time_limit_minutes=time_limit_minutes if mode == "exam" else None,
            target=target,
            due_at=due_at,
            skills=sorted(set(skills or [])),
            code_year=code_year,
            refresher=refresher,
            created_by=supervisor.id,
        )
        session.add(assignment)
        session.flush()
        audit.record(
            session,
            supervisor,
            "assignment.create",
            "assignment",
            assignment.id,
            f"{assignment.title!r} for cohort {cohort_id}",
        )
    return assignment


def assignments_for(user: User) -> list[Assignment]:
    """The assignments of the trainee's cohort, newest first."""
    cohort_id = db.session.scalar(
        select(CohortMember.cohort_id).where(CohortMember.user_id == user.id)
    )
    if cohort_id is None:
        return []
    return list(
        db.session.scalars(
            select(Assignment)
            .where(Assignment.cohort_id == cohort_id)
            .order_by(Assignment.created_at.desc())
        )
    )


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
    templates = run_pool(assignment, _within(library, assignment_library(assignment)))
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


def completion(assignment: Assignment) -> tuple[int, int, int]:
    """(trainees in the cohort, runs started, runs finished)."""
    members = (
        db.session.scalar(
            select(func.count(CohortMember.id)).where(
                CohortMember.cohort_id == assignment.cohort_id
            )
        )
        or 0
    )
    started = (
        db.session.scalar(
            select(func.count(AssignmentRun.id)).where(AssignmentRun.assignment_id == assignment.id)
        )
        or 0
    )
    finished = (
        db.session.scalar(
            select(func.count(AssignmentRun.id)).where(
                AssignmentRun.assignment_id == assignment.id, AssignmentRun.finished_at.is_not(None)
            )
        )
        or 0
    )
    return int(members), int(started), int(finished)
