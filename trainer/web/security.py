"""Security headers on every response: no inline script, no framing, no sniffing, no caching
of pages, API answers or CSV exports, and HSTS when the site is served over HTTPS."""

from __future__ import annotations

from flask import Flask, Response, current_app, request

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


HSTS = "max-age=31536000; includeSubDomains"


def _headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if response.mimetype in (
        "text/html",
        "text/csv",
        "application/json",
    ) or request.path.startswith("/api/"):
        # Pages and API answers hold a trainee's work and, after submission, keys; CSV
        # exports hold a cohort's grades: no browser or proxy may keep a copy.
        response.headers["Cache-Control"] = "no-store"
    if current_app.config.get("HTTPS"):
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def init_app(app: Flask) -> None:
    app.after_request(_headers)
