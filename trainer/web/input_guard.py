"""Limits on request bodies, checked once before any view reads them.

A JSON body is parsed here, so a view's later ``get_json()`` reads the cached value: a body
nested deeper than ``JSON_MAX_DEPTH`` (Python's decoder raises RecursionError, a 500, at about
a thousand levels), larger than ``JSON_MAX_BYTES`` or not JSON at all is refused with a JSON
400/413 that says why, before any view code runs. A NUL character in any query argument, form
field or JSON string is refused too: PostgreSQL cannot store one.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge

from .errors import error_response

BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


def json_shape(value: Any) -> tuple[int, bool]:
    """How deep ``value`` nests (a scalar is 0) and whether any key or string holds a NUL,
    found without recursion."""
    deepest, nul = 0, False
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            nul = nul or "\x00" in item
            continue
        if isinstance(item, dict):
            children: Any = [*item.keys(), *item.values()]
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children)
    return deepest, nul


def json_depth(value: Any) -> int:
    return json_shape(value)[0]


NUL_MESSAGE = "The request contains a NUL character (\\0); remove it and send it again."


def _check_text_fields() -> ResponseReturnValue | None:
    """PostgreSQL refuses NUL in text (a 500 there, silently stored in SQLite): refuse it in
    any query argument or form field before a view stores it."""
    values = [*request.args.keys(), *request.args.values()]
    if request.method in BODY_METHODS and request.mimetype in FORM_TYPES:
        values += [*request.form.keys(), *request.form.values()]
    if any("\x00" in value for value in values):
        return error_response(400, NUL_MESSAGE)
    return None


def _check_json_body() -> ResponseReturnValue | None:
    if request.method not in BODY_METHODS or not request.is_json:
        return None
    limit = current_app.config["JSON_MAX_BYTES"]
    if request.content_length is not None and request.content_length > limit:
        return error_response(413, f"That JSON body is too large: at most {limit // 1024} KB.")
    request.max_content_length = limit  # also bounds a chunked body without a length
    max_depth = current_app.config["JSON_MAX_DEPTH"]
    try:
        body = request.get_json()
    except RequestEntityTooLarge:
        return error_response(413, f"That JSON body is too large: at most {limit // 1024} KB.")
    except RecursionError:
        return error_response(400, f"The JSON body nests deeper than {max_depth} levels.")
    except BadRequest:
        return error_response(400, "The body is not valid JSON (UTF-8, one JSON value).")
    depth, nul = json_shape(body)
    if depth > max_depth:
        return error_response(400, f"The JSON body nests deeper than {max_depth} levels.")
    if nul:
        return error_response(400, NUL_MESSAGE)
    return None


def init_app(app: Flask) -> None:
    app.before_request(_check_text_fields)
    app.before_request(_check_json_body)
