"""Practice use cases: start a chart, keep the draft, submit once, grade.

This module starts a chart (a generated variant stored whole), resumes, skips and saves the
draft; the submit and its grade are in ``practice_submit``, the draft read back as a claim in
``practice_drafts`` and the exam deadline every write checks in ``practice_deadline``. Their
names are re-exported here, where callers have always found them.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import select, update

from trainer.core.content.generation import Variant, generate
from trainer.core.content.templates import Template, TemplateLibrary

from ..core.content.sandbox import RenderLimitError
from ..database import rows_changed, write_transaction
from ..extensions import db
from ..models import Attempt, CohortMember
from .keys import current_key, variant_of
from .practice_deadline import ExamClosedError, PracticeError, exam_closed_at, refuse_after_deadline
from .practice_drafts import draft_claim
from .practice_submit import (
    SubmitOutcome,
    grade_attempt,
    patient_facts,
    store_errors,
    submit_attempt,
    submit_saved_draft,
)

__all__ = [
    "ExamClosedError",
    "PracticeError",
    "SubmitOutcome",
    "abandon_attempt",
    "choose_template",
    "current_grade",
    "current_key",
    "draft_claim",
    "exam_closed_at",
    "grade_attempt",
    "make_variant",
    "new_attempt",
    "open_attempt",
    "patient_facts",
    "refuse_after_deadline",
    "save_draft",
    "start_attempt",
    "store_errors",
    "submit_attempt",
    "submit_saved_draft",
    "variant_of",
]


def choose_template(
    library: TemplateLibrary, specialty: str, rng: random.Random, difficulty: int | None = None
) -> Template:
    """Pick a template of the specialty (and difficulty, when asked) at random."""
    pool = library.by_specialty().get(specialty, [])
    if difficulty is not None:
        pool = [t for t in pool if t.difficulty == difficulty] or pool
    if not pool:
        raise PracticeError(f"No exercises are available for {specialty!r}.")
    return rng.choice(sorted(pool, key=lambda t: t.id))


def open_attempt(user_id: int, specialty: str) -> Attempt | None:
    """The trainee's unfinished practice chart in this specialty, if any (resume, not restart)."""
    return db.session.scalar(
        select(Attempt)
        .where(
            Attempt.user_id == user_id,
            Attempt.specialty == specialty,
            Attempt.status == "in_progress",
            Attempt.mode == "practice",
            Attempt.run_id.is_(None),
        )
        .order_by(Attempt.id.desc())
        .limit(1)
    )


def start_attempt(
    user_id: int,
    template: Template,
    *,
    seed: int | None = None,
    mode: str = "practice",
    policy: str = "strict",
    reason: str = "",
    year: int | None = None,
    between: tuple[date, date] | None = None,
    course: str = "",
    cohort_id: int | None = None,
    choices: Mapping[str, str] | None = None,
) -> Attempt:
    """Generate a variant and store it whole, so later template edits never change it.

    ``year`` (a calendar year of service) or ``between`` (a date range, for a refresher)
    choose the date of service; ``course`` marks a refresher chart, reported apart;
    ``choices`` (variable -> alternative label) fixes the variant, for a review or a drill.
    ``cohort_id`` is the cohort the chart belongs to (an assignment's); by default the
    trainee's current cohort. Key corrections reach a chart through it.
    """
    seed = secrets.randbelow(2**31) if seed is None else seed
    if cohort_id is None:
        cohort_id = db.session.scalar(
            select(CohortMember.cohort_id).where(CohortMember.user_id == user_id)
        )
    variant = make_variant(template, seed, choices=choices, year=year, between=between)
    with write_transaction(db.session) as session:
        attempt = new_attempt(
            user_id, template, variant, mode, policy, reason, course, cohort_id=cohort_id
        )
        session.add(attempt)
    return attempt


def make_variant(
    template: Template,
    seed: int,
    *,
    choices: Mapping[str, str] | None = None,
    year: int | None = None,
    between: tuple[date, date] | None = None,
) -> Variant:
    """Render one chart of a template (kept apart so a run can render all its charts first).

    An authored template over its render budget is a PracticeError with the reason, not a 500.
    """
    try:
        return generate(template, seed, choices=choices, year=year, between=between)
    except RenderLimitError as exc:
        raise PracticeError(f"The chart {template.title!r} cannot be rendered: {exc}.") from exc


def new_attempt(
    user_id: int,
    template: Template,
    variant: Variant,
    mode: str = "practice",
    policy: str = "strict",
    reason: str = "",
    course: str = "",
    *,
    cohort_id: int | None = None,
) -> Attempt:
    """An unsaved attempt holding the whole variant; the caller adds it in its transaction."""
    return Attempt(
        user_id=user_id,
        template_id=template.id,
        template_version=template.version,
        seed=variant.seed,
        specialty=template.specialty,
        setting=template.setting,
        difficulty=template.difficulty,
        mode=mode,
        policy=policy,
        variant=variant.to_dict(),
        chosen_because=reason[:300],
        course=course[:32],
        cohort_id=cohort_id,
    )


def abandon_attempt(attempt: Attempt) -> None:
    """Skip a chart: it is kept as abandoned and never counts toward accuracy."""
    with write_transaction(db.session):
        db.session.execute(
            update(Attempt)
            .where(Attempt.id == attempt.id, Attempt.status == "in_progress")
            .values(status="abandoned")
        )


def save_draft(attempt: Attempt, draft: dict[str, Any]) -> bool:
    """Keep what the trainee has typed so far; a submitted attempt's draft is frozen, and an
    exam's draft is frozen at its deadline (ExamClosedError)."""
    with write_transaction(db.session) as session:
        refuse_after_deadline(attempt, session)
        result = db.session.execute(
            update(Attempt)
            .where(Attempt.id == attempt.id, Attempt.status == "in_progress")
            .values(draft=draft)
        )
    return bool(rows_changed(result))


def current_grade(attempt: Attempt) -> dict[str, Any] | None:
    """The newest grade of an attempt (after any regrade or override)."""
    return attempt.grades[-1].result if attempt.grades else None
