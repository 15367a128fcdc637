"""Progress: accuracy per specialty against the 95% benchmark, with its confidence."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from trainer.core.content.templates import SPECIALTIES
from trainer.core.grading.types import error_label
from trainer.core.stats.mastery import STATUS_LABELS

from ..services.certification import certificates_of, held_certificate
from ..services.charts import em_levels_svg, errors_svg, trend_svg
from ..services.progress import (
    SpecialtyProgress,
    error_ranking,
    refresher_summaries,
    specialty_summaries,
    weekly_trend,
)
from ..services.reports import PROGRESS_TABLES, EmDistribution, Table, trainee_cost_tables
from .downloads import csv_download

bp = Blueprint("progress", __name__, url_prefix="/progress")


def _own_cost_tables(summaries: list[SpecialtyProgress]) -> tuple[dict[str, Table], EmDistribution]:
    """The signed-in trainee's cost tables (only ever their own charts)."""
    cc = sum(s.summary.codes_correct for s in summaries)
    ct = sum(s.summary.codes_total for s in summaries)
    seconds = int(sum((s.mean_seconds or 0) * s.summary.charts for s in summaries))
    return trainee_cost_tables(current_user, cc / ct if ct else None, seconds)


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    cfg = current_app.config
    summaries = specialty_summaries(current_user.id, cfg["ACCURACY_TARGET"], cfg["ACCURACY_ELITE"])
    costs, em = _own_cost_tables(summaries)
    return render_template(
        "progress/index.html",
        costs=costs,
        em_svg=em_levels_svg(em.key_levels, em.given_levels) if em.key_levels else "",
        summaries=summaries,
        errors=error_ranking(current_user.id),
        refreshers=refresher_summaries(current_user.id),
        specialties=SPECIALTIES,
        status_labels=STATUS_LABELS,
        error_label=error_label,
        target=cfg["ACCURACY_TARGET"],
        elite=cfg["ACCURACY_ELITE"],
    )


@bp.get("/certificates")
@login_required
def certificates() -> ResponseReturnValue:
    """The signed-in user's own certificates, revoked ones marked as such."""
    return render_template(
        "progress/certificates.html",
        certificates=certificates_of(current_user),
        specialties=SPECIALTIES,
    )


@bp.get("/certificates/<int:certificate_id>")
@login_required
def certificate(certificate_id: int) -> ResponseReturnValue:
    """One of the user's own certificates, printable; anyone else's is a 404."""
    held = held_certificate(current_user, certificate_id)
    if held is None:
        abort(404)
    return render_template("progress/certificate.html", certificate=held, specialties=SPECIALTIES)


def svg_response(body: str) -> Response:
    """An SVG image; its own CSP lets pygal's inline styles apply and nothing else load."""
    response = Response(body, mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/trend.svg")
@login_required
def trend_chart() -> ResponseReturnValue:
    cfg = current_app.config
    weeks, series = weekly_trend(current_user.id)
    named = {SPECIALTIES.get(k, k): v for k, v in series.items()}
    return svg_response(trend_svg(named, weeks, cfg["ACCURACY_TARGET"], cfg["ACCURACY_ELITE"]))


@bp.get("/costs/<name>.csv")
@login_required
def table_csv(name: str) -> ResponseReturnValue:
    """One of the trainee's own cost tables as CSV (revenue, claims, em_levels)."""
    if name not in PROGRESS_TABLES:
        abort(404)
    cfg = current_app.config
    summaries = specialty_summaries(current_user.id, cfg["ACCURACY_TARGET"], cfg["ACCURACY_ELITE"])
    table = _own_cost_tables(summaries)[0][name]
    return csv_download(table.csv(), current_user.username, f"-{name}.csv")


@bp.get("/errors.svg")
@login_required
def errors_chart() -> ResponseReturnValue:
    return svg_response(errors_svg(error_ranking(current_user.id)))
