"""Trainees' assignments: start a set, work through its charts, finish (or run out of time)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from sqlalchemy import select

from trainer.core.content.templates import SPECIALTIES

from ..domain import domain
from ..extensions import db
from ..models import Assignment, AssignmentRun
from ..services.assignments import (
    AssignmentError,
    assignments_for,
    finish_run,
    run_status,
    start_run,
)
from ..services.cohorts import CohortError, join_cohort
from ..services.library import assignable_library
from .forms import CsrfOnlyForm

bp = Blueprint("assignments", __name__, url_prefix="/assignments")


def _own_run(run_id: int) -> AssignmentRun:
    run = db.session.get(AssignmentRun, run_id)
    if run is None or run.user_id != current_user.id:
        abort(404)
    return run


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    return index_page()


def index_page(status: int = 200) -> ResponseReturnValue:
    rows = []
    for assignment in assignments_for(current_user):
        run = db.session.scalar(
            select(AssignmentRun).where(
                AssignmentRun.assignment_id == assignment.id,
                AssignmentRun.user_id == current_user.id,
            )
        )
        progress = run_status(run, domain().catalog) if run else None
        rows.append((assignment, progress))
    return render_template(
        "assignments/index.html", rows=rows, form=CsrfOnlyForm(), specialties=SPECIALTIES
    ), status


@bp.post("/<int:assignment_id>/start")
@login_required
def start(assignment_id: int) -> ResponseReturnValue:
    if not CsrfOnlyForm().validate():
        abort(400)
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None:
        abort(404)
    try:
        run = start_run(assignment, current_user, assignable_library())
    except AssignmentError:
        abort(404)
    return redirect(url_for("assignments.run", run_id=run.id), 303)


@bp.get("/run/<int:run_id>")
@login_required
def run(run_id: int) -> ResponseReturnValue:
    item = _own_run(run_id)
    status = run_status(item, domain().catalog)
    return render_template(
        "assignments/run.html",
        status=status,
        assignment=item.assignment,
        form=CsrfOnlyForm(),
        specialties=SPECIALTIES,
    )


@bp.post("/run/<int:run_id>/finish")
@login_required
def finish(run_id: int) -> ResponseReturnValue:
    if not CsrfOnlyForm().validate():
        abort(400)
    item = _own_run(run_id)
    if item.finished_at is None:
        finish_run(item, domain().catalog)
        flash("Submitted. Every chart is graded: the feedback is open.", "info")
    return redirect(url_for("assignments.run", run_id=item.id), 303)


@bp.post("/join")
@login_required
def join() -> ResponseReturnValue:
    """A trainee joins (or moves to) a cohort with the code their supervisor shared."""
    if not CsrfOnlyForm().validate():
        abort(400)
    try:
        cohort = join_cohort(current_user, request.form.get("code", "")[:64])
    except CohortError as exc:
        flash(str(exc), "error")
        return index_page(400)
    flash(f"You joined {cohort.name}.", "info")
    return redirect(url_for("assignments.index"), 303)
