"""The per-trainee page's chart list and error-type chart (the page itself is
``reports.trainee``; this adds what it shows beyond the summary table and the trend)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from trainer.core.content.templates import SPECIALTIES
from trainer.core.grading.types import error_label

from ..core.integers import IntegerInputError, parse_int
from ..models import User
from ..services.certification import certificates_of, evidence_by_specialty
from ..services.charts import errors_svg
from ..services.progress import error_ranking
from ..services.trainee_charts import ChartFilterError, trainee_charts, visible_trainee
from .auth import role_required
from .progress import svg_response

bp = Blueprint("trainee_detail", __name__, url_prefix="/supervise/trainees")


def scoped_trainee(trainee_id: int) -> User:
    user = visible_trainee(current_user, trainee_id)
    if user is None:
        abort(404)
    return user


def chart_context(trainee: User) -> dict[str, Any]:
    """Template variables of the chart list, from the query arguments (bad ones: 400)."""
    specialty = request.args.get("specialty", "")[:40]
    error_type = request.args.get("error", "")[:32]
    if specialty and specialty not in SPECIALTIES:
        abort(400, f"Unknown specialty {specialty!r}.")
    try:
        page = parse_int(request.args.get("page") or "1", "page", 1, 1_000_000)
        charts = trainee_charts(current_user, trainee, specialty, error_type, page)
    except (IntegerInputError, ChartFilterError) as exc:
        abort(400, str(exc))
    return {
        "evidence": evidence_by_specialty(trainee, current_app.config["ACCURACY_TARGET"]),
        "certificates": certificates_of(trainee),
        "charts": charts,
        "chart_specialty": specialty,
        "chart_error": error_type,
        "error_label": error_label,
    }


@bp.get("/<int:trainee_id>/errors.svg")
@role_required("supervisor")
def errors_chart(trainee_id: int) -> ResponseReturnValue:
    trainee = scoped_trainee(trainee_id)
    ranking = [(error_label(kind), n) for kind, n in error_ranking(trainee.id)]
    return svg_response(errors_svg(ranking))
