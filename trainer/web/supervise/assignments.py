"""Supervisor pages, the assignments: the list of a supervisor's assignments with their
completion, and the form that gives a cohort a new set of charts (practice or timed exam).

Apart from the cohorts and the disputes because this is the one form over the template
library (``services.library.assignable_library``: only what the supervisor may assign), and
``services.assignments`` decides whose cohort it may go to.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from trainer.core.content.templates import SPECIALTIES
from trainer.core.grading.types import POLICIES, POLICY_LABELS
from trainer.core.stats.mastery import TARGET_PERCENTS

from ...extensions import db
from ...models import Assignment
from ...services.assignments import AssignmentError, completion, create_assignment
from ...services.cohorts import visible_cohorts
from ...services.library import assignable_library
from ..auth import role_required
from ..forms import WholeNumberField, coerce_id
from .blueprint import bp


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
