"""A supervisor's own cohorts' membership: add an existing trainee, remove one.

Moving between cohorts stays in ``supervise.move``; all three go through
``services.cohorts``, which checks ``can_manage`` and writes the audit log.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ..core.integers import IntegerInputError, parse_id
from ..models import Cohort
from ..services.cohorts import CohortError, add_trainee, managed_cohort, remove_trainee
from .auth import role_required
from .supervise import index_page

bp = Blueprint("members", __name__, url_prefix="/supervise/cohorts")


def _own_cohort(cohort_id: int) -> Cohort:
    """A cohort the viewer may manage; 404 otherwise (another's cohort is not confirmed)."""
    cohort = managed_cohort(current_user, cohort_id)
    if cohort is None:
        abort(404)
    return cohort


@bp.post("/<int:cohort_id>/trainees")
@role_required("supervisor")
def add(cohort_id: int) -> ResponseReturnValue:
    cohort = _own_cohort(cohort_id)
    username = request.form.get("username", "").strip()
    if not username:
        flash("Give the trainee's username.", "error")
        return index_page(400)
    try:
        user = add_trainee(current_user, cohort, username[:64])
    except CohortError as exc:
        flash(str(exc), "error")
        return index_page(400)
    flash(f"{user.display_name} is in {cohort.name} now; their earlier charts stay theirs.", "info")
    return redirect(url_for("supervise.index"), 303)


@bp.post("/<int:cohort_id>/remove")
@role_required("supervisor")
def remove(cohort_id: int) -> ResponseReturnValue:
    cohort = _own_cohort(cohort_id)
    try:
        user_id = parse_id(request.form.get("user_id"), "user_id")
    except IntegerInputError:
        flash("Choose the trainee to remove.", "error")
        return index_page(400)
    try:
        remove_trainee(current_user, cohort, user_id)
    except CohortError as exc:
        flash(str(exc), "error")
        return index_page(400)
    flash(
        f"Trainee removed from {cohort.name}; their account and charts stay, and they can "
        "go on practising on their own.",
        "info",
    )
    return redirect(url_for("supervise.index"), 303)
