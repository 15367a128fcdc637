"""Practice use cases: start a chart, keep the draft, submit once, grade."""

from __future__ import annotations

import random
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete, select, update

from trainer.core.content.generation import Variant, generate
from trainer.core.content.templates import Template, TemplateLibrary
from trainer.core.grading.grader import PatientFacts, grade

from ..core.claims import Claim
from ..database import rows_changed, write_transaction
from ..extensions import db
from ..models import Attempt, AttemptError, AttemptGrade, utcnow
from .keys import current_key, key_version, variant_of


class PracticeError(ValueError):
    """A user-facing reason a practice action cannot be done."""


@dataclass(frozen=True)
class SubmitOutcome:
    attempt: Attempt
    first_time: bool  # False when this was a repeated (double) submit


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
    choices: Mapping[str, str] | None = None,
) -> Attempt:
    """Generate a variant and store it whole, so later template edits never change it.

    ``year`` (a calendar year of service) or ``between`` (a date range, for a refresher)
    choose the date of service; ``course`` marks a refresher chart, reported apart;
    ``choices`` (variable -> alternative label) fixes the variant, for a review or a drill.
    """
    seed = secrets.randbelow(2**31) if seed is None else seed
    variant = generate(template, seed, choices=choices, year=year, between=between)
    with write_transaction(db.session) as session:
        attempt = Attempt(
            user_id=user_id,
            template_id=template.id,
            template_version=template.version,
            seed=seed,
            specialty=template.specialty,
            setting=template.setting,
            difficulty=template.difficulty,
            mode=mode,
            policy=policy,
            variant=variant.to_dict(),
            chosen_because=reason[:300],
            course=course[:32],
        )
        session.add(attempt)
    return attempt


def abandon_attempt(attempt: Attempt) -> None:
    """Skip a chart: it is kept as abandoned and never counts toward accuracy."""
    with write_transaction(db.session):
        db.session.execute(
            update(Attempt)
            .where(Attempt.id == attempt.id, Attempt.status == "in_progress")
            .values(status="abandoned")
        )


def save_draft(attempt: Attempt, draft: dict[str, Any]) -> bool:
    """Keep what the trainee has typed so far; a submitted attempt's draft is frozen."""
    with write_transaction(db.session):
        result = db.session.execute(
            update(Attempt)
            .where(Attempt.id == attempt.id, Attempt.status == "in_progress")
            .values(draft=draft)
        )
    return bool(rows_changed(result))


def patient_facts(variant: Variant) -> PatientFacts:
    return PatientFacts(
        age=variant.patient.age, sex=variant.patient.sex, payer=variant.patient.payer
    )


def grade_attempt(attempt: Attempt, answer: Claim, catalog: Any) -> dict[str, Any]:
    """Grade an answer against the key stored with the attempt (never the current template)."""
    variant = variant_of(attempt)
    result = grade(
        current_key(attempt),
        answer,
        attempt.policy,  # type: ignore[arg-type]
        variant.date_of_service,
        catalog=catalog,
        patient=patient_facts(variant),
    )
    return result.to_dict()


def submit_attempt(
    attempt_id: int, user_id: int, answer: Claim, seconds: int, catalog: Any
) -> SubmitOutcome:
    """Record the answer and its grade exactly once.

    The status flip is a conditional UPDATE inside one write transaction, so a double-clicked
    submit, two tabs, or two workers racing each other record one attempt and one grade; the
    loser is told the chart was already submitted. A crash before commit leaves nothing.
    """
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != user_id:
        raise PracticeError("That chart does not exist.")
    graded = grade_attempt(attempt, answer, catalog)
    with write_transaction(db.session) as session:
        flipped = rows_changed(
            session.execute(
                update(Attempt)
                .where(Attempt.id == attempt_id, Attempt.status == "in_progress")
                .values(
                    status="submitted",
                    answer=answer.to_dict(),
                    submitted_at=utcnow(),
                    seconds_spent=max(0, min(int(seconds), 24 * 3600)),
                    score=float(graded["score"]),
                    code_correct=int(graded["code_correct"]),
                    code_total=int(graded["code_total"]),
                    chart_correct=bool(graded["chart_correct"]),
                )
            )
        )
        if flipped:
            version = key_version(attempt.template_id)
            session.add(AttemptGrade(attempt_id=attempt_id, key_version=version, result=graded))
            store_errors(session, attempt, graded)
    db.session.refresh(attempt)
    return SubmitOutcome(attempt, bool(flipped))


def store_errors(session: Any, attempt: Attempt, graded: dict[str, Any]) -> None:
    session.execute(delete(AttemptError).where(AttemptError.attempt_id == attempt.id))
    for err in graded.get("errors", []):
        expected = str(err.get("expected") or err.get("given") or "")
        session.add(
            AttemptError(
                attempt_id=attempt.id,
                user_id=attempt.user_id,
                specialty=attempt.specialty,
                error_type=str(err.get("type", "unknown"))[:32],
                code_family=expected.replace(".", "")[:3],
                explanation=str(err.get("explanation", ""))[:2000],
            )
        )


def current_grade(attempt: Attempt) -> dict[str, Any] | None:
    """The newest grade of an attempt (after any regrade or override)."""
    return attempt.grades[-1].result if attempt.grades else None
