"""The key an attempt is graded on: the stored key plus the template's corrections."""

from __future__ import annotations

from sqlalchemy import func, select

from trainer.core.content.generation import Variant
from trainer.core.grading.key_corrections import Correction, apply_corrections

from ..core.claims import AnswerKey
from ..extensions import db
from ..models import Attempt, KeyCorrection


def variant_of(attempt: Attempt) -> Variant:
    return Variant.from_dict(attempt.variant)


def corrections_for(template_id: str) -> list[Correction]:
    rows = db.session.scalars(
        select(KeyCorrection)
        .where(KeyCorrection.template_id == template_id)
        .order_by(KeyCorrection.version)
    )
    return [Correction(dict(r.replace or {}), dict(r.accept or {}), r.reason) for r in rows]


def key_version(template_id: str) -> int:
    """1 for the key as generated; one more for each correction."""
    latest = db.session.scalar(
        select(func.max(KeyCorrection.version)).where(KeyCorrection.template_id == template_id)
    )
    return int(latest or 1)


def current_key(attempt: Attempt) -> AnswerKey:
    """The attempt's stored key with every correction of its template applied, in order."""
    return apply_corrections(variant_of(attempt).key, corrections_for(attempt.template_id))
