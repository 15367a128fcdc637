"""Practice: pick a specialty, code a generated chart, submit once, read the feedback.

Over 350 lines because the practice views are being reworked for issue 14 (key visibility,
exam clock); split the entry panel from the feedback views after that merge.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, NumberRange, Optional

from trainer.core.content.templates import SPECIALTIES
from trainer.core.grading.entry import (
    MAX_FACILITY_DIAGNOSES,
    UB04_DX_LABELS,
    EntryLine,
    UB04Entry,
    entry_from_mapping,
    parse_entry,
    pos_from_mapping,
    ub04_from_mapping,
    ub04_to_mapping,
)
from trainer.core.grading.inpatient_entry import (
    INPATIENT_DX_LABELS,
    InpatientRows,
    parse_inpatient_entry,
    rows_from_form,
    rows_from_mapping,
)

from ..core.claims import (
    MAX_DIAGNOSES,
    MAX_EXTERNAL_CAUSES,
    MAX_INPATIENT_DIAGNOSES,
    MAX_LINES,
    MAX_MODIFIERS,
    MAX_PROCEDURES,
    MAX_REASONS_FOR_VISIT,
)
from ..core.integers import IntegerInputError, parse_int
from ..domain import domain
from ..extensions import db
from ..models import AssignmentRun, Attempt, Dispute
from ..services import practice as service
from ..services.access import may_see_key
from ..services.assignments import run_status
from ..services.costs import locality_costs
from ..services.disputes import DisputeError, open_dispute
from ..services.keys import current_key
from ..services.mastery import drill_target, next_chart
from ..services.practice_pairs import pair_of, step_of
from ..services.progress import specialty_summaries, specialty_summary
from ..services.review import review_of
from .assignments import run_page
from .errors import json_error
from .forms import WholeNumberField

bp = Blueprint("practice", __name__)

SHOWN_LINES = 6
MAX_SECONDS = 24 * 3600
SHOWN_DIAGNOSES = 6
NOT_DISPUTABLE = (
    "A key can be disputed once the chart is submitted (an exam chart once the exam is over)."
)


class StartForm(FlaskForm):
    specialty = SelectField("Specialty", validators=[DataRequired()])
    difficulty = WholeNumberField("Difficulty", validators=[Optional(), NumberRange(1, 5)])


WEAKEST = "weakest"


def _specialty_choices() -> list[SelectChoice]:
    available = domain().library.by_specialty()
    return [SelectChoice(WEAKEST, "My weakest area (recommended)")] + [
        SelectChoice(slug, SPECIALTIES.get(slug, slug)) for slug in sorted(available)
    ]


def _own_attempt(attempt_id: int) -> Attempt:
    """The current user's attempt; 404 otherwise (a 403 would confirm that it exists)."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != current_user.id:
        abort(404)
    return attempt


def _home(form: StartForm, status: int = 200) -> ResponseReturnValue:
    cfg = current_app.config
    summaries = specialty_summaries(current_user.id, cfg["ACCURACY_TARGET"], cfg["ACCURACY_ELITE"])
    return render_template(
        "practice/home.html", summaries=summaries, form=form, specialties=SPECIALTIES
    ), status


@bp.get("/")
@login_required
def home() -> ResponseReturnValue:
    form = StartForm()
    form.specialty.choices = _specialty_choices()
    return _home(form)


@bp.post("/practice/start")
@login_required
def start() -> ResponseReturnValue:
    form = StartForm()
    form.specialty.choices = _specialty_choices()
    if not form.validate():
        flash("Choose one of the listed specialties (and a difficulty from 1 to 5).", "error")
        return _home(form, 400)
    specialty = form.specialty.data or ""
    library = domain().library
    reason, template, review = "", None, None
    if specialty == WEAKEST:
        cfg = current_app.config
        picked = next_chart(current_user.id, library, cfg["ACCURACY_TARGET"], cfg["ACCURACY_ELITE"])
        if picked is None:
            abort(404, description="No exercises are available yet.")
        choice, review = picked
        specialty, reason = choice.specialty, choice.reason
        template = library.get(review.template_id) if review else None
    resume = service.open_attempt(current_user.id, specialty)
    if resume is not None:
        return redirect(url_for("practice.attempt", attempt_id=resume.id), 303)
    if template is None:
        template = service.choose_template(
            library, specialty, random.Random(), form.difficulty.data
        )
    choices = review.choices if review and template else None
    attempt = service.start_attempt(current_user.id, template, reason=reason, choices=choices)
    return redirect(url_for("practice.attempt", attempt_id=attempt.id), 303)


@bp.post("/practice/attempt/<int:attempt_id>/skip")
@login_required
def skip(attempt_id: int) -> ResponseReturnValue:
    attempt = _own_attempt(attempt_id)
    if attempt.status == "in_progress" and attempt.mode == "practice" and attempt.run_id is None:
        service.abandon_attempt(attempt)
        flash("Chart skipped; it does not count toward your accuracy.", "info")
    return redirect(url_for("practice.home"), 303)


def _entry_rows(attempt: Attempt) -> tuple[list[str], list[EntryLine]]:
    dx, lines = entry_from_mapping(attempt.draft or {})
    dx += [""] * (max(SHOWN_DIAGNOSES, len(dx)) - len(dx))
    lines += [EntryLine()] * (max(SHOWN_LINES, len(lines)) - len(lines))
    return dx, lines


def _padded(values: Any, size: int) -> list[str]:
    kept = [str(v) for v in values][:size]
    return kept + [""] * (size - len(kept))


def _render_chart(
    attempt: Attempt,
    dx: list[str],
    lines: list[EntryLine],
    problems: Any,
    status: int,
    ub04: UB04Entry | None = None,
    inpatient: InpatientRows | None = None,
    pos: str | None = None,
) -> ResponseReturnValue:
    variant = service.variant_of(attempt)
    facility = attempt.setting == "facility"
    if facility and ub04 is None:
        ub04 = ub04_from_mapping(attempt.draft or {})
    ub04 = ub04 or UB04Entry()
    if attempt.setting == "inpatient" and inpatient is None:
        inpatient = rows_from_mapping(attempt.draft or {}).padded(SHOWN_DIAGNOSES, 4)
    pair = pair_of(attempt.id)
    return (
        render_template(
            "practice/chart.html",
            attempt=attempt,
            variant=variant,
            diagnoses=dx[:MAX_FACILITY_DIAGNOSES] if facility else dx,
            lines=lines,
            problems=problems,
            max_modifiers=MAX_MODIFIERS,
            max_diagnoses=MAX_FACILITY_DIAGNOSES if facility else MAX_DIAGNOSES,
            max_inpatient_diagnoses=MAX_INPATIENT_DIAGNOSES,
            max_procedures=MAX_PROCEDURES,
            inpatient_dx_labels=INPATIENT_DX_LABELS,
            ub04_dx_labels=UB04_DX_LABELS,
            type_of_bill=ub04.type_of_bill,
            reasons=_padded(ub04.reasons, MAX_REASONS_FOR_VISIT),
            external_causes=_padded(ub04.external_causes, MAX_EXTERNAL_CAUSES),
            place_of_service=pos_from_mapping(attempt.draft or {}) if pos is None else pos,
            specialty_name=SPECIALTIES.get(attempt.specialty, attempt.specialty),
            deadline=_exam_deadline(attempt),
            inpatient=inpatient,
            pair_step=step_of(pair, attempt) if pair else None,
        ),
        status,
    )


def _exam_deadline(attempt: Attempt) -> str | None:
    """ISO time the exam ends (for the countdown), or None outside a timed exam."""
    if attempt.mode != "exam" or attempt.run_id is None:
        return None
    run = db.session.get(AssignmentRun, attempt.run_id)
    if run is None or run.deadline_at is None:
        return None
    deadline = run.deadline_at
    return (deadline if deadline.tzinfo else deadline.replace(tzinfo=UTC)).isoformat()


@bp.get("/practice/attempt/<int:attempt_id>")
@login_required
def attempt(attempt_id: int) -> ResponseReturnValue:
    item = _own_attempt(attempt_id)
    if item.run_id is not None:
        status = run_status(db.get_or_404(AssignmentRun, item.run_id), domain().catalog)
        if status.finished and item.mode == "exam":
            flash("Time is up: the exam was submitted with what you had typed.", "info")
            return redirect(url_for("assignments.run", run_id=item.run_id))
    if item.status == "submitted":
        return redirect(url_for("practice.result", attempt_id=item.id))
    if item.status != "in_progress":
        abort(404)
    dx, lines = _entry_rows(item)
    return _render_chart(item, dx, lines, None, 200)


def _form_entry(form: MultiDict[str, str]) -> tuple[list[str], list[EntryLine]]:
    """Read the entry panel's fields (names shared with static/js/practice.js)."""
    dx = [form.get(f"diagnoses-{i}", "")[:64] for i in range(MAX_DIAGNOSES)]
    while dx and not dx[-1].strip():
        dx.pop()
    lines: list[EntryLine] = []
    for n in range(MAX_LINES):
        prefix = f"lines-{n}-"
        if not any(key.startswith(prefix) for key in form):
            continue
        lines.append(
            EntryLine(
                code=form.get(prefix + "code", "")[:64],
                modifiers=[form.get(f"{prefix}mod{i + 1}", "")[:16] for i in range(MAX_MODIFIERS)],
                units=form.get(prefix + "units", "")[:16],
                revenue_code=form.get(prefix + "revenue", "")[:16],
                pointers=form.get(prefix + "pointers", "")[:16],
            )
        )
    return dx, lines


def _form_ub04(form: MultiDict[str, str]) -> UB04Entry:
    """FL 4, FL 70 a-c and FL 72 a-c of a facility entry panel."""
    return UB04Entry(
        form.get("type_of_bill", "")[:16],
        [form.get(f"reason-{i}", "")[:64] for i in range(MAX_REASONS_FOR_VISIT)],
        [form.get(f"ecause-{i}", "")[:64] for i in range(MAX_EXTERNAL_CAUSES)],
    )


def _pos_known(item: Attempt) -> Callable[[str], bool]:
    """Box 24B's check: the code is in the CMS place-of-service set on the date of service."""
    dos = service.variant_of(item).date_of_service
    return lambda code: bool(domain().catalog.validate(code, "pos", dos).valid)


def _seconds(form: MultiDict[str, str]) -> int:
    try:
        return parse_int(form.get("seconds", "0"), "seconds", 0, MAX_SECONDS)
    except IntegerInputError:
        return 0  # the timer is the page's estimate; a bad value must not cost the answer


@bp.post("/practice/attempt/<int:attempt_id>/submit")
@login_required
def submit(attempt_id: int) -> ResponseReturnValue:
    item = _own_attempt(attempt_id)
    try:
        service.refuse_after_deadline(item)
        if item.status != "in_progress":
            flash("This chart was already submitted.", "info")
            return redirect(_after_submit(item), 303)
        if item.setting == "inpatient":
            rows = rows_from_form(request.form)
            claim, problems = parse_inpatient_entry(rows)
            if claim is None:
                shown = rows.padded(SHOWN_DIAGNOSES, 4)
                return _render_chart(item, [], [], problems, 400, inpatient=shown)
        dx, lines = _form_entry(request.form)
        facility = item.setting == "facility"
        ub04 = _form_ub04(request.form) if facility else None
        pos = request.form.get("place_of_service", "")[:8]
        if item.setting != "inpatient":
            claim, problems = parse_entry(dx, lines, facility, ub04, pos, _pos_known(item))
        if claim is None:
            dx_rows = dx + [""] * max(0, SHOWN_DIAGNOSES - len(dx))
            line_rows = lines + [EntryLine()] * max(0, SHOWN_LINES - len(lines))
            return _render_chart(item, dx_rows, line_rows, problems, 400, ub04, pos=pos)
        outcome = service.submit_attempt(
            item.id, current_user.id, claim, _seconds(request.form), domain().catalog
        )
    except service.ExamClosedError as exc:
        return _exam_closed(item, exc)
    if not outcome.first_time:
        flash("This chart was already submitted.", "info")
    elif not may_see_key(current_user, item):
        flash("Answer saved. Grades open when the whole exam is submitted.", "info")
    return redirect(_after_submit(item), 303)


def _exam_closed(item: Attempt, exc: service.ExamClosedError) -> ResponseReturnValue:
    """A late answer: 409 on the exam's page, which grades what was saved before the bell."""
    flash(str(exc), "error")
    return run_page(db.get_or_404(AssignmentRun, item.run_id), 409)


def _after_submit(item: Attempt) -> str:
    """Charts whose feedback is still closed (an open exam) go back to the exam; a chart of a
    professional + facility pair goes to the pair (its other chart, or both grades)."""
    if item.run_id is not None and not may_see_key(current_user, item):
        return url_for("assignments.run", run_id=item.run_id)
    pair = pair_of(item.id)
    if pair is not None:
        return url_for("practice_pairs.result", pair_id=pair.id)
    return url_for("practice.result", attempt_id=item.id)


@bp.post("/practice/attempt/<int:attempt_id>/draft")
@login_required
def draft(attempt_id: int) -> ResponseReturnValue:
    """Autosave: the page posts what is typed so a reload or lost connection keeps it."""
    item = _own_attempt(attempt_id)
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return json_error(400, "Send the draft as a JSON object.", field="body")
    dx, lines = entry_from_mapping(payload)
    saved: dict[str, Any] = {
        "diagnoses": dx,
        "lines": [
            {
                "code": line.code,
                "modifiers": list(line.modifiers),
                "units": line.units,
                "revenue_code": line.revenue_code,
                "pointers": line.pointers,
            }
            for line in lines
        ],
    }
    if item.setting == "facility":
        saved.update(ub04_to_mapping(ub04_from_mapping(payload)))
    if item.setting == "professional":
        saved["place_of_service"] = pos_from_mapping(payload)
    if item.setting == "inpatient":
        saved = rows_from_mapping(payload).to_draft()
    try:
        stored = service.save_draft(item, saved)
    except service.ExamClosedError as exc:
        return json_error(409, str(exc), closed_at=exc.closed_at.isoformat())
    if not stored:
        return json_error(409, "This chart is already submitted.")
    return jsonify({"saved": True})


def _revenue_titles(item: Attempt) -> dict[str, str]:
    """FL43 descriptions of the revenue codes the trainee entered (facility charts only)."""
    catalog = domain().catalog
    codes = {line.get("revenue_code") for line in (item.answer or {}).get("lines", [])}
    return {c: catalog.title(c, "revenue") or "" for c in codes if c}


def _costs(item: Attempt, grade: dict[str, Any] | None) -> dict[str, Any] | None:
    """The stored national cost estimate, or the one for ``?locality=`` (unknown: a 400)."""
    if grade is None:
        return None
    locality = request.args.get("locality", "national")
    if len(locality) > 16:
        abort(400, "Unknown Medicare locality.")
    if locality == "national" and isinstance(grade.get("costs"), dict):
        return dict(grade["costs"])
    found = locality_costs(item, grade, domain().catalog, locality)
    if found is None:
        abort(400, "Unknown Medicare locality.")
    return found.to_dict()


def _result_page(item: Attempt, status: int = 200) -> ResponseReturnValue:
    """The feedback with the key: only ever rendered for a user who may see it now."""
    if not may_see_key(current_user, item):
        abort(404)
    cfg = current_app.config
    summary = specialty_summary(
        item.user_id, item.specialty, cfg["ACCURACY_TARGET"], cfg["ACCURACY_ELITE"]
    )
    grade = service.current_grade(item)
    return render_template(
        "practice/result.html",
        costs=_costs(item, grade),
        localities=domain().catalog.localities(),
        attempt=item,
        variant=service.variant_of(item),
        key=current_key(item),
        disputes=db.session.scalars(
            select(Dispute).where(Dispute.attempt_id == item.id).order_by(Dispute.id)
        ).all(),
        grade=grade,
        review=review_of(item.id),
        revenue_titles=_revenue_titles(item),
        ncci_release=domain().catalog.ncci_release(),
        summary=summary,
        specialty_name=SPECIALTIES.get(item.specialty, item.specialty),
    ), status


@bp.get("/practice/attempt/<int:attempt_id>/result")
@login_required
def result(attempt_id: int) -> ResponseReturnValue:
    item = _own_attempt(attempt_id)
    if item.status != "submitted":
        return redirect(url_for("practice.attempt", attempt_id=item.id))
    if not may_see_key(current_user, item):
        flash("Grades open when the whole exam is submitted.", "info")
        return redirect(url_for("assignments.run", run_id=item.run_id))
    return _result_page(item)


@bp.post("/practice/attempt/<int:attempt_id>/dispute")
@login_required
def dispute(attempt_id: int) -> ResponseReturnValue:
    """The trainee challenges the key with a citation; it reaches their supervisor's queue."""
    item = _own_attempt(attempt_id)
    if not may_see_key(current_user, item):
        abort(409, description=NOT_DISPUTABLE)
    try:
        open_dispute(
            item,
            current_user.id,
            request.form.get("item", "")[:64],
            request.form.get("citation", "")[:10_000],
        )
    except DisputeError as exc:
        flash(str(exc), "error")
        return _result_page(item, 400)
    flash("Dispute sent to your supervisor. You will see the answer here.", "info")
    return redirect(url_for("practice.result", attempt_id=item.id), 303)


@bp.post("/practice/drill")
@login_required
def drill() -> ResponseReturnValue:
    """One click from an error type on the progress page to a chart that exercises it."""
    error_type = request.form.get("error_type", "")[:32]
    library = domain().library
    target = drill_target(current_user.id, error_type, library)
    if target is None:
        abort(400, description="There is no error of that type in your history to drill.")
    specialty, review, reason = target
    resume = service.open_attempt(current_user.id, specialty)
    if resume is not None:
        service.abandon_attempt(resume)
    template = library.get(review.template_id) if review else None
    choices = review.choices if review and template else None
    if template is None:
        template = service.choose_template(library, specialty, random.Random())
    attempt = service.start_attempt(current_user.id, template, reason=reason, choices=choices)
    return redirect(url_for("practice.attempt", attempt_id=attempt.id), 303)
