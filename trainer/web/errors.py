"""Error pages: every failure a user can cause answers with a clear message, never a traceback."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from ..core.integers import IntegerInputError

MESSAGES = {
    400: "The request could not be read.",
    403: "You do not have access to that page.",
    404: "That page does not exist.",
    405: "That action is not allowed here.",
    413: "That request is too large.",
    429: "Too many attempts. Please wait and try again.",
}


def wants_json() -> bool:
    """API paths, clients that ask for JSON, and clients that sent JSON get JSON errors."""
    return (
        request.path.startswith("/api/")
        or request.is_json
        or request.accept_mimetypes.best == "application/json"
    )


def json_error(
    status: int, message: str, *, field: str | None = None, **extra: object
) -> ResponseReturnValue:
    """The one JSON error body, for every 4xx/5xx of the API and of the pages' JSON calls.

    ``{"error": message, "status": status}``, with ``field`` naming the input at fault when one
    is, and any context a client needs to act (``closed_at``, ``attempt``). The OpenAPI
    document describes it once (``openapi.ERROR``), so clients parse one shape.
    """
    body: dict[str, object] = {"error": message, "status": status}
    if field is not None:
        body["field"] = field
    body.update(extra)
    return jsonify(body), status


def error_response(status: int, message: str) -> ResponseReturnValue:
    """Render an error as JSON for the API and as a page for people."""
    if wants_json():
        return json_error(status, message)
    return render_template("error.html", status=status, message=message), status


def _http_error(exc: HTTPException) -> ResponseReturnValue:
    status = exc.code or 500
    custom = exc.description != type(exc).description and status < 500
    message = (
        exc.description
        if custom and exc.description
        else MESSAGES.get(status, "Something went wrong.")
    )
    return error_response(status, message)


def _csrf_error(exc: CSRFError) -> ResponseReturnValue:
    return error_response(
        400,
        f"The form expired or was not sent by this site ({exc.description}) "
        "Reload the page and try again: nothing you saved was lost.",
    )


def _server_error(exc: Exception) -> ResponseReturnValue:
    return error_response(500, "Something went wrong on our side; your saved work is safe.")


def _integer_error(exc: IntegerInputError) -> ResponseReturnValue:
    """A safety net: a view that lets the integer parser's error through still answers 400."""
    return error_response(400, f"{exc.field}: must be {exc.message}.")


def init_app(app: Flask) -> None:
    app.register_error_handler(IntegerInputError, _integer_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(InternalServerError, _server_error)
