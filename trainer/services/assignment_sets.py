"""Assignments themselves: a supervisor gives a cohort a set of charts (practice or a timed
exam), the templates the set draws from, the trainee's list and the cohort's completion.

Apart from the runs (``assignments``: a trainee taking the set, the exam clock) because this
is the supervisor's side, decided before any chart exists: whose cohort it may go to
(``cohorts.can_manage``), and which templates that cohort may draw (``library.may_draw``
through ``cohort_library``). ``assignment_changes`` edits what is created here.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from trainer.core.content.refresher import CodeUpdate
from trainer.core.content.templates import Template, TemplateLibrary
from trainer.core.grading.types import POLICIES
from trainer.core.stats.mastery import TARGET, TARGET_CEILING

from ..database import write_transaction
from ..extensions import db
from ..models import Assignment, AssignmentRun, Cohort, CohortMember, User
from . import audit
from .cohorts import can_manage
from .library import cohort_library
from .practice_deadline import PracticeError

MODES = ("practice", "exam")
MAX_CHARTS = 50


class AssignmentError(PracticeError):
    """A user-facing reason an assignment cannot be created or taken."""


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


def within_allowed(library: TemplateLibrary, allowed: TemplateLibrary) -> TemplateLibrary:
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
    library = within_allowed(library, cohort_library(cohort, supervisor))
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
