"""JSON API for LMS integrations: start a chart, submit an answer, read results, cohort report."""

from __future__ import annotations

import random

from flask import Blueprint, abort, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from trainer.core.content.templates import SPECIALTIES

from ..core.claims import ClaimFormatError, claim_from_dict
from ..domain import domain
from ..extensions import csrf, db
from ..models import AssignmentRun, Attempt, Cohort
from ..services import practice as service
from ..services.access import may_see_key
from ..services.assignments import run_status
from ..services.cohorts import can_manage, cohort_rows
from .api import ApiInputError, claim_error, input_error
from .errors import json_error

bp = Blueprint("api_clients", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # JSON for integrations, authenticated by Bearer token or session
bp.register_error_handler(ApiInputError, input_error)
bp.register_error_handler(ClaimFormatError, claim_error)


def _own(attempt_id: int) -> Attempt:
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != current_user.id:
        abort(404)
    return attempt


def _summary(attempt: Attempt) -> dict[str, object]:
    variant = service.variant_of(attempt)
    data: dict[str, object] = {
        "attempt_id": attempt.id,
        "status": attempt.status,
        "specialty": attempt.specialty,
        "setting": variant.setting,
        "claim_form": variant.claim_form,
        "date_of_service": variant.date_of_service.isoformat(),
        "mode": attempt.mode,
    }
    if may_see_key(current_user, attempt):
        # The title names what the chart teaches ("probable angina not coded"): shown with
        # the feedback only, as the chart page does.
        data["title"] = variant.title
        data["grade"] = service.current_grade(attempt)
    return data


@bp.post("/exercises/start")
@login_required
def api_start() -> ResponseReturnValue:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiInputError("body", "send a JSON object with 'specialty'")
    specialty = body.get("specialty")
    available = domain().library.by_specialty()
    if specialty not in available:
        raise ApiInputError("specialty", f"one of {', '.join(sorted(available))}")
    template = service.choose_template(domain().library, specialty, random.Random())
    attempt = service.start_attempt(current_user.id, template)
    data = _summary(attempt)
    data["chart_html"] = service.variant_of(attempt).chart_html
    data["specialty_name"] = SPECIALTIES.get(specialty, specialty)
    return jsonify(data), 201


@bp.post("/attempts/<int:attempt_id>/submit")
@login_required
def api_submit(attempt_id: int) -> ResponseReturnValue:
    attempt = _own(attempt_id)
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiInputError("body", "send a JSON object with 'answer'")
    answer = claim_from_dict(body.get("answer"), where="answer")
    pos = answer.place_of_service
    dos = service.variant_of(attempt).date_of_service
    if pos and not domain().catalog.validate(pos, "pos", dos).valid:
        raise ApiInputError(
            "answer.place_of_service", f"{pos} is not a code of the CMS place-of-service set"
        )
    seconds = body.get("seconds", 0)
    if not isinstance(seconds, int) or isinstance(seconds, bool) or not 0 <= seconds <= 86400:
        raise ApiInputError("seconds", "a whole number of seconds from 0 to 86400")
    try:
        service.refuse_after_deadline(attempt)
        if attempt.status != "in_progress":
            return json_error(
                409,
                "This attempt is already submitted; the first answer stands.",
                attempt=_summary(attempt),
                first_submission=False,
            )
        outcome = service.submit_attempt(
            attempt.id, current_user.id, answer, seconds, domain().catalog
        )
    except service.ExamClosedError as exc:
        run = db.get_or_404(AssignmentRun, attempt.run_id)
        run_status(run, domain().catalog)  # grade what was saved before the bell
        return json_error(
            409,
            str(exc),
            closed_at=exc.closed_at.isoformat(),
            attempt=_summary(attempt),
            first_submission=False,
        )
    return jsonify({**_summary(outcome.attempt), "first_submission": outcome.first_time})


@bp.get("/attempts/<int:attempt_id>")
@login_required
def api_attempt(attempt_id: int) -> ResponseReturnValue:
    return jsonify(_summary(_own(attempt_id)))


@bp.get("/cohorts/<int:cohort_id>/report")
@login_required
def api_cohort_report(cohort_id: int) -> ResponseReturnValue:
    if not current_user.is_supervisor:
        abort(403)
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or not can_manage(current_user, cohort):
        abort(404)
    cfg = current_app.config
    rows = cohort_rows(cohort, cfg["ACCURACY_TARGET"], cfg["ACCURACY_ELITE"])
    return jsonify(
        {
            "cohort": {"id": cohort.id, "name": cohort.name},
            "trainees": [
                {
                    "user_id": row.user.id,
                    "name": row.user.display_name,
                    "charts": row.overall.charts,
                    "code_accuracy": row.overall.code_accuracy,
                    "specialties": {
                        spec: {
                            "charts": s.charts,
                            "code_accuracy": s.code_accuracy,
                            "chart_accuracy": s.chart_accuracy,
                            "interval": list(s.code_interval),
                            "status": s.status,
                        }
                        for spec, s in row.by_specialty.items()
                    },
                }
                for row in rows
            ],
        }
    )
