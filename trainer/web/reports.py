"""Supervisor reports: the cohort report (printable), its CSV tables, and one trainee's page."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from trainer.core.content.templates import SPECIALTIES
from trainer.core.stats.mastery import STATUS_LABELS

from ..core.integers import IntegerInputError, parse_int
from ..extensions import db
from ..models import Cohort, CohortMember, User
from ..services.charts import em_levels_svg, trend_svg
from ..services.cohorts import visible_cohorts
from ..services.library import cohort_library
from ..services.progress import error_ranking, specialty_summaries, weekly_trend
from ..services.reports import CohortReport, cohort_report
from .auth import role_required
from .downloads import csv_download
from .progress import svg_response
from .trainee_detail import chart_context

bp = Blueprint("reports", __name__, url_prefix="/supervise")


def _cohort(cohort_id: int) -> Cohort:
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or cohort not in visible_cohorts(current_user):
        abort(404)
    return cohort


def _report(cohort: Cohort, page: int = 1, every_trainee: bool = False) -> CohortReport:
    """One page of trainees for the page; every trainee for a CSV export."""
    cfg = current_app.config
    library = cohort_library(cohort, current_user)
    target, elite = cfg["ACCURACY_TARGET"], cfg["ACCURACY_ELITE"]
    if every_trainee:
        return cohort_report(cohort, library, target, elite, per_page=None)
    return cohort_report(cohort, library, target, elite, page=page)


@bp.get("/cohorts/<int:cohort_id>/report")
@role_required("supervisor")
def cohort(cohort_id: int) -> ResponseReturnValue:
    try:
        page = parse_int(request.args.get("page") or "1", "page", 1, 1_000_000)
    except IntegerInputError:
        abort(400)
    report = _report(_cohort(cohort_id), page)
    em = report.em
    em_svg = em_levels_svg(em.key_levels, em.given_levels) if em and em.key_levels else ""
    return render_template("supervise/report.html", report=report, em_svg=em_svg)


@bp.get("/cohorts/<int:cohort_id>/report/<table>.csv")
@role_required("supervisor")
def table_csv(cohort_id: int, table: str) -> ResponseReturnValue:
    report = _report(_cohort(cohort_id), every_trainee=True)
    if table not in report.tables:
        abort(404)
    return csv_download(report.tables[table].csv(), report.cohort.name, f"-{table}.csv")


def _trainee(trainee_id: int) -> User:
    """A trainee of one of the viewer's cohorts (any trainee for an admin); 404 otherwise."""
    user = db.session.get(User, trainee_id)
    if user is None:
        abort(404)
    cohort_id = db.session.scalar(
        select(CohortMember.cohort_id).where(CohortMember.user_id == user.id)
    )
    if not current_user.is_admin and cohort_id not in {c.id for c in visible_cohorts(current_user)}:
        abort(404)
    return user


@bp.get("/trainees/<int:trainee_id>")
@role_required("supervisor")
def trainee(trainee_id: int) -> ResponseReturnValue:
    user = _trainee(trainee_id)
    cfg = current_app.config
    return render_template(
        "supervise/trainee.html",
        trainee=user,
        summaries=specialty_summaries(user.id, cfg["ACCURACY_TARGET"], cfg["ACCURACY_ELITE"]),
        errors=error_ranking(user.id),
        specialties=SPECIALTIES,
        status_labels=STATUS_LABELS,
        **chart_context(user),
    )


@bp.get("/trainees/<int:trainee_id>/trend.svg")
@role_required("supervisor")
def trainee_trend(trainee_id: int) -> ResponseReturnValue:
    user = _trainee(trainee_id)
    cfg = current_app.config
    weeks, series = weekly_trend(user.id)
    named = {SPECIALTIES.get(k, k): v for k, v in series.items()}
    return svg_response(trend_svg(named, weeks, cfg["ACCURACY_TARGET"], cfg["ACCURACY_ELITE"]))
