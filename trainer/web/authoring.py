"""Supervisors' own templates: write, check with the validator, preview, then assign."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from trainer.core.content.generation import generate

from ..extensions import db
from ..models import AuthoredTemplate, User
from ..services.library import (
    STARTER_BODY,
    AuthoringError,
    assignable_library,
    authored_rows,
    publish_template,
    save_template,
    starter_toml,
)
from .auth import role_required

bp = Blueprint("authoring", __name__, url_prefix="/supervise/templates")


def _own(row_id: int) -> AuthoredTemplate:
    row = db.session.get(AuthoredTemplate, row_id)
    if row is None or (row.owner_id != current_user.id and not current_user.is_admin):
        abort(404)
    return row


@bp.get("/")
@role_required("supervisor")
def index() -> ResponseReturnValue:
    rows = authored_rows(current_user)
    publishers = {
        u.id: u.display_name
        for u in db.session.scalars(
            select(User).where(User.id.in_({r.published_by for r in rows if r.published_by}))
        )
    }
    return render_template(
        "supervise/templates.html",
        rows=rows,
        publishers=publishers,
        builtin=len(assignable_library(current_user).templates),
    )


def _editor(
    row: AuthoredTemplate | None, toml_text: str, body: str, status: int = 200
) -> ResponseReturnValue:
    return render_template(
        "supervise/template_edit.html",
        row=row,
        toml_text=toml_text,
        body=body,
    ), status


@bp.get("/new")
@role_required("supervisor")
def new() -> ResponseReturnValue:
    return _editor(None, starter_toml(), STARTER_BODY)


def _save(row: AuthoredTemplate | None) -> ResponseReturnValue:
    toml_text = request.form.get("toml_text", "")[:200_000]
    body = request.form.get("body", "")[:200_000]
    try:
        saved = save_template(current_user, toml_text, body, row)
    except AuthoringError as exc:
        flash(str(exc), "error")
        return _editor(row, toml_text, body, 400)
    if saved.status == "checked":
        flash("Saved and checked: no problems. It can be assigned now.", "info")
    else:
        flash(
            f"Saved as a draft: the validator found {len(saved.problems)} problem(s) to fix "
            "before it can be assigned.",
            "error",
        )
    return redirect(url_for("authoring.edit", row_id=saved.id), 303)


@bp.post("/new")
@role_required("supervisor")
def create() -> ResponseReturnValue:
    return _save(None)


@bp.get("/<int:row_id>")
@role_required("supervisor")
def edit(row_id: int) -> ResponseReturnValue:
    row = _own(row_id)
    return _editor(row, row.toml_text, row.body_text)


@bp.post("/<int:row_id>")
@role_required("supervisor")
def update(row_id: int) -> ResponseReturnValue:
    return _save(_own(row_id))


@bp.post("/<int:row_id>/publish")
@role_required("admin")
def publish(row_id: int) -> ResponseReturnValue:
    """An administrator publishes a checked template to every cohort (or takes it back)."""
    row = db.session.get(AuthoredTemplate, row_id)
    if row is None:
        abort(404)
    wanted = request.form.get("publish", "1") != "0"
    try:
        publish_template(current_user, row, wanted)
    except AuthoringError as exc:
        flash(str(exc), "error")
        return redirect(url_for("authoring.index"), 303)
    flash(
        "Published: every cohort can be assigned it now."
        if wanted
        else "Unpublished: only its author's cohorts can be assigned it.",
        "info",
    )
    return redirect(url_for("authoring.index"), 303)


@bp.get("/<int:row_id>/preview")
@role_required("supervisor")
def preview(row_id: int) -> ResponseReturnValue:
    """Every variant's chart and key, as a trainee would see the chart (seed 0)."""
    row = _own(row_id)
    if row.status != "checked":
        flash("Fix the problems first: only a checked template can be previewed.", "error")
        return redirect(url_for("authoring.edit", row_id=row.id), 303)
    template = assignable_library(current_user).get(row.template_id)
    if template is None:
        abort(404)
    variants = [generate(template, 0, choices=choice) for choice in template.choices()]
    return render_template("supervise/template_preview.html", row=row, variants=variants)
