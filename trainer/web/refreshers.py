"""Code-update refreshers: what changed in each update, practice on it, assign it in one step."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, time

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from trainer.core.content.refresher import KIND_LABELS, CodeUpdate, update_source
from trainer.core.content.templates import SPECIALTIES

from ..core.integers import IntegerInputError, parse_int
from ..domain import domain
from ..services.assignments import AssignmentError, create_assignment
from ..services.cohorts import visible_cohorts
from ..services.practice import PracticeError, start_attempt
from .auth import role_required

bp = Blueprint("refreshers", __name__, url_prefix="/updates")
MAX_CHARTS = 50


def _update(slug: str) -> CodeUpdate:
    update = CodeUpdate.from_slug(slug)
    if update is None or update not in domain().updates():
        abort(404)
    return update


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    found = []
    for update in domain().updates():
        changes, items = domain().refresher(update)
        found.append((update, changes, items))
    return render_template("refreshers/index.html", found=found)


def _page(code_update: CodeUpdate, status: int = 200) -> ResponseReturnValue:
    changes, items = domain().refresher(code_update)
    return render_template(
        "refreshers/update.html",
        update=code_update,
        changes=changes,
        items=items,
        kind_label=KIND_LABELS[code_update.kind],
        source=update_source(domain().catalog, code_update),
        specialties=SPECIALTIES,
        cohorts=visible_cohorts(current_user) if current_user.is_supervisor else [],
    ), status


@bp.get("/<slug>")
@login_required
def update(slug: str) -> ResponseReturnValue:
    return _page(_update(slug))


@bp.post("/<slug>/practice")
@login_required
def practice(slug: str) -> ResponseReturnValue:
    """One refresher chart, dated after the update; it counts apart from ordinary practice."""
    code_update = _update(slug)
    _, items = domain().refresher(code_update)
    if not items:
        flash("No chart drills this update yet.", "error")
        return _page(code_update, 409)
    item = items[secrets.randbelow(len(items))]
    template = domain().library.get(item.template_id)
    if template is None:
        abort(404)
    try:
        attempt = start_attempt(
            current_user.id,
            template,
            reason=f"Refresher: {code_update.label}",
            between=code_update.window,
            course=code_update.slug,
        )
    except (PracticeError, ValueError) as exc:
        flash(str(exc), "error")
        return _page(code_update, 400)
    return redirect(url_for("practice.attempt", attempt_id=attempt.id), 303)


@bp.post("/<slug>/assign")
@role_required("supervisor")
def assign(slug: str) -> ResponseReturnValue:
    """The whole refresher to one cohort, in one step."""
    code_update = _update(slug)
    _, items = domain().refresher(code_update)
    raw_cohort = request.form.get("cohort_id", "")
    raw_count = request.form.get("chart_count", "") or str(min(MAX_CHARTS, 2 * len(items)))
    cohort = next((c for c in visible_cohorts(current_user) if str(c.id) == raw_cohort), None)
    if cohort is None:
        flash("Choose one of your cohorts.", "error")
        return _page(code_update, 400)
    try:
        chart_count = parse_int(raw_count, "chart_count", 1, MAX_CHARTS)
    except IntegerInputError:
        flash(f"A refresher has 1 to {MAX_CHARTS} charts.", "error")
        return _page(code_update, 400)
    due = None
    raw_due = request.form.get("due", "").strip()
    if raw_due:
        try:
            due = datetime.combine(datetime.strptime(raw_due, "%Y-%m-%d").date(), time(23, 59))
            due = due.replace(tzinfo=UTC)
        except ValueError:
            flash("The due date is YYYY-MM-DD.", "error")
            return _page(code_update, 400)
    try:
        create_assignment(
            current_user,
            cohort.id,
            f"{code_update.label} refresher",
            domain().library,
            template_ids=[i.template_id for i in items],
            chart_count=chart_count,
            mode="practice",
            policy="strict",
            due_at=due,
            refresher=code_update.slug,
        )
    except AssignmentError as exc:
        flash(str(exc), "error")
        return _page(code_update, 400)
    flash(f"{code_update.label} refresher assigned to {cohort.name}.", "info")
    return redirect(url_for("refreshers.update", slug=slug), 303)
