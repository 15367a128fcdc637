"""Practice, the feedback: the graded chart with its key, costs and review, and a dispute.

Apart from the chart page because everything here is behind ``access.may_see_key``: the key
and the grade are rendered only for a user who may see them now (an open exam's charts stay
closed), and a dispute can be raised only on a chart whose key the trainee has seen.
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from sqlalchemy import select

from trainer.core.content.templates import SPECIALTIES

from ...domain import domain
from ...extensions import db
from ...models import Attempt, Dispute
from ...services import practice as service
from ...services.access import may_see_key, pair_of
from ...services.costs import locality_costs
from ...services.disputes import DisputeError, open_dispute
from ...services.keys import current_key
from ...services.practice_pairs import PAIR_CLOSED
from ...services.progress import specialty_summary
from ...services.review import review_of
from .blueprint import bp, own_attempt

NOT_DISPUTABLE = (
    "A key can be disputed once the chart is submitted (an exam chart once the exam is over, a "
    "pair's chart once both are submitted)."
)


def _revenue_titles(item: Attempt) -> dict[str, str]:
    """FL43 descriptions of the revenue codes the trainee entered (facility charts only)."""
    catalog = domain().catalog
    codes = {line.get("revenue_code") for line in (item.answer or {}).get("lines", [])}
    return {c: catalog.title(c, "revenue") or "" for c in codes if c}


def _costs(item: Attempt, grade: dict[str, Any] | None) -> dict[str, Any] | None:
    """The stored national cost estimate, or the one for ``?locality=`` (unknown: a 400)."""
    if grade is None:
        return None
    locality = request.args.get("locality", "national")
    if len(locality) > 16:
        abort(400, "Unknown Medicare locality.")
    if locality == "national" and isinstance(grade.get("costs"), dict):
        return dict(grade["costs"])
    found = locality_costs(item, grade, domain().catalog, locality)
    if found is None:
        abort(400, "Unknown Medicare locality.")
    return found.to_dict()


def _result_page(item: Attempt, status: int = 200) -> ResponseReturnValue:
    """The feedback with the key: only ever rendered for a user who may see it now."""
    if not may_see_key(current_user, item):
        abort(404)
    cfg = current_app.config
    summary = specialty_summary(
        item.user_id, item.specialty, cfg["ACCURACY_TARGET"], cfg["ACCURACY_ELITE"]
    )
    grade = service.current_grade(item)
    return render_template(
        "practice/result.html",
        costs=_costs(item, grade),
        localities=domain().catalog.localities(),
        attempt=item,
        variant=service.variant_of(item),
        key=current_key(item),
        disputes=db.session.scalars(
            select(Dispute).where(Dispute.attempt_id == item.id).order_by(Dispute.id)
        ).all(),
        grade=grade,
        review=review_of(item.id),
        revenue_titles=_revenue_titles(item),
        ncci_release=domain().catalog.ncci_release(),
        summary=summary,
        specialty_name=SPECIALTIES.get(item.specialty, item.specialty),
    ), status


@bp.get("/practice/attempt/<int:attempt_id>/result")
@login_required
def result(attempt_id: int) -> ResponseReturnValue:
    item = own_attempt(attempt_id)
    if item.status != "submitted":
        return redirect(url_for("practice.attempt", attempt_id=item.id))
    if not may_see_key(current_user, item):
        pair = pair_of(item.id)
        if pair is not None:
            flash(PAIR_CLOSED, "info")
            return redirect(url_for("practice_pairs.result", pair_id=pair.id))
        flash("Grades open when the whole exam is submitted.", "info")
        return redirect(url_for("assignments.run", run_id=item.run_id))
    return _result_page(item)


@bp.post("/practice/attempt/<int:attempt_id>/dispute")
@login_required
def dispute(attempt_id: int) -> ResponseReturnValue:
    """The trainee challenges the key with a citation; it reaches their supervisor's queue."""
    item = own_attempt(attempt_id)
    if not may_see_key(current_user, item):
        abort(409, description=NOT_DISPUTABLE)
    try:
        open_dispute(
            item,
            current_user.id,
            request.form.get("item", "")[:64],
            request.form.get("citation", "")[:10_000],
        )
    except DisputeError as exc:
        flash(str(exc), "error")
        return _result_page(item, 400)
    flash("Dispute sent to your supervisor. You will see the answer here.", "info")
    return redirect(url_for("practice.result", attempt_id=item.id), 303)
