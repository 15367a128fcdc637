"""Supervisor pages, the cohorts: the dashboard of every cohort the supervisor runs and where
each trainee stands, creating a cohort, the roster CSV import, moving a trainee, and the
cohort-by-specialty CSV.

Apart from the disputes and the assignments because these act on cohorts and their members
(``services.cohorts``, ``services.cohort_import``); ``index_page`` is also the page
``members`` renders after a roster change.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from trainer.core.content.templates import SPECIALTIES
from trainer.core.stats.mastery import STATUS_LABELS

from ...core.csv_files import CsvFormatError, decode_upload, write_csv
from ...core.integers import IntegerInputError, parse_id
from ...domain import domain
from ...services.cohort_import import import_csv
from ...services.cohorts import (
    CohortError,
    can_manage,
    cohort_rows,
    create_cohort,
    move_trainee,
    visible_cohorts,
)
from ..auth import role_required
from ..downloads import csv_download
from .blueprint import bp, own_cohort


def index_page(status: int = 200) -> ResponseReturnValue:
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
        can_hand_over=lambda cohort: can_manage(current_user, cohort, "hand_over"),
    ), status


@bp.get("/")
@role_required("supervisor")
def index() -> ResponseReturnValue:
    return index_page()


@bp.post("/cohorts")
@role_required("supervisor")
def create_cohort_view() -> ResponseReturnValue:
    try:
        cohort = create_cohort(current_user, request.form.get("name", "")[:500])
    except CohortError as exc:
        flash(str(exc), "error")
        return index_page(400)
    flash(f"Cohort created; trainees join with code {cohort.join_code}.", "info")
    return redirect(url_for("supervise.index"), 303)


MAX_IMPORT_BYTES = 1_000_000


@bp.post("/cohorts/<int:cohort_id>/import")
@role_required("supervisor")
def import_trainees(cohort_id: int) -> ResponseReturnValue:
    cohort = own_cohort(cohort_id)
    upload = request.files.get("file")
    try:
        data = upload.read(MAX_IMPORT_BYTES + 1) if upload else b""
        if len(data) > MAX_IMPORT_BYTES:
            raise CsvFormatError(f"A CSV import is at most {MAX_IMPORT_BYTES // 1000} KB.")
        text = decode_upload(data)
    except CsvFormatError as exc:
        flash(str(exc), "error")
        return index_page(400)
    text = text or request.form.get("rows", "")[:MAX_IMPORT_BYTES]
    try:
        results = import_csv(current_user, cohort, text, set(domain().library.specialties()))
    except CohortError as exc:
        flash(str(exc), "error")
        return index_page(400)
    return render_template("supervise/imported.html", cohort=cohort, results=results)


@bp.post("/cohorts/move")
@role_required("supervisor")
def move() -> ResponseReturnValue:
    try:
        user_id = parse_id(request.form.get("user_id"), "user_id")
        cohort_id = parse_id(request.form.get("cohort_id"), "cohort_id")
    except IntegerInputError:
        flash("Choose a trainee and a cohort.", "error")
        return index_page(400)
    try:
        move_trainee(current_user, user_id, cohort_id)
    except CohortError as exc:
        flash(str(exc), "error")
        return index_page(400)
    flash("Trainee moved.", "info")
    return redirect(url_for("supervise.index"), 303)


COHORT_CSV_COLUMNS = (
    "trainee",
    "username",
    "specialty",
    "charts",
    "charts_correct",
    "codes_correct",
    "codes_total",
    "code_accuracy",
    "ci_low",
    "ci_high",
    "status",
)


@bp.get("/cohorts/<int:cohort_id>/report.csv")
@role_required("supervisor")
def cohort_csv(cohort_id: int) -> ResponseReturnValue:
    """The cohort-by-specialty table as CSV, one row per trainee and specialty."""
    cohort = own_cohort(cohort_id)
    cfg = current_app.config
    rows = []
    for row in cohort_rows(cohort, cfg["ACCURACY_TARGET"], cfg["ACCURACY_ELITE"]):
        for specialty, s in sorted(row.by_specialty.items()):
            low, high = s.code_interval
            rows.append(
                [
                    row.user.display_name,
                    row.user.username,
                    specialty,
                    s.charts,
                    s.charts_correct,
                    s.codes_correct,
                    s.codes_total,
                    f"{s.code_accuracy:.4f}" if s.code_accuracy is not None else "",
                    f"{low:.4f}",
                    f"{high:.4f}",
                    s.status,
                ]
            )
    return csv_download(write_csv(COHORT_CSV_COLUMNS, rows), cohort.name, "-accuracy.csv")
