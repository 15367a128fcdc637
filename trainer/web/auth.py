"""Log-in and log-out, login throttling, session loading and role guards for other views.

Throttling has two layers, neither of which can lock the owner out: Flask-Limiter caps failed
log-ins per client address (over all accounts), and ``services.login_throttle`` backs off one
address's guesses on one account. A session loads only while its id carries the user's current
session version, so log-out and password changes end every session of the user.
"""

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
    g,
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

from ..core.integers import IntegerInputError, parse_id, parse_int
from ..extensions import db, limiter, login_manager
from ..models import User
from ..services.accounts import end_sessions
from ..services.demo import demo_logins_present
from ..services.login_throttle import ThrottleRule, authenticate, wait_seconds
from .errors import json_error

bp = Blueprint("auth", __name__, url_prefix="/auth")


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=64)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=256)])
    remember = BooleanField("Keep me signed in")


UNSAFE_IN_NEXT = frozenset("\\ " + "".join(map(chr, range(32))) + chr(127))


def _safe_next(target: str | None) -> str | None:
    """Only same-site relative paths: an open redirect would help phishing."""
    if not target or not target.isascii() or any(ch in UNSAFE_IN_NEXT for ch in target):
        # Browsers drop tabs and newlines from URLs and read a backslash as '/', so
        # '/<backslash>evil.com' or '/<tab>/evil.com' would leave the site; CR/LF would also
        # split the Location header (a 500 from Werkzeug).
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _rule() -> ThrottleRule:
    cfg = current_app.config
    return ThrottleRule(
        cfg["LOGIN_MAX_FAILURES"],
        cfg["LOGIN_FAILURE_WINDOW_MINUTES"],
        cfg["LOGIN_BACKOFF_MAX_SECONDS"],
    )


def _failed(response: Any) -> bool:
    """Only wrong passwords count against an address: a classroom behind one NAT signing in
    at the start of an exam must not trip the limit."""
    return response.status_code == 401


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_ADDRESS_LIMIT"],
    methods=["POST"],
    deduct_when=_failed,
    error_message="Too many failed log-ins from this address. Please wait and try again.",
)
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("practice.home"))
    form = LoginForm()
    status = 200
    if request.method == "POST":
        if not form.validate():
            status = 400
        else:
            name, address = form.username.data or "", request.remote_addr or ""
            wait = wait_seconds(name, address, _rule())
            if wait:
                flash(
                    f"Too many failed log-ins for this account from here. Try again in "
                    f"{wait} second{'s' if wait != 1 else ''}.",
                    "error",
                )
                response = current_app.make_response(
                    (render_template("auth/login.html", form=form), 429)
                )
                response.headers["Retry-After"] = str(wait)
                return response
            user = authenticate(name, form.password.data or "", address, _rule())
            if user is None:
                flash("Unknown username or wrong password.", "error")
                status = 401
            else:
                login_user(user, remember=bool(form.remember.data))
                if user.must_change_password:
                    return redirect(url_for("account.password"))
                return redirect(_safe_next(request.args.get("next")) or url_for("practice.home"))
    return render_template("auth/login.html", form=form), status


@bp.context_processor
def _demo_logins() -> dict[str, object]:
    """The demo's log-ins on its sign-in page, only while the marked demo accounts exist."""
    shown = demo_logins_present() if request.endpoint == "auth.login" else []
    return {"demo_logins": shown}


@bp.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    """Signing out here signs the user out everywhere, remember-me cookies included."""
    end_sessions(current_user)
    logout_user()
    flash("You are signed out on every device.", "info")
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
def _load_user(session_id: str) -> User | None:
    """Load from '<id>:<version>' (``User.get_id``) only while the version is current."""
    user_id, _, version = session_id.partition(":")
    try:
        uid = parse_id(user_id, "user_id")
        ver = parse_int(version, "session_version", 0, 2**31)
    except IntegerInputError:
        return None
    user = db.session.get(User, uid)
    if user is None or user.session_version != ver:
        return None
    return user


@login_manager.request_loader
def _load_user_from_token(req: Request) -> User | None:
    """API clients authenticate with 'Authorization: Bearer <token>' (no session, no CSRF)."""
    header = req.headers.get("Authorization", "")
    if not req.path.startswith("/api/") or not header.startswith("Bearer "):
        return None
    from ..services.tokens import user_for_token

    user = user_for_token(header[len("Bearer ") :].strip())
    g.token_authenticated = user is not None
    return user


@login_manager.unauthorized_handler
def _unauthorized() -> ResponseReturnValue:
    """People are sent to the log-in page; API clients get a 401 they can act on."""
    if request.path.startswith("/api/"):
        return json_error(401, "Authentication required.")
    flash("Please sign in to continue.", "info")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


# What a user who must change their password may still reach.
OPEN_WHILE_CHANGING = {"account.password", "auth.logout", "auth.login", "static", "health.healthz"}


def _require_password_change() -> ResponseReturnValue | None:
    """Until a reset or first password is replaced, the change page is the only page.

    API clients signed in with a token are not affected: a token is not a password.
    """
    if request.endpoint in OPEN_WHILE_CHANGING or not current_user.is_authenticated:
        return None
    if g.get("token_authenticated") or not current_user.must_change_password:
        return None
    if request.path.startswith("/api/"):
        return json_error(403, "Change your password first.")
    flash("Choose a new password before you continue.", "info")
    return redirect(url_for("account.password"))


def init_app(app: Flask) -> None:
    limiter.init_app(app)
    app.before_request(_require_password_change)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.session_protection = "strong"
