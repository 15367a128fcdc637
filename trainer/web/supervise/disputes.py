"""Supervisor pages, the disputes: the queue of the trainees' disputes, rejecting one, and
accepting one with a key correction read from the accept form.

Apart from the cohorts because a dispute's reach is decided by ``services.disputes``
(``can_review``: disputes of charts of the supervisor's own cohorts; an administrator's reach
every cohort), and the accept form's fields become the service's ``KeyChange`` dicts here.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from trainer.core.codesets.codes import guess_kind

from ...domain import domain
from ...extensions import db
from ...models import Attempt, Dispute
from ...services.access import may_see_key
from ...services.disputes import (
    DisputeError,
    accept_dispute,
    can_review,
    corrections_seen_by,
    reject_dispute,
    visible_disputes,
)
from ...services.keys import current_key
from ..auth import role_required
from .blueprint import bp


def _reviewable(dispute_id: int) -> Dispute:
    dispute = db.session.get(Dispute, dispute_id)
    if dispute is None or not can_review(current_user, dispute):
        abort(404)
    return dispute


def _queue(status: int = 200) -> ResponseReturnValue:
    items = []
    for dispute in visible_disputes(current_user):
        attempt = db.session.get(Attempt, dispute.attempt_id)
        shown = attempt is not None and may_see_key(current_user, attempt)
        items.append((dispute, attempt, current_key(attempt) if attempt and shown else None))
    return render_template(
        "supervise/disputes.html",
        items=items,
        corrections=corrections_seen_by(current_user),
        change_choices=CHANGE_CHOICES,
    ), status


@bp.get("/disputes")
@role_required("supervisor")
def disputes() -> ResponseReturnValue:
    return _queue()


@bp.post("/disputes/<int:dispute_id>/reject")
@role_required("supervisor")
def reject(dispute_id: int) -> ResponseReturnValue:
    dispute = _reviewable(dispute_id)
    try:
        reject_dispute(dispute, current_user, request.form.get("response", "")[:10_000])
    except DisputeError as exc:
        flash(str(exc), "error")
        return _queue(400)
    flash("Dispute rejected; the trainee sees your explanation.", "info")
    return redirect(url_for("supervise.disputes"), 303)


CHANGE_CHOICES = {
    "add": "add a missing code",
    "remove": "remove a keyed code",
    "change_line": "change a keyed line",
    "move_diagnosis": "move a diagnosis to a position",
}


def _added(code: str, form: MultiDict[str, str]) -> dict[str, Any]:
    """An added code: a diagnosis for an ICD-10-CM code, else a line (with the form's
    units, modifiers and revenue code)."""
    if guess_kind(code) == "icd10cm":
        return {"op": "add_diagnosis", "code": code, "position": form.get("change_position")}
    return {"op": "add_line", "code": code, **_line_fields(form)}


def _line_fields(form: MultiDict[str, str]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    mods = form.get("change_modifiers", "")[:32].replace(",", " ").split()
    if mods or form.get("clear_modifiers"):
        fields["modifiers"] = mods
    if form.get("change_units", "").strip():
        fields["units"] = form.get("change_units", "")[:8].strip()
    if form.get("change_revenue", "").strip():
        fields["revenue_code"] = form.get("change_revenue", "")[:8].strip()
    return fields


def _form_changes(form: MultiDict[str, str]) -> list[dict[str, Any]]:
    """The accept form's "other change" (one per acceptance), as the service reads it."""
    op = form.get("change_op", "")[:16]
    code = form.get("change_code", "")[:16].strip()
    if not op or op not in CHANGE_CHOICES:
        return []
    if op == "add":
        return [_added(code, form)]
    if op == "change_line":
        return [{"op": op, "code": code, **_line_fields(form)}]
    if op == "move_diagnosis":
        return [{"op": op, "code": code, "position": form.get("change_position", "")[:4]}]
    return [{"op": op, "code": code}]


@bp.post("/disputes/<int:dispute_id>/accept")
@role_required("supervisor")
def accept(dispute_id: int) -> ResponseReturnValue:
    dispute = _reviewable(dispute_id)
    form = request.form
    old, new = form.get("old_code", "")[:16].strip(), form.get("new_code", "")[:16].strip()
    also = form.get("also_accept", "")[:16].strip()
    replace = {old: new} if old and new else {}
    accept_codes = {old: [also]} if old and also else {}
    changes = _form_changes(form)
    if new and not old:  # "replace nothing with X": the key missed X, so X is added
        changes.insert(0, _added(new, form))
    try:
        regraded = accept_dispute(
            dispute,
            current_user,
            replace,
            accept_codes,
            form.get("response", "")[:10_000],
            domain().catalog,
            changes,
        )
    except DisputeError as exc:
        flash(str(exc), "error")
        return _queue(400)
    reach = "every cohort" if current_user.is_admin else "your cohorts"
    flash(
        f"Key corrected for {reach}: {regraded} attempt(s) regraded; earlier grades stay in "
        "history.",
        "info",
    )
    return redirect(url_for("supervise.disputes"), 303)
