"""Administrators register LMS platforms and watch the grade outbox."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..services.lti.grades import outbox
from ..services.lti.registrations import (
    RegistrationError,
    checked_fields,
    platforms,
    register_platform,
    set_platform_active,
)
from .auth import role_required

bp = Blueprint("lti_admin", __name__, url_prefix="/admin/lti")


class PlatformForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    issuer = StringField("Issuer", validators=[DataRequired(), Length(max=500)])
    client_id = StringField("Client ID", validators=[DataRequired(), Length(max=255)])
    auth_login_url = StringField(
        "OIDC authorisation URL", validators=[DataRequired(), Length(max=500)]
    )
    auth_token_url = StringField("Access token URL", validators=[DataRequired(), Length(max=500)])
    key_set_url = StringField(
        "Public key set (JWKS) URL", validators=[DataRequired(), Length(max=500)]
    )
    deployment_ids = TextAreaField(
        "Deployment IDs (one per line)", validators=[DataRequired(), Length(max=6000)]
    )


def _page(form: PlatformForm, status: int = 200) -> ResponseReturnValue:
    return render_template(
        "lti/admin.html",
        form=form,
        platforms=platforms(),
        tool_urls={
            "login": url_for("lti.login", _external=True),
            "launch": url_for("lti.launch", _external=True),
            "jwks": url_for("lti.jwks", _external=True),
        },
    ), status


@bp.get("/")
@role_required("admin")
def index() -> ResponseReturnValue:
    return _page(PlatformForm())


@bp.post("/")
@role_required("admin")
def register() -> ResponseReturnValue:
    form = PlatformForm()
    if not form.validate():
        return _page(form, 400)
    try:
        fields = checked_fields(
            form.name.data or "",
            form.issuer.data or "",
            form.client_id.data or "",
            form.auth_login_url.data or "",
            form.auth_token_url.data or "",
            form.key_set_url.data or "",
            form.deployment_ids.data or "",
        )
        platform = register_platform(current_user, fields)
    except RegistrationError as exc:
        flash(str(exc), "error")
        return _page(form, 400)
    flash(f"Registered {platform.name}. Give the LMS the tool URLs below.", "info")
    return redirect(url_for("lti_admin.index"), 303)


@bp.post("/<int:platform_id>/active")
@role_required("admin")
def toggle(platform_id: int) -> ResponseReturnValue:
    active = request.form.get("active") == "1"
    try:
        platform = set_platform_active(current_user, platform_id, active)
    except LookupError:
        abort(404)
    flash(f"{platform.name} {'activated' if active else 'deactivated'}.", "info")
    return redirect(url_for("lti_admin.index"), 303)


@bp.get("/grades")
@role_required("admin")
def grades() -> ResponseReturnValue:
    return render_template("lti/grades.html", rows=outbox())
