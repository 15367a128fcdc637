"""Log-in and log-out, with throttling of repeated failures and role guards for other views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    Request,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from ..extensions import db, login_manager
from ..models import User
from ..services.accounts import authenticate, is_locked

bp = Blueprint("auth", __name__, url_prefix="/auth")


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=64)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=256)])
    remember = BooleanField("Keep me signed in")


def _safe_next(target: str | None) -> str | None:
    """Only same-site relative paths: an open redirect would help phishing."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("practice.home"))
    form = LoginForm()
    status = 200
    if request.method == "POST":
        if not form.validate():
            status = 400
        else:
            cfg = current_app.config
            name = form.username.data or ""
            if is_locked(name, cfg["LOGIN_MAX_FAILURES"], cfg["LOGIN_LOCK_MINUTES"]):
                flash(
                    f"Too many failed log-ins for this account. Try again in "
                    f"{cfg['LOGIN_LOCK_MINUTES']} minutes.",
                    "error",
                )
                return render_template("auth/login.html", form=form), 429
            user = authenticate(
                name,
                form.password.data or "",
                request.remote_addr or "",
                cfg["LOGIN_MAX_FAILURES"],
                cfg["LOGIN_LOCK_MINUTES"],
            )
            if user is None:
                flash("Unknown username or wrong password.", "error")
                status = 401
            else:
                login_user(user, remember=bool(form.remember.data))
                return redirect(_safe_next(request.args.get("next")) or url_for("practice.home"))
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


def role_required(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Guard a view to some roles; admins pass every guard."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if current_user.role not in roles and current_user.role != "admin":
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    if not user_id.isdigit():
        return None
    return db.session.get(User, int(user_id))


@login_manager.request_loader
def _load_user_from_token(req: Request) -> User | None:
    """API clients authenticate with 'Authorization: Bearer <token>' (no session, no CSRF)."""
    header = req.headers.get("Authorization", "")
    if not req.path.startswith("/api/") or not header.startswith("Bearer "):
        return None
    from ..services.tokens import user_for_token

    return user_for_token(header[len("Bearer ") :].strip())


@login_manager.unauthorized_handler
def _unauthorized() -> ResponseReturnValue:
    """People are sent to the log-in page; API clients get a 401 they can act on."""
    if request.path.startswith("/api/"):
        return jsonify({"error": "Authentication required.", "status": 401}), 401
    flash("Please sign in to continue.", "info")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.session_protection = "strong"
