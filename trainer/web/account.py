"""A user's own account: changing the password, listing and revoking API tokens; and a
supervisor's reset of a trainee's password. The services decide who may do what."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required, login_user
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from ..extensions import db, limiter
from ..models import User
from ..services.accounts import AccountError, WrongCurrentPassword, change_password
from ..services.cohorts import CohortError, reset_trainee_password
from ..services.passwords import MAX_LENGTH, MIN_LENGTH
from ..services.tokens import TokenError, revoke_token, token_status, visible_tokens
from .auth import role_required

bp = Blueprint("account", __name__)


class PasswordForm(FlaskForm):
    current = PasswordField("Current password", validators=[DataRequired(), Length(max=256)])
    new = PasswordField(
        f"New password ({MIN_LENGTH} to {MAX_LENGTH} characters)",
        validators=[DataRequired(), Length(max=256)],
    )
    confirm = PasswordField(
        "New password again",
        validators=[DataRequired(), EqualTo("new", "The two new passwords differ.")],
    )


def _user_key() -> str:
    return f"user:{current_user.id}" if current_user.is_authenticated else "anonymous"


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@limiter.limit(
    lambda: current_app.config["PASSWORD_CHANGE_LIMIT"],
    key_func=_user_key,
    methods=["POST"],
    deduct_when=lambda response: response.status_code == 400,
    error_message="Too many failed password changes. Please wait and try again.",
)
def password() -> ResponseReturnValue:
    form = PasswordForm()
    status = 200
    if request.method == "POST":
        if not form.validate():
            status = 400
        else:
            try:
                change_password(current_user, form.current.data or "", form.new.data or "")
            except AccountError as exc:
                field = form.current if isinstance(exc, WrongCurrentPassword) else form.new
                field.errors = [str(exc)]
                status = 400
            else:
                # This client stays signed in under the new session version; every other
                # session and remember-me cookie of the user no longer loads.
                remembered = (
                    current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
                    in request.cookies
                )
                login_user(current_user._get_current_object(), remember=remembered)
                flash("Password changed; you were signed out everywhere else.", "info")
                return redirect(url_for("practice.home"), 303)
    return render_template(
        "account/password.html", form=form, forced=current_user.must_change_password
    ), status


@bp.get("/account/tokens")
@login_required
def tokens() -> ResponseReturnValue:
    rows = [(row, token_status(row)) for row in visible_tokens(current_user)]
    return render_template("account/tokens.html", rows=rows)


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke(token_id: int) -> ResponseReturnValue:
    try:
        row = revoke_token(current_user, token_id)
    except TokenError:
        abort(404)
    flash(f"Token {row.name!r} revoked: clients using it now get 401.", "info")
    return redirect(url_for("account.tokens"), 303)


@bp.post("/supervise/trainees/<int:trainee_id>/reset-password")
@role_required("supervisor")
def reset_password(trainee_id: int) -> ResponseReturnValue:
    """Show a one-time password once; the trainee must replace it at next sign-in."""
    trainee = db.session.get(User, trainee_id)
    if trainee is None:
        abort(404)
    try:
        temporary = reset_trainee_password(current_user, trainee)
    except CohortError:
        abort(404)  # not the viewer's trainee: do not tell them the account exists
    return render_template("account/reset_done.html", trainee=trainee, password=temporary)
