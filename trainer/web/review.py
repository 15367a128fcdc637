"""Second-tier review pages: the sampled queue (with disputes), one chart's review, settings."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from trainer.core.stats.review_sampling import (
    DEFAULT_SAMPLE_PER_QUARTER,
    MAX_SAMPLE_PER_QUARTER,
    SAMPLE_LABELS,
    Override,
    ReviewError,
)

from ..core.content.templates import SPECIALTIES
from ..core.integers import IntegerInputError, parse_id, parse_int
from ..database import write_transaction
from ..extensions import db
from ..models import Attempt, Cohort
from ..services.access import may_see_key
from ..services.cohorts import visible_cohorts
from ..services.keys import current_key, variant_of
from ..services.review import (
    automatic_grade,
    can_review_attempt,
    record_review,
    review_of,
)
from ..services.review_queue import (
    REASONS,
    SORTS,
    STATUSES,
    QueueFilters,
    QueueScopeError,
    queue_page,
)
from .auth import role_required

bp = Blueprint("review", __name__, url_prefix="/supervise/review")

STATUS_LABELS = {"to_review": "to review", "reviewed": "reviewed", "all": "all"}
SORT_LABELS = {
    "oldest": "oldest first",
    "newest": "newest first",
    "trainee": "trainee",
    "score": "lowest score first",
    "specialty": "specialty",
}


def _optional_id(name: str) -> int | None:
    value = request.args.get(name, "")
    return parse_id(value, name) if value else None


def _filters() -> QueueFilters:
    """The queue's query arguments; a malformed one is a 400 (``queue_page`` checks names)."""
    args = request.args
    try:
        return QueueFilters(
            cohort_id=_optional_id("cohort"),
            trainee_id=_optional_id("trainee"),
            specialty=args.get("specialty", "")[:40],
            status=args.get("status", "") or "to_review",
            reason=args.get("reason", ""),
            sort=args.get("sort", "") or "oldest",
            page=parse_int(args.get("page") or "1", "page", 1, 1_000_000),
        )
    except IntegerInputError:
        abort(400)


@bp.get("/")
@role_required("supervisor")
def queue() -> ResponseReturnValue:
    cfg = current_app.config
    try:
        listing = queue_page(
            current_user, _filters(), cfg["ACCURACY_TARGET"], cfg["ACCURACY_ELITE"]
        )
    except QueueScopeError:
        abort(404)
    except ValueError as exc:
        abort(400, str(exc))
    return render_template(
        "supervise/review_queue.html",
        listing=listing,
        statuses=STATUSES,
        reasons=REASONS,
        sorts=SORTS,
        status_labels=STATUS_LABELS,
        sort_labels=SORT_LABELS,
        specialties=SPECIALTIES,
        cohorts=visible_cohorts(current_user),
        labels=SAMPLE_LABELS,
        default_sample=DEFAULT_SAMPLE_PER_QUARTER,
        max_sample=MAX_SAMPLE_PER_QUARTER,
    )


def _reviewable(attempt_id: int) -> Attempt:
    """A chart the reviewer may open with its key: submitted, of one of their cohorts."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id == current_user.id:
        abort(404)
    if not (can_review_attempt(current_user, attempt) and may_see_key(current_user, attempt)):
        abort(404)
    return attempt


def _page(attempt: Attempt, status: int = 200) -> ResponseReturnValue:
    return render_template(
        "supervise/review_chart.html",
        attempt=attempt,
        variant=variant_of(attempt),
        key=current_key(attempt),
        grade=automatic_grade(attempt),
        current=attempt.grades[-1].result if attempt.grades else None,
        review=review_of(attempt.id),
        reason=request.args.get("why", "")[:32],
        labels=SAMPLE_LABELS,
    ), status


@bp.get("/<int:attempt_id>")
@role_required("supervisor")
def chart(attempt_id: int) -> ResponseReturnValue:
    return _page(_reviewable(attempt_id))


def _overrides(grade: dict[str, Any]) -> list[Override]:
    """Read the per-item verdict selects: '' keeps the grader's verdict."""
    found = []
    for prefix, target, pool in (
        ("dx", "diagnosis", grade.get("diagnoses", [])),
        ("ln", "line", grade.get("lines", [])),
    ):
        for n, verdict in enumerate(pool):
            choice = request.form.get(f"{prefix}-{n}-verdict", "")
            if choice not in ("", "correct", "wrong"):
                raise ReviewError("Each verdict is keep, correct or wrong.")
            if not choice:
                continue
            found.append(
                Override(
                    target,  # type: ignore[arg-type]
                    verdict.get("key_index"),
                    verdict.get("answer_index"),
                    choice == "correct",
                    request.form.get(f"{prefix}-{n}-reason", "")[:1000],
                )
            )
    return found


@bp.post("/<int:attempt_id>")
@role_required("supervisor")
def save(attempt_id: int) -> ResponseReturnValue:
    attempt = _reviewable(attempt_id)
    grade = automatic_grade(attempt) or {}
    try:
        review = record_review(
            attempt,
            current_user,
            _overrides(grade),
            request.form.get("comment", "")[:10_000],
            request.form.get("sample_reason", "")[:32],
        )
    except ReviewError as exc:
        flash(str(exc), "error")
        return _page(attempt, 400)
    flash(f"Review saved ({review.decision}); the trainee sees it with the chart.", "info")
    return redirect(url_for("review.queue"), 303)


@bp.post("/cohorts/<int:cohort_id>/sample")
@role_required("supervisor")
def sample_size(cohort_id: int) -> ResponseReturnValue:
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or cohort not in visible_cohorts(current_user):
        abort(404)
    try:
        per_quarter = parse_int(
            request.form.get("per_quarter", ""), "per_quarter", 0, MAX_SAMPLE_PER_QUARTER
        )
    except IntegerInputError:
        flash(f"The quarterly sample is 0 to {MAX_SAMPLE_PER_QUARTER} charts per trainee.", "error")
        return redirect(url_for("review.queue"), 303)
    with write_transaction(db.session):
        cohort.review_sample = per_quarter
    flash(f"{cohort.name}: {per_quarter} charts per trainee per quarter are sampled.", "info")
    return redirect(url_for("review.queue"), 303)
