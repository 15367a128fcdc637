"""Practice use cases: start a chart, keep the draft, submit once, grade.

Every write of an answer (the draft autosave and the submit, from the web or the API) checks
an exam's deadline inside its write transaction, against the database's clock: after the
bell nothing the trainee sends is stored, and the exam is graded from the draft saved before.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, scoped_session

from trainer.core.content.generation import Variant, generate
from trainer.core.content.templates import Template, TemplateLibrary
from trainer.core.grading.entry import (
    UB04Entry,
    entry_from_mapping,
    kept_place_of_service,
    parse_entry,
    pos_from_mapping,
    ub04_from_mapping,
)
from trainer.core.grading.grader import PatientFacts, grade
from trainer.core.grading.inpatient_entry import (
    InpatientRows,
    parse_inpatient_entry,
    rows_from_mapping,
)

from ..core.claims import Claim, ProcedureEntry, ServiceLine
from ..core.content.sandbox import RenderLimitError
from ..database import rows_changed, write_transaction
from ..extensions import db
from ..models import AssignmentRun, Attempt, AttemptError, AttemptGrade, CohortMember, utcnow
from . import report_summaries
from .clock import aware_utc, database_now
from .costs import attach_costs, set_cost_figures
from .keys import current_key, key_version, variant_of


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


def draft_claim(attempt: Attempt) -> Claim:
    """What the trainee had saved; entries that do not parse are dropped."""
    if attempt.setting == "inpatient":
        return _inpatient_draft(attempt.draft or {})
    facility = attempt.setting == "facility"
    dx, lines = entry_from_mapping(attempt.draft or {})
    ub04 = ub04_from_mapping(attempt.draft or {}) if facility else None
    pos = "" if facility else kept_place_of_service(pos_from_mapping(attempt.draft or {}))
    claim, _ = parse_entry(dx, lines, facility, ub04, pos)
    if claim is not None:
        return claim
    keep_dx = [d for d in dx if d.strip() and parse_entry([d], [], facility)[0] is not None]
    kept = parse_entry(keep_dx, [], facility)[0]
    keep_lines: list[ServiceLine] = []
    for line in lines:
        parsed, _ = parse_entry(keep_dx, [line], facility)
        if parsed is not None:
            keep_lines.extend(parsed.lines)
    header = _kept_ub04(ub04) if ub04 is not None else Claim()
    return Claim(
        (kept.diagnoses if kept else ()) + header.diagnoses,
        tuple(keep_lines),
        header.type_of_bill,
        header.reason_for_visit,
        place_of_service=pos,
    )


def _kept_ub04(ub04: UB04Entry) -> Claim:
    """The UB-04 fields of a draft that parse, each kept on its own (a bad one is dropped)."""
    tob = parse_entry([], [], True, UB04Entry(ub04.type_of_bill))[0]
    reasons = [
        c
        for r in ub04.reasons
        if (c := parse_entry([], [], True, UB04Entry(reasons=[r]))[0]) is not None
    ]
    causes = [
        c
        for e in ub04.external_causes
        if (c := parse_entry([], [], True, UB04Entry(external_causes=[e]))[0]) is not None
    ]
    return Claim(
        tuple(d for c in causes for d in c.diagnoses),
        (),
        tob.type_of_bill if tob else "",
        tuple(r for c in reasons for r in c.reason_for_visit),
    )


def _inpatient_draft(draft: dict[str, Any]) -> Claim:
    """An inpatient draft: each diagnosis (with its POA) and procedure row that parses."""
    rows = rows_from_mapping(draft)
    claim, _ = parse_inpatient_entry(rows)
    if claim is not None:
        return claim
    dx: list[str] = []
    poa: list[str] = []
    procs: list[ProcedureEntry] = []
    for n, code in enumerate(rows.diagnoses):
        flag = rows.poa[n] if n < len(rows.poa) else ""
        one, _ = parse_inpatient_entry(InpatientRows([code], [flag], []))
        if one is not None and one.diagnoses:
            dx.append(one.diagnoses[0])
            poa.append(one.poa[0])
    for row in rows.procedures:
        one, _ = parse_inpatient_entry(InpatientRows([], [], [row]))
        if one is not None:
            procs.extend(one.procedures)
    return Claim(tuple(dx), poa=tuple(poa), procedures=tuple(procs))


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


def current_grade(attempt: Attempt) -> dict[str, Any] | None:
    """The newest grade of an attempt (after any regrade or override)."""
    return attempt.grades[-1].result if attempt.grades else None
