"""Supervisor pages: the cohorts a supervisor runs and where each trainee stands.

Over 350 lines because cohort scoping and CSV exports are being reworked for issue 14; split
the assignment and dispute views into their own blueprints after that merge.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from wtforms import DateField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from trainer.core.codesets.codes import guess_kind
from trainer.core.content.templates import SPECIALTIES
from trainer.core.grading.types import POLICIES, POLICY_LABELS
from trainer.core.stats.mastery import STATUS_LABELS, TARGET_PERCENTS

from ..core.csv_files import CsvFormatError, decode_upload, write_csv
from ..core.integers import IntegerInputError, parse_id
from ..domain import domain
from ..extensions import db
from ..models import Assignment, Attempt, Cohort, Dispute
from ..services.access import may_see_key
from ..services.assignments import AssignmentError, completion, create_assignment
from ..services.cohort_import import import_csv
from ..services.cohorts import (
    CohortError,
    can_manage,
    cohort_rows,
    create_cohort,
    move_trainee,
    visible_cohorts,
)
from ..services.disputes import (
    DisputeError,
    accept_dispute,
    can_review,
    corrections_seen_by,
    reject_dispute,
    visible_disputes,
)
from ..services.keys import current_key
from ..services.library import assignable_library
from .auth import role_required
from .downloads import csv_download
from .forms import WholeNumberField, coerce_id

bp = Blueprint("supervise", __name__, url_prefix="/supervise")


def index_page(status: int = 200) -> ResponseReturnValue:
    cfg = current_app.config
    cohorts = [
        (cohort, cohort_rows(cohort, cfg["ACCURACY_TARGET"], cfg["ACCURACY_ELITE"]))
        for cohort in visible_cohorts(current_user)
    ]
    return render_template(
        "supervise/index.html",
        cohorts=cohorts,
        specialties=SPECIALTIES,
        status_labels=STATUS_LABELS,
        can_hand_over=lambda cohort: can_manage(current_user, cohort, "hand_over"),
    ), status


@bp.get("/")
@role_required("supervisor")
def index() -> ResponseReturnValue:
    return index_page()


def _own_cohort(cohort_id: int) -> Cohort:
    """A cohort the current supervisor runs (any for an admin); 404 otherwise."""
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or cohort not in visible_cohorts(current_user):
        abort(404)
    return cohort


def _reviewable(dispute_id: int) -> Dispute:
    dispute = db.session.get(Dispute, dispute_id)
    if dispute is None or not can_review(current_user, dispute):
        abort(404)
    return dispute


def _queue(status: int = 200) -> ResponseReturnValue:
    items = []
    for dispute in visible_disputes(current_user):
        attempt = db.session.get(Attempt, dispute.attempt_id)
        shown = attempt is not None and may_see_key(current_user, attempt)
        items.append((dispute, attempt, current_key(attempt) if attempt and shown else None))
    return render_template(
        "supervise/disputes.html",
        items=items,
        corrections=corrections_seen_by(current_user),
        change_choices=CHANGE_CHOICES,
    ), status


@bp.get("/disputes")
@role_required("supervisor")
def disputes() -> ResponseReturnValue:
    return _queue()


@bp.post("/disputes/<int:dispute_id>/reject")
@role_required("supervisor")
def reject(dispute_id: int) -> ResponseReturnValue:
    dispute = _reviewable(dispute_id)
    try:
        reject_dispute(dispute, current_user, request.form.get("response", "")[:10_000])
    except DisputeError as exc:
        flash(str(exc), "error")
        return _queue(400)
    flash("Dispute rejected; the trainee sees your explanation.", "info")
    return redirect(url_for("supervise.disputes"), 303)


CHANGE_CHOICES = {
    "add": "add a missing code",
    "remove": "remove a keyed code",
    "change_line": "change a keyed line",
    "move_diagnosis": "move a diagnosis to a position",
}


def _added(code: str, form: MultiDict[str, str]) -> dict[str, Any]:
    """An added code: a diagnosis for an ICD-10-CM code, else a line (with the form's
    units, modifiers and revenue code)."""
    if guess_kind(code) == "icd10cm":
        return {"op": "add_diagnosis", "code": code, "position": form.get("change_position")}
    return {"op": "add_line", "code": code, **_line_fields(form)}


def _line_fields(form: MultiDict[str, str]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    mods = form.get("change_modifiers", "")[:32].replace(",", " ").split()
    if mods or form.get("clear_modifiers"):
        fields["modifiers"] = mods
    if form.get("change_units", "").strip():
        fields["units"] = form.get("change_units", "")[:8].strip()
    if form.get("change_revenue", "").strip():
        fields["revenue_code"] = form.get("change_revenue", "")[:8].strip()
    return fields


def _form_changes(form: MultiDict[str, str]) -> list[dict[str, Any]]:
    """The accept form's "other change" (one per acceptance), as the service reads it."""
    op = form.get("change_op", "")[:16]
    code = form.get("change_code", "")[:16].strip()
    if not op or op not in CHANGE_CHOICES:
        return []
    if op == "add":
        return [_added(code, form)]
    if op == "change_line":
        return [{"op": op, "code": code, **_line_fields(form)}]
    if op == "move_diagnosis":
        return [{"op": op, "code": code, "position": form.get("change_position", "")[:4]}]
    return [{"op": op, "code": code}]


@bp.post("/disputes/<int:dispute_id>/accept")
@role_required("supervisor")
def accept(dispute_id: int) -> ResponseReturnValue:
    dispute = _reviewable(dispute_id)
    form = request.form
    old, new = form.get("old_code", "")[:16].strip(), form.get("new_code", "")[:16].strip()
    also = form.get("also_accept", "")[:16].strip()
    replace = {old: new} if old and new else {}
    accept_codes = {old: [also]} if old and also else {}
    changes = _form_changes(form)
    if new and not old:  # "replace nothing with X": the key missed X, so X is added
        changes.insert(0, _added(new, form))
    try:
        regraded = accept_dispute(
            dispute,
            current_user,
            replace,
            accept_codes,
            form.get("response", "")[:10_000],
            domain().catalog,
            changes,
        )
    except DisputeError as exc:
        flash(str(exc), "error")
        return _queue(400)
    reach = "every cohort" if current_user.is_admin else "your cohorts"
    flash(
        f"Key corrected for {reach}: {regraded} attempt(s) regraded; earlier grades stay in "
        "history.",
        "info",
    )
    return redirect(url_for("supervise.disputes"), 303)


class AssignmentForm(FlaskForm):
    """A new exercise set for one of the supervisor's cohorts."""

    cohort = SelectField("Cohort", coerce=coerce_id, validators=[DataRequired()])
    title = StringField("Title", validators=[DataRequired(), Length(max=120)])
    specialty = SelectField("Specialty", validators=[Optional()])
    difficulty = WholeNumberField(
        "Difficulty (1-5, optional)", validators=[Optional(), NumberRange(1, 5)]
    )
    chart_count = WholeNumberField(
        "Charts", default=5, validators=[InputRequired(), NumberRange(1, 50)]
    )
    mode = SelectField(
        "Mode", choices=[SelectChoice("practice", "Practice"), SelectChoice("exam", "Timed exam")]
    )
    policy = SelectField(
        "Scoring",
        choices=[
            *(SelectChoice(p, POLICY_LABELS[p]) for p in POLICIES),
        ],
    )
    time_limit_minutes = WholeNumberField(
        "Time limit, minutes (exam)", validators=[Optional(), NumberRange(1, 600)]
    )
    target = WholeNumberField(
        f"Target accuracy % ({TARGET_PERCENTS[0]} benchmark to {TARGET_PERCENTS[1]} elite)",
        default=TARGET_PERCENTS[0],
        validators=[
            InputRequired(),
            NumberRange(
                *TARGET_PERCENTS, "The target is %(min)s%% (benchmark) to %(max)s%% (elite)."
            ),
        ],
    )
    due = DateField("Due date (optional)", validators=[Optional()])
    templates = SelectMultipleField(
        "Or choose the templates (overrides specialty, difficulty and skills)",
        validators=[Optional()],
    )
    skills = SelectMultipleField("Skills (any of)", validators=[Optional()])
    code_year = SelectField("Code year (date of service)", validators=[Optional()])


def _assignment_form() -> AssignmentForm:
    form = AssignmentForm()
    library = assignable_library(current_user)
    form.cohort.choices = [SelectChoice(c.id, c.name) for c in visible_cohorts(current_user)]
    form.specialty.choices = [SelectChoice("", "Any")] + [
        SelectChoice(s, SPECIALTIES.get(s, s)) for s in library.specialties()
    ]
    ordered = sorted(library.templates.values(), key=lambda t: (t.specialty, t.title))
    form.templates.choices = [
        SelectChoice(t.id, f"{SPECIALTIES.get(t.specialty, t.specialty)}: {t.title}")
        for t in ordered
    ]
    form.skills.choices = [
        SelectChoice(skill, skill.replace("-", " "))
        for skill in sorted({skill for t in ordered for skill in t.skills})
    ]
    years = sorted({y for t in ordered for y in t.code_years})
    form.code_year.choices = [SelectChoice("", "Any")] + [
        SelectChoice(str(y), str(y)) for y in years
    ]
    return form


def _assignments_page(form: AssignmentForm, status: int = 200) -> ResponseReturnValue:
    cohorts = visible_cohorts(current_user)
    rows = [
        (a, completion(a))
        for a in db.session.scalars(
            select(Assignment)
            .where(Assignment.cohort_id.in_([c.id for c in cohorts]))
            .order_by(Assignment.created_at.desc())
        )
    ]
    return render_template(
        "supervise/assignments.html", form=form, rows=rows, specialties=SPECIALTIES
    ), status


@bp.get("/assignments")
@role_required("supervisor")
def assignments() -> ResponseReturnValue:
    return _assignments_page(_assignment_form())


@bp.post("/assignments")
@role_required("supervisor")
def create_assignment_view() -> ResponseReturnValue:
    form = _assignment_form()
    if not form.validate():
        return _assignments_page(form, 400)
    due = None
    if form.due.data:
        due = datetime.combine(form.due.data, time(23, 59), tzinfo=UTC)
    try:
        create_assignment(
            current_user,
            form.cohort.data,
            form.title.data or "",
            assignable_library(current_user),
            specialty=form.specialty.data or "",
            difficulty=form.difficulty.data,
            chart_count=form.chart_count.data or 5,
            mode=form.mode.data,
            policy=form.policy.data,
            time_limit_minutes=form.time_limit_minutes.data,
            target=(form.target.data or 95) / 100,
            due_at=due,
            template_ids=list(form.templates.data or []),
            skills=list(form.skills.data or []),
            code_year=int(form.code_year.data) if form.code_year.data else None,
        )
    except AssignmentError as exc:
        flash(str(exc), "error")
        return _assignments_page(form, 400)
    flash("Assignment created; the cohort sees it now.", "info")
    return redirect(url_for("supervise.assignments"), 303)


@bp.post("/cohorts")
@role_required("supervisor")
def create_cohort_view() -> ResponseReturnValue:
    try:
        cohort = create_cohort(current_user, request.form.get("name", "")[:500])
    except CohortError as exc:
        flash(str(exc), "error")
        return index_page(400)
    flash(f"Cohort created; trainees join with code {cohort.join_code}.", "info")
    return redirect(url_for("supervise.index"), 303)


MAX_IMPORT_BYTES = 1_000_000


@bp.post("/cohorts/<int:cohort_id>/import")
@role_required("supervisor")
def import_trainees(cohort_id: int) -> ResponseReturnValue:
    cohort = _own_cohort(cohort_id)
    upload = request.files.get("file")
    try:
        data = upload.read(MAX_IMPORT_BYTES + 1) if upload else b""
        if len(data) > MAX_IMPORT_BYTES:
            raise CsvFormatError(f"A CSV import is at most {MAX_IMPORT_BYTES // 1000} KB.")
        text = decode_upload(data)
    except CsvFormatError as exc:
        flash(str(exc), "error")
        return index_page(400)
    text = text or request.form.get("rows", "")[:MAX_IMPORT_BYTES]
    try:
        results = import_csv(current_user, cohort, text, set(domain().library.specialties()))
    except CohortError as exc:
        flash(str(exc), "error")
        return index_page(400)
    return render_template("supervise/imported.html", cohort=cohort, results=results)


@bp.post("/cohorts/move")
@role_required("supervisor")
def move() -> ResponseReturnValue:
    try:
        user_id = parse_id(request.form.get("user_id"), "user_id")
        cohort_id = parse_id(request.form.get("cohort_id"), "cohort_id")
    except IntegerInputError:
        flash("Choose a trainee and a cohort.", "error")
        return index_page(400)
    try:
        move_trainee(current_user, user_id, cohort_id)
    except CohortError as exc:
        flash(str(exc), "error")
        return index_page(400)
    flash("Trainee moved.", "info")
    return redirect(url_for("supervise.index"), 303)


COHORT_CSV_COLUMNS = (
    "trainee",
    "username",
    "specialty",
    "charts",
    "charts_correct",
    "codes_correct",
    "codes_total",
    "code_accuracy",
    "ci_low",
    "ci_high",
    "status",
)


@bp.get("/cohorts/<int:cohort_id>/report.csv")
@role_required("supervisor")
def cohort_csv(cohort_id: int) -> ResponseReturnValue:
    """The cohort-by-specialty table as CSV, one row per trainee and specialty."""
    cohort = _own_cohort(cohort_id)
    cfg = current_app.config
    rows = []
    for row in cohort_rows(cohort, cfg["ACCURACY_TARGET"], cfg["ACCURACY_ELITE"]):
        for specialty, s in sorted(row.by_specialty.items()):
            low, high = s.code_interval
            rows.append(
                [
                    row.user.display_name,
                    row.user.username,
                    specialty,
                    s.charts,
                    s.charts_correct,
                    s.codes_correct,
                    s.codes_total,
                    f"{s.code_accuracy:.4f}" if s.code_accuracy is not None else "",
                    f"{low:.4f}",
                    f"{high:.4f}",
                    s.status,
                ]
            )
    return csv_download(write_csv(COHORT_CSV_COLUMNS, rows), cohort.name, "-accuracy.csv")
