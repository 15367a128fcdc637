"""LTI 1.3 endpoints an LMS calls (login initiation, launch, JWKS) and the deep-linking picker.

The protocol checks are pylti1p3's (``FlaskOIDCLogin``, ``FlaskMessageLaunch``); what a launch
means here is ``services.lti.launches``. Login initiation and launch are cross-site by nature
(the LMS posts them), so they are exempt from CSRF tokens: their protection is the OIDC state
cookie and nonce, the id_token signature and a nonce spent on first use.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required, login_user
from pylti1p3.contrib.flask import FlaskMessageLaunch, FlaskOIDCLogin, FlaskRequest
from pylti1p3.deep_link import DeepLink
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.exception import LtiException, OIDCException
from pylti1p3.lineitem import LineItem

from ..extensions import csrf
from ..models import LtiContext, LtiPlatform
from ..services.lti.courses import (
    course_assignment,
    course_assignments,
    deep_link_course,
    managed_course,
)
from ..services.lti.grades import SCORE_MAXIMUM
from ..services.lti.http import platform_session
from ..services.lti.launches import LaunchRefused, accept_launch
from ..services.lti.registrations import active_platform, platforms
from ..services.lti.roster import RosterError, sync_roster
from ..services.lti.tool_config import DatabaseLaunchStorage, DatabaseToolConf, registration_of
from .auth import role_required
from .security import CSP

bp = Blueprint("lti", __name__, url_prefix="/lti")

DEEP_LINK_SESSION_KEY = "lti_deep_link"
NONCE_KEY = "lti1p3-nonce-{}"


def _refuse(message: str, status: int) -> ResponseReturnValue:
    return render_template("lti/refused.html", message=message), status


@bp.get("/jwks")
def jwks() -> ResponseReturnValue:
    """The tool's public keys, one per active registration; platforms pick by ``kid``."""
    keys = [key for p in platforms() if p.active for key in registration_of(p).get_jwks()]
    return jsonify({"keys": keys})


@bp.route("/login", methods=["GET", "POST"])
@csrf.exempt
def login() -> ResponseReturnValue:
    """OIDC third-party login initiation: remember state and nonce, send the browser back to
    the platform's authorisation endpoint. The redirect target is always our launch URL, never
    the ``target_link_uri`` the request names."""
    try:
        oidc = FlaskOIDCLogin(
            FlaskRequest(), DatabaseToolConf(), launch_data_storage=DatabaseLaunchStorage()
        )
        return oidc.redirect(url_for("lti.launch", _external=True))
    except (OIDCException, LtiException) as exc:
        current_app.logger.info("LTI login refused: %s", exc)
        return _refuse(
            "This LMS is not registered with the trainer, or the login was incomplete.", 400
        )


@bp.post("/launch")
@csrf.exempt
def launch() -> ResponseReturnValue:
    storage = DatabaseLaunchStorage()
    try:
        message = FlaskMessageLaunch(
            FlaskRequest(),
            DatabaseToolConf(),
            launch_data_storage=storage,
            requests_session=platform_session(),
        )
        data: dict[str, Any] = dict(message.get_launch_data())
    except (LtiException, OIDCException, AssertionError, KeyError, ValueError) as exc:
        current_app.logger.info("LTI launch refused: %s", exc)
        return _refuse(
            "The launch could not be verified (expired, replayed or not from a registered "
            "LMS). Open the activity again from your course.",
            400,
        )
    storage.remove_value(NONCE_KEY.format(data.get("nonce", "")))  # one launch per id_token
    platform = active_platform(str(data.get("iss")), _audience(data))
    if platform is None:  # deactivated between the checks and now
        return _refuse("This LMS registration is deactivated.", 403)
    try:
        outcome = accept_launch(platform, data)
    except LaunchRefused as exc:
        return _refuse(str(exc), 403)
    session.clear()  # a fresh session for the LMS user: nothing of an earlier sign-in carries over
    login_user(outcome.user)
    if outcome.deep_link is not None:
        session[DEEP_LINK_SESSION_KEY] = {
            "platform_id": platform.id,
            "context_pk": outcome.context.id,
            "deployment_id": outcome.context.deployment_id,
            "settings": outcome.deep_link,
        }
        return redirect(url_for("lti.deep_link"), 303)
    if outcome.assignment is not None and not outcome.staff:
        return redirect(
            url_for("assignments.index", _anchor=f"assignment-{outcome.assignment.id}"), 303
        )
    return redirect(url_for("lti.course", context_pk=outcome.context.id), 303)


def _audience(data: dict[str, Any]) -> str | None:
    aud = data.get("aud")
    if isinstance(aud, list):
        return str(aud[0]) if len(aud) == 1 else str(data.get("azp") or "")
    return str(aud) if aud else None


def _deep_link_state() -> tuple[dict[str, Any], LtiContext, LtiPlatform]:
    state = session.get(DEEP_LINK_SESSION_KEY)
    if not isinstance(state, dict):
        abort(404)
    try:
        context, platform = deep_link_course(
            current_user, state.get("platform_id"), state.get("context_pk")
        )
    except LookupError:
        abort(404)
    return state, context, platform


@bp.get("/deep-link")
@login_required
def deep_link() -> ResponseReturnValue:
    """The instructor picks which of the course cohort's assignments to place in the course."""
    _, context, _ = _deep_link_state()
    return render_template(
        "lti/deep_link.html",
        context=context,
        assignments=course_assignments(context),
    )


@bp.post("/deep-link")
@login_required
def deep_link_choose() -> ResponseReturnValue:
    state, context, platform = _deep_link_state()
    assignment = course_assignment(context, request.form.get("assignment_id", "")[:12])
    if assignment is None:
        flash("Choose one of this course's assignments.", "error")
        return redirect(url_for("lti.deep_link"), 303)

    resource = (
        DeepLinkResource()
        .set_url(url_for("lti.launch", _external=True))
        .set_title(assignment.title)
        .set_custom_params({"assignment_id": str(assignment.id)})
        .set_lineitem(
            LineItem()
            .set_score_maximum(SCORE_MAXIMUM)
            .set_label(assignment.title)
            .set_resource_id(f"assignment-{assignment.id}")
        )
    )
    link = DeepLink(registration_of(platform), state["deployment_id"], state["settings"])
    token = link.get_response_jwt([resource])
    session.pop(DEEP_LINK_SESSION_KEY, None)
    action = str(state["settings"].get("deep_link_return_url", ""))
    page = make_response(render_template("lti/deep_link_return.html", action=action, jwt=token))
    # The one form that leaves the site: allow exactly the LMS's return origin.
    page.headers["Content-Security-Policy"] = CSP.replace(
        "form-action 'self'", f"form-action 'self' {_origin(action)}"
    )
    return page


def _origin(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        abort(400)
    return f"{parts.scheme}://{parts.netloc}"


@bp.get("/courses/<int:context_pk>")
@role_required("supervisor")
def course(context_pk: int) -> ResponseReturnValue:
    """An instructor's landing page for a course: its cohort, its placed assignments, roster."""
    try:
        context, cohort = managed_course(current_user, context_pk)
    except LookupError:
        abort(404)
    return render_template("lti/course.html", context=context, cohort=cohort)


@bp.post("/courses/<int:context_pk>/roster")
@role_required("supervisor")
def roster(context_pk: int) -> ResponseReturnValue:
    try:
        context, _ = managed_course(current_user, context_pk)
    except LookupError:
        abort(404)
    try:
        result = sync_roster(current_user, context)
    except RosterError as exc:
        flash(str(exc), "error")
        return redirect(url_for("lti.course", context_pk=context.id), 303)
    flash(
        f"Roster synchronised: {result.learners} learners in the cohort "
        f"({result.new_accounts} new accounts); {result.skipped} others left out.",
        "info",
    )
    return redirect(url_for("lti.course", context_pk=context.id), 303)
