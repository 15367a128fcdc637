"""Practice, the chart page: the chart and its entry panel (CMS-1500, UB-04 or inpatient),
the autosaved draft and the submit.

Apart from choosing a chart (``start``) and reading the feedback (``feedback``) because this
is where the trainee's typing is read: the form fields (names shared with
static/js/practice.js), the exam clock's refusals (409) and the format problems sent back
to the form (400) with nothing typed lost.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from typing import Any

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

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

from ...core.claims import (
    MAX_DIAGNOSES,
    MAX_EXTERNAL_CAUSES,
    MAX_INPATIENT_DIAGNOSES,
    MAX_LINES,
    MAX_MODIFIERS,
    MAX_PROCEDURES,
    MAX_REASONS_FOR_VISIT,
)
from ...core.integers import IntegerInputError, parse_int
from ...domain import domain
from ...extensions import db
from ...models import AssignmentRun, Attempt
from ...services import practice as service
from ...services.access import may_see_key, pair_of
from ...services.assignments import run_status
from ...services.practice_pairs import PAIR_CLOSED, step_of
from ..assignments import run_page
from ..errors import json_error
from .blueprint import bp, own_attempt

SHOWN_LINES = 6
MAX_SECONDS = 24 * 3600
SHOWN_DIAGNOSES = 6

EXAM_CLOSED = "Grades open when the whole exam is submitted."


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
    item = own_attempt(attempt_id)
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
    item = own_attempt(attempt_id)
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
        closed = PAIR_CLOSED if pair_of(item.id) else EXAM_CLOSED
        flash(f"Answer saved. {closed}", "info")
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
    item = own_attempt(attempt_id)
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
