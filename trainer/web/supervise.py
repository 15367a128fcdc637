"""Supervisor pages: the cohorts a supervisor runs and where each trainee stands."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from ..core.exercises import SPECIALTIES
from ..core.mastery import STATUS_LABELS
from ..domain import domain
from ..extensions import db
from ..models import Attempt, Dispute
from ..services.cohorts import cohort_rows, visible_cohorts
from ..services.disputes import (
    DisputeError,
    accept_dispute,
    can_review,
    reject_dispute,
    visible_disputes,
)
from ..services.keys import current_key
from .auth import role_required

bp = Blueprint("supervise", __name__, url_prefix="/supervise")


class CsrfOnlyForm(FlaskForm):
    """Carries the CSRF token of the review forms."""


@bp.get("/")
@role_required("supervisor")
def index():  # type: ignore[no-untyped-def]
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
    )


def _reviewable(dispute_id: int) -> Dispute:
    dispute = db.session.get(Dispute, dispute_id)
    if dispute is None or not can_review(current_user, dispute):
        abort(404)
    return dispute


def _queue(status: int = 200):  # type: ignore[no-untyped-def]
    items = []
    for dispute in visible_disputes(current_user):
        attempt = db.session.get(Attempt, dispute.attempt_id)
        items.append((dispute, attempt, current_key(attempt) if attempt else None))
    return render_template("supervise/disputes.html", items=items, form=CsrfOnlyForm()), status


@bp.get("/disputes")
@role_required("supervisor")
def disputes():  # type: ignore[no-untyped-def]
    return _queue()


@bp.post("/disputes/<int:dispute_id>/reject")
@role_required("supervisor")
def reject(dispute_id: int):  # type: ignore[no-untyped-def]
    dispute = _reviewable(dispute_id)
    if not CsrfOnlyForm().validate():
        abort(400)
    try:
        reject_dispute(dispute, current_user, request.form.get("response", "")[:10_000])
    except DisputeError as exc:
        flash(str(exc), "error")
        return _queue(400)
    flash("Dispute rejected; the trainee sees your explanation.", "info")
    return redirect(url_for("supervise.disputes"), 303)


@bp.post("/disputes/<int:dispute_id>/accept")
@role_required("supervisor")
def accept(dispute_id: int):  # type: ignore[no-untyped-def]
    dispute = _reviewable(dispute_id)
    if not CsrfOnlyForm().validate():
        abort(400)
    form = request.form
    old, new = form.get("old_code", "")[:16].strip(), form.get("new_code", "")[:16].strip()
    also = form.get("also_accept", "")[:16].strip()
    replace = {old: new} if old and new else {}
    accept_codes = {old: [also]} if old and also else {}
    try:
        regraded = accept_dispute(
            dispute,
            current_user,
            replace,
            accept_codes,
            form.get("response", "")[:10_000],
            domain().catalog,
        )
    except DisputeError as exc:
        flash(str(exc), "error")
        return _queue(400)
    flash(f"Key corrected: {regraded} attempt(s) regraded; earlier grades stay in history.", "info")
    return redirect(url_for("supervise.disputes"), 303)
