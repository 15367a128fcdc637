"""Progress: accuracy per specialty against the 95% benchmark, with its confidence."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask_login import current_user, login_required

from ..core.exercises import SPECIALTIES
from ..core.mastery import STATUS_LABELS
from ..services.progress import error_ranking, specialty_summaries

bp = Blueprint("progress", __name__, url_prefix="/progress")


@bp.get("/")
@login_required
def index():  # type: ignore[no-untyped-def]
    cfg = current_app.config
    return render_template(
        "progress/index.html",
        summaries=specialty_summaries(
            current_user.id, cfg["ACCURACY_TARGET"], cfg["ACCURACY_ELITE"]
        ),
        errors=error_ranking(current_user.id),
        specialties=SPECIALTIES,
        status_labels=STATUS_LABELS,
        target=cfg["ACCURACY_TARGET"],
        elite=cfg["ACCURACY_ELITE"],
    )
