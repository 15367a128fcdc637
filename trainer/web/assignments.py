"""Trainees' assignments: start a set, work through its charts, finish (or run out of time)."""

from __future__ import annotations

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
from flask_login import current_user, login_required
from sqlalchemy import select

from trainer.core.content.templates import SPECIALTIES

from ..domain import domain
from ..extensions import db, limiter
from ..models import Assignment, AssignmentRun
from ..services.access import may_see_key
from ..services.assignments import (
    AssignmentClosed,
    AssignmentError,
    RunBuildError,
    assignments_for,
    finish_run,
    run_status,
    start_run,
)
from ..services.cohorts import CohortError, join_cohort
from ..services.library import assignment_library

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
    return render_template("assignments/index.html", rows=rows, specialties=SPECIALTIES), status


@bp.post("/<int:assignment_id>/start")
@login_required
def start(assignment_id: int) -> ResponseReturnValue:
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None:
        abort(404)
    try:
        run = start_run(assignment, current_user, assignment_library(assignment))
    except RunBuildError as exc:
        flash(str(exc), "error")
        return index_page(503)
    except AssignmentClosed as exc:
        flash(str(exc), "error")
        return index_page(409)
    except AssignmentError:
        abort(404)
    return redirect(url_for("assignments.run", run_id=run.id), 303)


@bp.get("/run/<int:run_id>")
@login_required
def run(run_id: int) -> ResponseReturnValue:
    return run_page(_own_run(run_id))


def run_page(item: AssignmentRun, status: int = 200) -> ResponseReturnValue:
    """The run's charts; scores only for the charts whose feedback is open (``may_see_key``)."""
    progress = run_status(item, domain().catalog)
    graded = {a.id for a in progress.attempts if may_see_key(current_user, a)}
    return render_template(
        "assignments/run.html",
        status=progress,
        graded=graded,
        assignment=item.assignment,
        specialties=SPECIALTIES,
    ), status


@bp.post("/run/<int:run_id>/finish")
@login_required
def finish(run_id: int) -> ResponseReturnValue:
    item = _own_run(run_id)
    if item.finished_at is None:
        finish_run(item, domain().catalog)
        flash("Submitted. Every chart is graded: the feedback is open.", "info")
    return redirect(url_for("assignments.run", run_id=item.id), 303)


def _join_key() -> str:
    """Per signed-in user: a guesser cannot spread join-code tries over addresses."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return f"address:{request.remote_addr}"


@bp.post("/join")
@login_required
@limiter.limit(
    lambda: current_app.config["JOIN_CODE_LIMIT"],
    key_func=_join_key,
    deduct_when=lambda response: response.status_code == 400,
    error_message="Too many wrong join codes. Please wait and check the code with your supervisor.",
)
def join() -> ResponseReturnValue:
    """A trainee joins (or moves to) a cohort with the code their supervisor shared."""
    try:
        cohort = join_cohort(current_user, request.form.get("code", "")[:64])
    except CohortError as exc:
        flash(str(exc), "error")
        return index_page(400)
    flash(f"You joined {cohort.name}.", "info")
    return redirect(url_for("assignments.index"), 303)
