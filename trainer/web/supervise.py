"""Supervisor pages: the cohorts a supervisor runs and where each trainee stands."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask_login import current_user

from ..core.exercises import SPECIALTIES
from ..core.mastery import STATUS_LABELS
from ..services.cohorts import cohort_rows, visible_cohorts
from .auth import role_required

bp = Blueprint("supervise", __name__, url_prefix="/supervise")


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
