"""Assignments: a supervisor gives a cohort a set of charts, as practice or as a timed exam.

An exam gives each trainee one fixed variant per chart, hides every grade until the whole set
is finished, and finishes itself when time runs out: whatever was typed (the autosaved draft)
is graded then, so no work is lost to the clock.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from trainer.core.content.refresher import CodeUpdate
from trainer.core.content.templates import Template, TemplateLibrary
from trainer.core.grading.entry import entry_from_mapping, parse_entry
from trainer.core.grading.types import POLICIES
from trainer.core.stats.mastery import TARGET, TARGET_CEILING

from ..core.claims import Claim, ServiceLine
from ..database import write_transaction
from ..extensions import db
from ..models import Assignment, AssignmentRun, Attempt, Cohort, CohortMember, User, utcnow
from .practice import PracticeError, start_attempt, submit_attempt

MODES = ("practice", "exam")
MAX_CHARTS = 50


class AssignmentError(PracticeError):
    """A user-facing reason an assignment cannot be created or taken."""


@dataclass(frozen=True)
class RunStatus:
    run: AssignmentRun
    attempts: list[Attempt]
    submitted: int
    finished: bool
    seconds_left: int | None


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes; every stored time is UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


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
    if cohort is None or (cohort.supervisor_id != supervisor.id and not supervisor.is_admin):
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


def start_run(assignment: Assignment, user: User, library: TemplateLibrary) -> AssignmentRun:
    """Create the trainee's run and all its charts at once (idempotent: returns an existing run).

    The variants are fixed from the assignment and trainee, so a reload or a second device
    shows the same charts, and two trainees do not share one answer sheet.
    """
    if assignment not in assignments_for(user):
        raise AssignmentError("That assignment is not for your cohort.")
    existing = db.session.scalar(
        select(AssignmentRun).where(
            AssignmentRun.assignment_id == assignment.id, AssignmentRun.user_id == user.id
        )
    )
    if existing is not None:
        return existing
    templates = run_pool(assignment, library)
    if not templates:
        raise AssignmentError("The templates of this assignment are no longer available.")
    update = CodeUpdate.from_slug(assignment.refresher) if assignment.refresher else None
    rng = random.Random(assignment.id * 1_000_003 + user.id)
    chosen = [templates[i % len(templates)] for i in range(assignment.chart_count)]
    rng.shuffle(chosen)
    now = utcnow()
    deadline = (
        now + timedelta(minutes=assignment.time_limit_minutes)
        if (assignment.mode == "exam" and assignment.time_limit_minutes)
        else None
    )
    with write_transaction(db.session) as session:
        run = AssignmentRun(
            assignment_id=assignment.id, user_id=user.id, started_at=now, deadline_at=deadline
        )
        session.add(run)
    for template in chosen:
        attempt = start_attempt(
            user.id,
            template,
            seed=rng.randrange(2**31),
            mode=assignment.mode,
            policy=assignment.policy,
            reason=f"Assignment: {assignment.title}",
            year=assignment.code_year,
            between=update.window if update else None,
            course=assignment.refresher,
        )
        with write_transaction(db.session):
            attempt.run_id = run.id
    return run


def _draft_claim(attempt: Attempt) -> Claim:
    """What the trainee had typed when the clock ran out; entries that do not parse are dropped."""
    facility = attempt.setting == "facility"
    dx, lines = entry_from_mapping(attempt.draft or {})
    claim, _ = parse_entry(dx, lines, facility)
    if claim is not None:
        return claim
    keep_dx = [d for d in dx if d.strip() and parse_entry([d], [], facility)[0] is not None]
    kept = parse_entry(keep_dx, [], facility)[0]
    keep_lines: list[ServiceLine] = []
    for line in lines:
        parsed, _ = parse_entry(keep_dx, [line], facility)
        if parsed is not None:
            keep_lines.extend(parsed.lines)
    return Claim(kept.diagnoses if kept else (), tuple(keep_lines))


def finish_run(run: AssignmentRun, catalog: Any) -> None:
    """Grade every chart not yet submitted from its saved draft, then open the feedback."""
    for attempt in db.session.scalars(
        select(Attempt).where(Attempt.run_id == run.id, Attempt.status == "in_progress")
    ):
        elapsed = int((utcnow() - _aware(attempt.started_at)).total_seconds())  # type: ignore[operator]
        submit_attempt(attempt.id, attempt.user_id, _draft_claim(attempt), elapsed, catalog)
    with write_transaction(db.session):
        if run.finished_at is None:
            run.finished_at = utcnow()


def run_status(run: AssignmentRun, catalog: Any) -> RunStatus:
    """The run as the trainee sees it; an exam past its deadline finishes itself here."""
    deadline = _aware(run.deadline_at)
    if run.finished_at is None and deadline is not None and utcnow() >= deadline:
        finish_run(run, catalog)
    attempts = list(
        db.session.scalars(select(Attempt).where(Attempt.run_id == run.id).order_by(Attempt.id))
    )
    submitted = sum(1 for a in attempts if a.status == "submitted")
    if run.finished_at is None and attempts and submitted == len(attempts):
        with write_transaction(db.session):
            run.finished_at = utcnow()
    left = None
    if deadline is not None and run.finished_at is None:
        left = max(0, int((deadline - utcnow()).total_seconds()))
    return RunStatus(run, attempts, submitted, run.finished_at is not None, left)


def feedback_hidden(attempt: Attempt) -> bool:
    """Exam grades stay hidden until the whole set is finished."""
    if attempt.mode != "exam" or attempt.run_id is None:
        return False
    run = db.session.get(AssignmentRun, attempt.run_id)
    return run is not None and run.finished_at is None


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
