"""Who instructs a cohort: the hand-over page (give the cohort to another supervisor) and its
co-instructors. ``services.cohort_instructors`` does the change and its audit row;
``services.cohorts.can_manage`` decides who may (the owner or an administrator)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ..core.integers import IntegerInputError, parse_id
from ..models import Cohort
from ..services.cohort_instructors import (
    add_co_instructor,
    cohort_to_hand_over,
    hand_over,
    instructors_of,
    remove_co_instructor,
)
from ..services.cohorts import CohortError, can_manage
from .auth import role_required

bp = Blueprint("cohort_instructors", __name__, url_prefix="/supervise/cohorts")


def _handed_cohort(cohort_id: int) -> Cohort:
    """A cohort the viewer may hand over: 404 when they may not manage it at all, 403 for a
    co-instructor (``services.cohort_instructors.cohort_to_hand_over``)."""
    try:
        return cohort_to_hand_over(current_user, cohort_id)
    except LookupError:
        abort(404)
    except PermissionError:
        abort(403)


def _page(cohort: Cohort, status: int = 200) -> ResponseReturnValue:
    return render_template(
        "supervise/instructors.html", cohort=cohort, instructors=instructors_of(cohort)
    ), status


@bp.get("/<int:cohort_id>/instructors")
@role_required("supervisor")
def page(cohort_id: int) -> ResponseReturnValue:
    return _page(_handed_cohort(cohort_id))


def _username() -> str:
    return request.form.get("username", "").strip()[:64]


@bp.post("/<int:cohort_id>/hand-over")
@role_required("supervisor")
def hand_over_view(cohort_id: int) -> ResponseReturnValue:
    cohort = _handed_cohort(cohort_id)
    username = _username()
    if not username:
        flash("Give the username of the supervisor who takes the cohort over.", "error")
        return _page(cohort, 400)
    if request.form.get("confirm") != "yes":
        flash("Tick the box to confirm: you will no longer run this cohort.", "error")
        return _page(cohort, 400)
    try:
        new_owner = hand_over(current_user, cohort, username)
    except CohortError as exc:
        flash(str(exc), "error")
        return _page(cohort, 400)
    flash(
        f"{cohort.name} is {new_owner.display_name}'s now: its trainees, assignments, charts "
        "and reports went with it.",
        "info",
    )
    if can_manage(current_user, cohort):
        return redirect(url_for("cohort_instructors.page", cohort_id=cohort.id), 303)
    return redirect(url_for("supervise.index"), 303)


@bp.post("/<int:cohort_id>/instructors")
@role_required("supervisor")
def add(cohort_id: int) -> ResponseReturnValue:
    cohort = _handed_cohort(cohort_id)
    username = _username()
    if not username:
        flash("Give the co-instructor's username.", "error")
        return _page(cohort, 400)
    try:
        user = add_co_instructor(current_user, cohort, username)
    except CohortError as exc:
        flash(str(exc), "error")
        return _page(cohort, 400)
    flash(f"{user.display_name} co-instructs {cohort.name} now.", "info")
    return redirect(url_for("cohort_instructors.page", cohort_id=cohort.id), 303)


@bp.post("/<int:cohort_id>/instructors/remove")
@role_required("supervisor")
def remove(cohort_id: int) -> ResponseReturnValue:
    cohort = _handed_cohort(cohort_id)
    try:
        user_id = parse_id(request.form.get("user_id"), "user_id")
    except IntegerInputError:
        flash("Choose the co-instructor to remove.", "error")
        return _page(cohort, 400)
    try:
        remove_co_instructor(current_user, cohort, user_id)
    except CohortError as exc:
        flash(str(exc), "error")
        return _page(cohort, 400)
    flash(f"Co-instructor removed from {cohort.name}.", "info")
    return redirect(url_for("cohort_instructors.page", cohort_id=cohort.id), 303)
