"""The key an attempt is graded on: the stored key plus the corrections that reach it.

A correction reaches an attempt when it applies to every cohort (an administrator's decision)
or to the cohort the attempt was started in (a supervisor's decision for their own cohorts).
One supervisor's reading of a key therefore never changes another cohort's grades.
"""

from __future__ import annotations

from sqlalchemy import select

from trainer.core.content.generation import Variant
from trainer.core.grading.key_corrections import Correction, apply_corrections, changes_from

from ..core.claims import AnswerKey
from ..extensions import db
from ..models import Attempt, KeyCorrection

EVERYONE = "all"
OWN_COHORTS = "cohorts"


def variant_of(attempt: Attempt) -> Variant:
    return Variant.from_dict(attempt.variant)


def reaches(row: KeyCorrection, cohort_id: int | None) -> bool:
    """Whether a correction applies to a chart of this cohort (None: a trainee in no cohort)."""
    return row.applies_to == EVERYONE or (
        cohort_id is not None and cohort_id in (row.cohort_ids or [])
    )


def _rows_for(attempt: Attempt) -> list[KeyCorrection]:
    rows = db.session.scalars(
        select(KeyCorrection)
        .where(KeyCorrection.template_id == attempt.template_id)
        .order_by(KeyCorrection.version)
    )
    return [r for r in rows if reaches(r, attempt.cohort_id)]


def correction_of(row: KeyCorrection) -> Correction:
    """A stored correction as the core applies it (its changes were checked when saved)."""
    return Correction(
        dict(row.replace or {}), dict(row.accept or {}), row.reason, changes_from(row.changes)
    )


def corrections_for(attempt: Attempt) -> list[Correction]:
    """The corrections that reach this attempt, oldest first."""
    return [correction_of(r) for r in _rows_for(attempt)]


def key_version(attempt: Attempt) -> int:
    """1 for the key as generated; else the version of the newest correction reaching it."""
    rows = _rows_for(attempt)
    return int(rows[-1].version) if rows else 1


def current_key(attempt: Attempt) -> AnswerKey:
    """The attempt's stored key with every correction reaching it applied, in order."""
    return apply_corrections(variant_of(attempt).key, corrections_for(attempt))
