"""A supervisor changes an assignment already set: edit, close early, delete, duplicate.

``services.assignment_changes`` decides what may change; a cohort the viewer does not manage
is a 404, as elsewhere.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..core.integers import IntegerInputError, parse_id
from ..models import Assignment
from ..services.assignment_changes import (
    close_assignment,
    delete_assignment,
    duplicate_assignment,
    edit_assignment,
    managed_assignment,
    runs_started,
)
from ..services.assignments import AssignmentError
from ..services.cohorts import visible_cohorts
from ..services.library import assignable_library
from .auth import role_required
from .forms import WholeNumberField

bp = Blueprint("assignment_changes", __name__, url_prefix="/supervise/assignments")


class EditAssignmentForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=120)])
    due = DateField("Due date (optional)", validators=[Optional()])
    time_limit_minutes = WholeNumberField(
        "Time limit, minutes (exam; fixed once anyone started)",
        validators=[Optional(), NumberRange(1, 600)],
    )


def _assignment(assignment_id: int) -> Assignment:
    assignment = managed_assignment(current_user, assignment_id)
    if assignment is None:
        abort(404)
    return assignment


def _page(
    assignment: Assignment, form: EditAssignmentForm, status: int = 200
) -> ResponseReturnValue:
    others = [c for c in visible_cohorts(current_user) if c.id != assignment.cohort_id]
    return render_template(
        "supervise/assignment_edit.html",
        assignment=assignment,
        form=form,
        started=runs_started(assignment),
        others=others,
    ), status


@bp.get("/<int:assignment_id>/edit")
@role_required("supervisor")
def edit(assignment_id: int) -> ResponseReturnValue:
    assignment = _assignment(assignment_id)
    form = EditAssignmentForm(
        formdata=None,
        title=assignment.title,
        due=assignment.due_at.date() if assignment.due_at else None,
        time_limit_minutes=assignment.time_limit_minutes,
    )
    return _page(assignment, form)


@bp.post("/<int:assignment_id>/edit")
@role_required("supervisor")
def update(assignment_id: int) -> ResponseReturnValue:
    assignment = _assignment(assignment_id)
    form = EditAssignmentForm()
    if not form.validate():
        return _page(assignment, form, 400)
    due = datetime.combine(form.due.data, time(23, 59), tzinfo=UTC) if form.due.data else None
    try:
        changed = edit_assignment(
            current_user, assignment, form.title.data or "", due, form.time_limit_minutes.data
        )
    except AssignmentError as exc:
        flash(str(exc), "error")
        return _page(assignment, form, 400)
    flash("Saved: " + "; ".join(changed) + "." if changed else "Nothing changed.", "info")
    return redirect(url_for("supervise.assignments"), 303)


@bp.post("/<int:assignment_id>/close")
@role_required("supervisor")
def close(assignment_id: int) -> ResponseReturnValue:
    assignment = _assignment(assignment_id)
    if request.form.get("close") != "yes":
        abort(400, "Send close=yes to close the assignment.")
    try:
        close_assignment(current_user, assignment)
    except AssignmentError as exc:
        flash(str(exc), "error")
        return redirect(url_for("assignment_changes.edit", assignment_id=assignment.id), 303)
    flash(f"{assignment.title!r} is closed: nobody can start it now; started runs go on.", "info")
    return redirect(url_for("supervise.assignments"), 303)


@bp.post("/<int:assignment_id>/delete")
@role_required("supervisor")
def delete(assignment_id: int) -> ResponseReturnValue:
    assignment = _assignment(assignment_id)
    title = assignment.title
    try:
        delete_assignment(current_user, assignment, request.form.get("confirm_title", "")[:200])
    except AssignmentError as exc:
        flash(str(exc), "error")
        form = EditAssignmentForm(formdata=None, title=assignment.title)
        return _page(assignment, form, 400)
    flash(f"{title!r} deleted.", "info")
    return redirect(url_for("supervise.assignments"), 303)


@bp.post("/<int:assignment_id>/duplicate")
@role_required("supervisor")
def duplicate(assignment_id: int) -> ResponseReturnValue:
    assignment = _assignment(assignment_id)
    try:
        cohort_id = parse_id(request.form.get("cohort_id"), "cohort_id")
        copy = duplicate_assignment(
            current_user, assignment, cohort_id, assignable_library(current_user)
        )
    except (IntegerInputError, AssignmentError) as exc:
        message = str(exc) if isinstance(exc, AssignmentError) else "Choose a cohort."
        flash(message, "error")
        form = EditAssignmentForm(formdata=None, title=assignment.title)
        return _page(assignment, form, 400)
    flash(f"Copied to {copy.cohort.name}.", "info")
    return redirect(url_for("supervise.assignments"), 303)
