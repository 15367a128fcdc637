"""Liveness for load balancers and the benchmark: answers without touching the database."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[str, int]:
    return "ok", 200
