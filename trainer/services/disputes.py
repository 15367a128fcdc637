"""Disputes and key corrections: a trainee challenges a key, a supervisor accepts or rejects.

Accepting with a correction creates a new key version for the template and regrades every
submitted attempt of it in the same transaction; each attempt keeps its earlier grades.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from trainer.core.codesets.codes import guess_kind, normalize
from trainer.core.grading.grader import grade
from trainer.core.grading.key_corrections import Correction, apply_corrections, key_codes

from ..core.claims import claim_from_dict
from ..database import write_transaction
from ..extensions import db
from ..models import (
    Attempt,
    AttemptGrade,
    Cohort,
    CohortMember,
    Dispute,
    KeyCorrection,
    User,
    utcnow,
)
from .keys import current_key, variant_of
from .practice import PracticeError, patient_facts, store_errors
from .review import reapply

MIN_CITATION = 10
MAX_TEXT = 4000


class DisputeError(PracticeError):
    """A user-facing reason a dispute or correction cannot be recorded."""


def open_dispute(attempt: Attempt, user_id: int, item: str, citation: str) -> Dispute:
    text = citation.strip()
    if attempt.user_id != user_id or attempt.status != "submitted":
        raise DisputeError("Only your own submitted charts can be disputed.")
    if not MIN_CITATION <= len(text) <= MAX_TEXT:
        raise DisputeError(
            f"Explain the dispute and cite the rule ({MIN_CITATION}-{MAX_TEXT} characters)."
        )
    with write_transaction(db.session) as session:
        dispute = Dispute(
            attempt_id=attempt.id, user_id=user_id, item=item.strip()[:64], citation=text
        )
        session.add(dispute)
    return dispute


def visible_disputes(viewer: User, status: str | None = "open") -> list[Dispute]:
    """Disputes of the viewer's cohorts (all of them for an admin), oldest first."""
    query = select(Dispute).order_by(Dispute.created_at)
    if status:
        query = query.where(Dispute.status == status)
    if not viewer.is_admin:
        members = (
            select(CohortMember.user_id)
            .join(Cohort, Cohort.id == CohortMember.cohort_id)
            .where(Cohort.supervisor_id == viewer.id)
        )
        query = query.where(Dispute.user_id.in_(members))
    return list(db.session.scalars(query))


def can_review(viewer: User, dispute: Dispute) -> bool:
    return any(d.id == dispute.id for d in visible_disputes(viewer, status=None))


def reject_dispute(dispute: Dispute, reviewer: User, response: str) -> None:
    text = response.strip()
    if not MIN_CITATION <= len(text) <= MAX_TEXT:
        raise DisputeError("Tell the trainee why the key stands (at least 10 characters).")
    with write_transaction(db.session):
        if dispute.status != "open":
            raise DisputeError("This dispute is already resolved.")
        dispute.status, dispute.response = "rejected", text
        dispute.resolved_by, dispute.resolved_at = reviewer.id, utcnow()


def _clean_codes(mapping: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for old, new in mapping.items():
        old_code = normalize(old, guess_kind(old))
        if isinstance(new, list):
            cleaned[old_code] = [normalize(n, guess_kind(n)) for n in new if n.strip()]
        else:
            cleaned[old_code] = normalize(new, guess_kind(new))
    return cleaned


def correct_key(
    template_id: str,
    replace: dict[str, str],
    accept: dict[str, list[str]],
    reason: str,
    user_id: int,
    catalog: Any,
    dispute_id: int | None = None,
) -> tuple[KeyCorrection, int]:
    """Record a new key version and regrade every submitted attempt of the template."""
    replace, accept = _clean_codes(replace), _clean_codes(accept)
    if not replace and not accept:
        raise DisputeError("A correction replaces a keyed code or accepts another code.")
    if not reason.strip():
        raise DisputeError("Give the reason for the correction; trainees will read it.")
    sample = db.session.scalar(select(Attempt).where(Attempt.template_id == template_id).limit(1))
    if sample is not None:
        keyed = key_codes(current_key(sample))
        unknown = [c for c in list(replace) + list(accept) if c not in keyed]
        if unknown:
            raise DisputeError(f"{', '.join(unknown)} is not in the current key.")
    with write_transaction(db.session) as session:
        version = (
            session.scalar(
                select(func.max(KeyCorrection.version)).where(
                    KeyCorrection.template_id == template_id
                )
            )
            or 1
        ) + 1
        correction = KeyCorrection(
            template_id=template_id,
            version=version,
            replace=replace,
            accept=accept,
            reason=reason.strip()[:MAX_TEXT],
            dispute_id=dispute_id,
            created_by=user_id,
        )
        session.add(correction)
        session.flush()
        regraded = _regrade(session, template_id, version, catalog)
    return correction, regraded


def _regrade(session: Any, template_id: str, version: int, catalog: Any) -> int:
    fixes = [
        Correction(dict(r.replace or {}), dict(r.accept or {}), r.reason)
        for r in session.scalars(
            select(KeyCorrection)
            .where(KeyCorrection.template_id == template_id)
            .order_by(KeyCorrection.version)
        )
    ]
    count = 0
    attempts = session.scalars(
        select(Attempt).where(Attempt.template_id == template_id, Attempt.status == "submitted")
    )
    for attempt in attempts:
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
        count += 1
    return count


def accept_dispute(
    dispute: Dispute,
    reviewer: User,
    replace: dict[str, str],
    accept: dict[str, list[str]],
    response: str,
    catalog: Any,
) -> int:
    """Accept: correct the key (new version, every attempt regraded) and answer the trainee."""
    if dispute.status != "open":
        raise DisputeError("This dispute is already resolved.")
    attempt = db.session.get(Attempt, dispute.attempt_id)
    assert attempt is not None
    _, regraded = correct_key(
        attempt.template_id,
        replace,
        accept,
        response or dispute.citation,
        reviewer.id,
        catalog,
        dispute.id,
    )
    with write_transaction(db.session):
        dispute.status = "accepted"
        dispute.response = response.strip()[:MAX_TEXT] or "Accepted: the key was corrected."
        dispute.resolved_by, dispute.resolved_at = reviewer.id, utcnow()
    return regraded
