"""Administrators' pages: accounts (create, re-role, deactivate) and the audit log.

The services decide everything (``services.people``, ``services.audit``); these views parse
the form, call them and render. A generated one-time password is shown once, on the page that
answers the creating request, and never again.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from ..core.integers import IntegerInputError, parse_int
from ..models import ROLES, User
from ..services.audit import audit_csv, audit_page
from ..services.passwords import MAX_LENGTH, MIN_LENGTH
from ..services.people import (
    PeopleError,
    account,
    create_account,
    list_users,
    set_active,
    set_role,
)
from .auth import role_required
from .downloads import csv_download

bp = Blueprint("admin", __name__, url_prefix="/admin")


class NewUserForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=64)])
    display_name = StringField("Name", validators=[Optional(), Length(max=120)])
    email = EmailField("E-mail (optional)", validators=[Optional(), Length(max=254)])
    role = SelectField("Role", choices=[SelectChoice(r, r) for r in ROLES], default="trainee")
    generate = BooleanField(
        "Generate a one-time password (the user chooses theirs at first sign-in)", default=True
    )
    password = PasswordField(
        f"Or set a password ({MIN_LENGTH}-{MAX_LENGTH} characters)",
        validators=[Optional(), Length(max=256)],
    )


def _page_number() -> int:
    try:
        return parse_int(request.args.get("page") or "1", "page", 1, 1_000_000)
    except IntegerInputError:
        abort(400)


def _users_page(
    form: NewUserForm, status: int = 200, created: tuple[User, str] | None = None
) -> ResponseReturnValue:
    text = request.args.get("q", "")[:64]
    role = request.args.get("role", "")[:16]
    listing = list_users(current_user, text, role, _page_number())
    return render_template(
        "admin/users.html",
        form=form,
        listing=listing,
        q=text,
        role=role,
        roles=ROLES,
        created=created,
    ), status


@bp.get("/users")
@role_required("admin")
def users() -> ResponseReturnValue:
    return _users_page(NewUserForm(formdata=None))


@bp.post("/users")
@role_required("admin")
def create() -> ResponseReturnValue:
    form = NewUserForm()
    if not form.validate():
        return _users_page(form, 400)
    password = form.password.data or None
    if password is None and not form.generate.data:
        form.password.errors = ["Set a password or let the trainer generate one."]
        return _users_page(form, 400)
    try:
        user, generated = create_account(
            current_user,
            form.username.data or "",
            form.role.data or "trainee",
            form.display_name.data or "",
            form.email.data or "",
            password,
        )
    except PeopleError as exc:
        form.username.errors = [str(exc)]
        return _users_page(form, 400)
    if generated is None:
        flash(f"Account {user.username!r} ({user.role}) created.", "info")
        return redirect(url_for("admin.users"), 303)
    # Rendered, not redirected: the one-time password must not travel in a URL or a flash
    # stored in the session cookie.
    return _users_page(NewUserForm(formdata=None), 200, (user, generated))


def _target(user_id: int) -> User:
    user = account(current_user, user_id)
    if user is None:
        abort(404)
    return user


@bp.post("/users/<int:user_id>/role")
@role_required("admin")
def change_role(user_id: int) -> ResponseReturnValue:
    user = _target(user_id)
    role = request.form.get("role", "")
    if role not in ROLES:
        flash(f"Choose a role: {', '.join(ROLES)}.", "error")
        return _users_page(NewUserForm(formdata=None), 400)
    try:
        set_role(current_user, user, role)
    except PeopleError as exc:
        flash(str(exc), "error")
        return _users_page(NewUserForm(formdata=None), 400)
    flash(f"{user.username} is now {role}.", "info")
    return redirect(url_for("admin.users"), 303)


@bp.post("/users/<int:user_id>/active")
@role_required("admin")
def change_active(user_id: int) -> ResponseReturnValue:
    user = _target(user_id)
    choice = request.form.get("active", "")
    if choice not in ("0", "1"):
        flash("Choose activate or deactivate.", "error")
        return _users_page(NewUserForm(formdata=None), 400)
    try:
        set_active(current_user, user, choice == "1")
    except PeopleError as exc:
        flash(str(exc), "error")
        return _users_page(NewUserForm(formdata=None), 400)
    state = "active again" if choice == "1" else "deactivated and signed out everywhere"
    flash(f"{user.username} is {state}.", "info")
    return redirect(url_for("admin.users"), 303)


@bp.get("/audit")
@role_required("admin")
def audit() -> ResponseReturnValue:
    action = request.args.get("action", "")[:40]
    return render_template(
        "admin/audit.html", log=audit_page(current_user, action, _page_number()), action=action
    )


@bp.get("/audit.csv")
@role_required("admin")
def audit_export() -> ResponseReturnValue:
    action = request.args.get("action", "")[:40]
    return csv_download(audit_csv(current_user, action), "audit-log", ".csv")
