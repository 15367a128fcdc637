"""Submitting and grading a practice or exam chart, exactly once, in one transaction.

Apart from starting a chart (``practice``) because this is the write that must never half
happen: the grade against the key stored with the attempt, the status flip, the grade row,
the error rows, the cost figures and the report sums are written in one transaction (and the
exam deadline checked in it). ``store_errors`` is shared with the regrades (review
overrides, key corrections), which rewrite the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, update

from trainer.core.content.generation import Variant
from trainer.core.grading.grader import PatientFacts, grade

from ..core.claims import Claim
from ..database import rows_changed, write_transaction
from ..extensions import db
from ..models import Attempt, AttemptError, AttemptGrade, utcnow
from . import report_summaries
from .clock import aware_utc
from .costs import attach_costs, set_cost_figures
from .keys import current_key, key_version, variant_of
from .practice_deadline import PracticeError, refuse_after_deadline
from .practice_drafts import draft_claim


@dataclass(frozen=True)
class SubmitOutcome:
    attempt: Attempt
    first_time: bool  # False when this was a repeated (double) submit


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
    return attach_costs(attempt, answer, result.to_dict(), catalog)


def submit_attempt(
    attempt_id: int, user_id: int, answer: Claim, seconds: int, catalog: Any
) -> SubmitOutcome:
    """Record the trainee's answer and its grade exactly once, before any exam deadline.

    The status flip is a conditional UPDATE inside one write transaction, so a double-clicked
    submit, two tabs, or two workers racing each other record one attempt and one grade; the
    loser is told the chart was already submitted. A crash before commit leaves nothing. The
    deadline is checked in the same transaction (ExamClosedError after it).
    """
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != user_id:
        raise PracticeError("That chart does not exist.")
    refuse_after_deadline(attempt)  # fail fast, before grading; checked again when writing
    return _record(attempt, answer, seconds, catalog, check_deadline=True)


def submit_saved_draft(attempt: Attempt, catalog: Any, ended_at: datetime) -> SubmitOutcome:
    """Grade the draft saved when the exam ended (its deadline, or "submit the whole exam").

    Only the stored draft is graded, and drafts stop changing at the deadline, so nothing
    written after the bell counts.
    """
    db.session.refresh(attempt)
    started = aware_utc(attempt.started_at)
    seconds = int((ended_at - started).total_seconds()) if started else 0
    return _record(attempt, draft_claim(attempt), seconds, catalog, submitted_at=ended_at)


def _record(
    attempt: Attempt,
    answer: Claim,
    seconds: int,
    catalog: Any,
    *,
    check_deadline: bool = False,
    submitted_at: datetime | None = None,
) -> SubmitOutcome:
    graded = grade_attempt(attempt, answer, catalog)
    with write_transaction(db.session) as session:
        if check_deadline:
            refuse_after_deadline(attempt, session)
        flipped = rows_changed(
            session.execute(
                update(Attempt)
                .where(Attempt.id == attempt.id, Attempt.status == "in_progress")
                .values(
                    status="submitted",
                    answer=answer.to_dict(),
                    submitted_at=submitted_at or utcnow(),
                    seconds_spent=max(0, min(int(seconds), 24 * 3600)),
                    score=float(graded["score"]),
                    code_correct=int(graded["code_correct"]),
                    code_total=int(graded["code_total"]),
                    chart_correct=bool(graded["chart_correct"]),
                )
            )
        )
        if flipped:
            version = key_version(attempt)
            session.add(AttemptGrade(attempt_id=attempt.id, key_version=version, result=graded))
            store_errors(session, attempt, graded)
            report_summaries.refresh(session, [attempt.user_id])
    db.session.refresh(attempt)
    return SubmitOutcome(attempt, bool(flipped))


def store_errors(session: Any, attempt: Attempt, graded: dict[str, Any]) -> None:
    """The grade's error rows, and its cost figures on the attempt (every grade change)."""
    set_cost_figures(attempt, graded)
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
