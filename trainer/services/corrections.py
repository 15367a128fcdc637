"""A key correction once recorded: the regrade of the attempts it reaches, and the list of
corrections a supervisor sees.

Apart from the disputes and the checks of a correction (``disputes``) because this runs
inside the correction's own transaction (``disputes.correct_key``), after the new key
version is written: each submitted attempt in reach is regraded against its stored key with
the corrections that reach its cohort, keeping its earlier grades and its reviewer's
overrides, and the report sums follow.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from trainer.core.grading.grader import grade
from trainer.core.grading.key_corrections import apply_corrections

from ..core.claims import claim_from_dict
from ..extensions import db
from ..models import Attempt, AttemptGrade, KeyCorrection, User
from . import report_summaries
from .cohorts import managed_cohort_ids
from .costs import attach_costs
from .keys import EVERYONE, correction_of, reaches, variant_of
from .practice import patient_facts, store_errors
from .review import reapply


def regrade(session: Any, correction: KeyCorrection, catalog: Any) -> int:
    """Regrade the submitted attempts the new correction reaches, each with the corrections
    that reach its own cohort (so another cohort's corrections never leak into its key)."""
    rows = list(
        session.scalars(
            select(KeyCorrection)
            .where(KeyCorrection.template_id == correction.template_id)
            .order_by(KeyCorrection.version)
        )
    )
    query = select(Attempt).where(
        Attempt.template_id == correction.template_id, Attempt.status == "submitted"
    )
    if correction.applies_to != EVERYONE:
        query = query.where(Attempt.cohort_id.in_(list(correction.cohort_ids or [])))
    count = 0
    touched: set[int] = set()
    for attempt in session.scalars(query):
        fixes = [correction_of(r) for r in rows if reaches(r, attempt.cohort_id)]
        version = correction.version
        variant = variant_of(attempt)
        key = apply_corrections(variant.key, fixes)
        answer = claim_from_dict(attempt.answer or {})
        result = grade(
            key,
            answer,
            attempt.policy,
            variant.date_of_service,
            catalog=catalog,
            patient=patient_facts(variant),
        ).to_dict()
        result = attach_costs(attempt, answer, result, catalog, key=key)
        session.add(
            AttemptGrade(
                attempt_id=attempt.id, key_version=version, reason="key_correction", result=result
            )
        )
        result = reapply(session, attempt, result, version)
        attempt.score = float(result["score"])
        attempt.code_correct = int(result["code_correct"])
        attempt.code_total = int(result["code_total"])
        attempt.chart_correct = bool(result["chart_correct"])
        store_errors(session, attempt, result)
        touched.add(attempt.user_id)
        count += 1
    report_summaries.refresh(session, touched)
    return count


@dataclass(frozen=True)
class CorrectionNotice:
    """A key correction as a supervisor sees it: what changed, why, by whom, how far."""

    correction: KeyCorrection
    author: str
    everyone: bool
    template_title: str


def corrections_seen_by(viewer: User, limit: int = 50) -> list[CorrectionNotice]:
    """Key corrections that reach any of the viewer's cohorts (all for an admin), newest
    first: a supervisor sees the administrator's corrections for everyone, with the reason,
    as well as their own."""
    mine = set(managed_cohort_ids(viewer))
    rows = db.session.scalars(select(KeyCorrection).order_by(KeyCorrection.id.desc()))
    notices = []
    for row in rows:
        mine_too = any(reaches(row, c) for c in mine)
        if not (viewer.is_admin or row.created_by == viewer.id or mine_too):
            continue
        author = db.session.get(User, row.created_by)
        sample = db.session.scalar(
            select(Attempt.variant).where(Attempt.template_id == row.template_id).limit(1)
        )
        title = str((sample or {}).get("title", "")) or row.template_id
        notices.append(
            CorrectionNotice(
                row, author.display_name if author else "?", row.applies_to == EVERYONE, title
            )
        )
        if len(notices) >= limit:
            break
    return notices
