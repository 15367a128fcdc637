"""The web layer: one blueprint per area, plus the cross-cutting hooks they share."""

from __future__ import annotations

from typing import Any

from flask import Flask

from trainer.core.stats.mastery import MIN_CHARTS, TARGET_CEILING, TARGET_PERCENTS

from . import (
    account,
    admin,
    api,
    api_attempts,
    assignment_changes,
    assignments,
    auth,
    authoring,
    certification,
    cohort_instructors,
    converters,
    errors,
    health,
    input_guard,
    lookup,
    lti,
    lti_admin,
    members,
    practice,
    practice_pairs,
    progress,
    reference,
    refreshers,
    reports,
    review,
    security,
    supervise,
    trainee_detail,
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
    app.register_blueprint(practice_pairs.bp)
    app.register_blueprint(progress.bp)
    app.register_blueprint(lookup.bp)
    app.register_blueprint(assignments.bp)
    app.register_blueprint(supervise.bp)
    app.register_blueprint(members.bp)
    app.register_blueprint(cohort_instructors.bp)
    app.register_blueprint(assignment_changes.bp)
    app.register_blueprint(trainee_detail.bp)
    app.register_blueprint(certification.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(review.bp)
    app.register_blueprint(reports.bp)
    app.register_blueprint(authoring.bp)
    app.register_blueprint(refreshers.bp)
    reference.init_app(app)
    app.register_blueprint(api.bp)
    app.register_blueprint(api_attempts.bp)
    app.register_blueprint(lti.bp)
    app.register_blueprint(lti_admin.bp)
