"""Progress: accuracy per specialty against the 95% benchmark, with its confidence."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template
from flask_login import current_user, login_required

from trainer.core.content.templates import SPECIALTIES
from trainer.core.grading.types import ERROR_LABELS
from trainer.core.stats.mastery import STATUS_LABELS

from ..services.charts import errors_svg, trend_svg
from ..services.progress import (
    error_ranking,
    refresher_summaries,
    specialty_summaries,
    weekly_trend,
)

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
        refreshers=refresher_summaries(current_user.id),
        specialties=SPECIALTIES,
        status_labels=STATUS_LABELS,
        error_labels=ERROR_LABELS,
        target=cfg["ACCURACY_TARGET"],
        elite=cfg["ACCURACY_ELITE"],
    )


def svg_response(body: str) -> Response:
    """An SVG image; its own CSP lets pygal's inline styles apply and nothing else load."""
    response = Response(body, mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/trend.svg")
@login_required
def trend_chart():  # type: ignore[no-untyped-def]
    cfg = current_app.config
    weeks, series = weekly_trend(current_user.id)
    named = {SPECIALTIES.get(k, k): v for k, v in series.items()}
    return svg_response(trend_svg(named, weeks, cfg["ACCURACY_TARGET"], cfg["ACCURACY_ELITE"]))


@bp.get("/errors.svg")
@login_required
def errors_chart():  # type: ignore[no-untyped-def]
    return svg_response(errors_svg(error_ranking(current_user.id)))
