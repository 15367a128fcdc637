"""The web layer: one blueprint per area, plus the cross-cutting hooks they share."""

from __future__ import annotations

from typing import Any

from flask import Flask

from trainer.core.stats.mastery import MIN_CHARTS, TARGET_CEILING, TARGET_PERCENTS

from . import (
    account,
    api,
    api_attempts,
    assignments,
    auth,
    authoring,
    converters,
    errors,
    health,
    input_guard,
    lookup,
    practice,
    progress,
    reference,
    refreshers,
    reports,
    review,
    security,
    supervise,
)


def _accuracy_rules() -> dict[str, Any]:
    """The status rules every page states, from the core's one definition of them."""
    return {
        "min_charts": MIN_CHARTS,
        "target_percents": TARGET_PERCENTS,
        "target_ceiling": TARGET_CEILING,
    }


def init_app(app: Flask) -> None:
    converters.init_app(app)  # before any blueprint: rules bind their converters when added
    app.context_processor(_accuracy_rules)
    auth.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    input_guard.init_app(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(account.bp)
    app.register_blueprint(practice.bp)
    app.register_blueprint(progress.bp)
    app.register_blueprint(lookup.bp)
    app.register_blueprint(assignments.bp)
    app.register_blueprint(supervise.bp)
    app.register_blueprint(review.bp)
    app.register_blueprint(reports.bp)
    app.register_blueprint(authoring.bp)
    app.register_blueprint(refreshers.bp)
    reference.init_app(app)
    app.register_blueprint(api.bp)
    app.register_blueprint(api_attempts.bp)
