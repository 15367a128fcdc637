"""Certifying a trainee in a specialty, the printable certificate, revoking it, and the
cohort's readiness report. ``services.certification`` decides who may and on what evidence."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from trainer.core.content.templates import SPECIALTIES

from ..models import Certificate
from ..services.certification import (
    CertificationError,
    certify,
    readiness,
    revoke,
    visible_certificate,
)
from ..services.cohorts import managed_cohort
from .auth import role_required
from .trainee_detail import scoped_trainee

bp = Blueprint("certification", __name__, url_prefix="/supervise")


@bp.post("/trainees/<int:trainee_id>/certify")
@role_required("supervisor")
def sign(trainee_id: int) -> ResponseReturnValue:
    trainee = scoped_trainee(trainee_id)
    specialty = request.form.get("specialty", "")[:40]
    try:
        certificate = certify(
            current_user, trainee, specialty, current_app.config["ACCURACY_TARGET"]
        )
    except CertificationError as exc:
        abort(400, str(exc))
    flash(f"{trainee.display_name} is certified in {SPECIALTIES[specialty]}.", "info")
    return redirect(url_for("certification.certificate", certificate_id=certificate.id), 303)


def _certificate(certificate_id: int) -> Certificate:
    certificate = visible_certificate(current_user, certificate_id)
    if certificate is None:
        abort(404)
    return certificate


@bp.get("/certificates/<int:certificate_id>")
@role_required("supervisor")
def certificate(certificate_id: int) -> ResponseReturnValue:
    return render_template(
        "supervise/certificate.html",
        certificate=_certificate(certificate_id),
        specialties=SPECIALTIES,
    )


@bp.post("/certificates/<int:certificate_id>/revoke")
@role_required("supervisor")
def revoke_view(certificate_id: int) -> ResponseReturnValue:
    row = _certificate(certificate_id)
    try:
        revoke(current_user, row, request.form.get("reason", "")[:5000])
    except CertificationError as exc:
        abort(400, str(exc))
    flash("Certificate revoked; the record and your reason are kept.", "info")
    return redirect(url_for("certification.certificate", certificate_id=row.id), 303)


@bp.get("/cohorts/<int:cohort_id>/certification")
@role_required("supervisor")
def report(cohort_id: int) -> ResponseReturnValue:
    cohort = managed_cohort(current_user, cohort_id)
    if cohort is None:
        abort(404)
    return render_template(
        "supervise/certification_report.html",
        cohort=cohort,
        report=readiness(current_user, cohort, current_app.config["ACCURACY_TARGET"]),
        specialties=SPECIALTIES,
    )
