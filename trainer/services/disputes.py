"""Disputes and key corrections: a trainee challenges a key, a supervisor accepts or rejects.

Accepting with a correction creates a new key version for the template and regrades, in the
same transaction, the submitted attempts it reaches; each attempt keeps its earlier grades and
its reviewer's overrides. A supervisor's correction reaches the attempts of that supervisor's
own cohorts (``cohorts.managed_cohort_ids``); one for every cohort is an administrator's
decision, and the other cohorts' supervisors see it in their list of key corrections.

This module holds the disputes and the checks and recording of a correction; the regrade and
the list of corrections a supervisor sees are in ``corrections`` (re-exported here).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select

from trainer.core.codesets.codes import guess_kind, normalize
from trainer.core.grading.key_corrections import (
    KeyChange,
    KeyChangeError,
    apply_change,
    changes_from,
    diagnosis_problem,
    key_codes,
)

from ..database import write_transaction
from ..extensions import db
from ..models import Attempt, CohortMember, Dispute, KeyCorrection, User, utcnow
from . import audit
from .access import exam_is_open
from .cohorts import managed_cohort_ids
from .corrections import CorrectionNotice, corrections_seen_by, regrade
from .keys import EVERYONE, OWN_COHORTS, current_key, variant_of
from .practice import PracticeError

__all__ = [
    "MAX_TEXT",
    "MIN_CITATION",
    "CorrectionNotice",
    "DisputeError",
    "accept_dispute",
    "can_review",
    "correct_key",
    "corrections_seen_by",
    "open_dispute",
    "reject_dispute",
    "visible_disputes",
]

MIN_CITATION = 10
MAX_TEXT = 4000


class DisputeError(PracticeError):
    """A user-facing reason a dispute or correction cannot be recorded."""


def open_dispute(attempt: Attempt, user_id: int, item: str, citation: str) -> Dispute:
    text = citation.strip()
    if attempt.user_id != user_id or attempt.status != "submitted":
        raise DisputeError("Only your own submitted charts can be disputed.")
    if exam_is_open(attempt):
        raise DisputeError("An exam chart can be disputed once the exam is over.")
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
    """Disputes of charts of the viewer's cohorts (all of them for an admin), oldest first.

    A chart belongs to the cohort it was started in, which is also how far its supervisor's
    key correction reaches; a chart from before the trainee joined any cohort goes by their
    current cohort.
    """
    query = select(Dispute).join(Attempt, Attempt.id == Dispute.attempt_id)
    query = query.order_by(Dispute.created_at)
    if status:
        query = query.where(Dispute.status == status)
    if not viewer.is_admin:
        mine = managed_cohort_ids(viewer)
        members = select(CohortMember.user_id).where(CohortMember.cohort_id.in_(mine))
        query = query.where(
            or_(
                Attempt.cohort_id.in_(mine),
                Attempt.cohort_id.is_(None) & Dispute.user_id.in_(members),
            )
        )
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


def _clean_change(change: KeyChange) -> KeyChange:
    """The change with its code and modifiers spelled as the catalog spells them."""
    code = normalize(change.code, guess_kind(change.code))
    revenue = change.revenue_code
    if revenue and revenue.isdigit():
        revenue = revenue.zfill(4)
    return KeyChange(
        change.op,
        code,
        change.position,
        change.modifiers,
        change.units,
        revenue,
        change.pointers,
        change.rationale,
    )


def _check_changes(changes: tuple[KeyChange, ...], sample: Attempt, catalog: Any) -> None:
    """Each change must fit the key it edits (the newest key of a chart in scope): an added
    code is a real code on the chart's date of service and not keyed already; a removed,
    changed or moved one is keyed; modifiers and revenue codes exist; no diagnosis goes past
    the last one the key's claim carries (``diagnosis_problem``: 25 on an inpatient claim, 12
    otherwise), counted after the changes before it."""
    key = current_key(sample)
    after = key
    dos = variant_of(sample).date_of_service
    dx = {d.code for d in key.diagnoses}
    lines = {k.line.code for k in key.lines}
    for change in changes:
        code, kind = change.code, guess_kind(change.code)
        if change.op == "add_diagnosis" or change.op == "add_line":
            wanted = ("icd10cm",) if change.op == "add_diagnosis" else ("cpt", "hcpcs")
            if kind not in wanted:
                what = "a diagnosis (ICD-10-CM)" if change.op == "add_diagnosis" else "a line"
                raise DisputeError(f"{code} cannot be added as {what}.")
            if code in dx | lines:
                raise DisputeError(f"{code} is already in the key.")
            found = catalog.validate(code, kind, dos)
            if not found.valid:
                raise DisputeError(f"{code} cannot be keyed on {dos}: {found.message}")
        elif change.op == "remove" and code not in dx | lines:
            raise DisputeError(f"{code} is not in the current key.")
        elif change.op == "change_line" and code not in lines:
            raise DisputeError(f"{code} is not a line of the current key.")
        elif change.op == "move_diagnosis" and code not in dx:
            raise DisputeError(f"{code} is not a diagnosis of the current key.")
        for modifier in change.modifiers or ():
            if not catalog.validate(modifier, "modifier", dos).valid:
                raise DisputeError(f"{modifier} is not a modifier.")
        if change.revenue_code and not catalog.validate(change.revenue_code, "revenue", dos).valid:
            raise DisputeError(f"{change.revenue_code} is not a revenue code.")
        if key.setting == "facility" and change.op == "add_line" and not change.revenue_code:
            raise DisputeError(f"{code}: a facility line needs a revenue code (UB-04 FL 42).")
        problem = diagnosis_problem(after, change)
        if problem:
            raise DisputeError(problem)
        after = apply_change(after, change)


def correct_key(
    template_id: str,
    replace: dict[str, str],
    accept: dict[str, list[str]],
    reason: str,
    author: User,
    catalog: Any,
    dispute_id: int | None = None,
    *,
    everyone: bool | None = None,
    changes: list[dict[str, Any]] | None = None,
) -> tuple[KeyCorrection, int]:
    """Record a new key version and regrade the submitted attempts it reaches.

    A supervisor's correction reaches their own cohorts only; ``everyone`` (the default for an
    administrator) reaches every cohort and may only be chosen by an administrator.
    """
    if everyone is None:
        everyone = author.is_admin
    if everyone and not author.is_admin:
        raise DisputeError(
            "Only an administrator can correct a key for every cohort; your correction "
            "applies to your own cohorts."
        )
    cohort_ids = [] if everyone else managed_cohort_ids(author)
    if not everyone and not cohort_ids:
        raise DisputeError("You run no cohort, so a correction would reach no chart.")
    replace, accept = _clean_codes(replace), _clean_codes(accept)
    try:
        edits = tuple(_clean_change(c) for c in changes_from(list(changes or [])))
    except KeyChangeError as exc:
        raise DisputeError(str(exc)) from exc
    if not replace and not accept and not edits:
        raise DisputeError(
            "A correction replaces a keyed code, accepts another code, adds a missing code, "
            "removes one, or changes a line or the sequence."
        )
    if not reason.strip():
        raise DisputeError("Give the reason for the correction; trainees will read it.")
    in_scope = select(Attempt).where(Attempt.template_id == template_id)
    if not everyone:
        in_scope = in_scope.where(Attempt.cohort_id.in_(cohort_ids))
    sample = db.session.scalar(in_scope.limit(1))
    if sample is not None:
        keyed = key_codes(current_key(sample))
        unknown = [c for c in list(replace) + list(accept) if c not in keyed]
        if unknown:
            raise DisputeError(f"{', '.join(unknown)} is not in the current key.")
        _check_changes(edits, sample, catalog)
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
            applies_to=EVERYONE if everyone else OWN_COHORTS,
            cohort_ids=cohort_ids,
            changes=[c.to_dict() for c in edits],
            created_by=author.id,
        )
        session.add(correction)
        session.flush()
        regraded = regrade(session, correction, catalog)
        audit.record(
            session,
            author,
            "key.correct",
            "template",
            None,
            f"{template_id} v{version} ({'every cohort' if everyone else 'own cohorts'}): "
            f"replace {replace or '-'}, accept {accept or '-'}; {regraded} regraded",
        )
    return correction, regraded


def accept_dispute(
    dispute: Dispute,
    reviewer: User,
    replace: dict[str, str],
    accept: dict[str, list[str]],
    response: str,
    catalog: Any,
    changes: list[dict[str, Any]] | None = None,
) -> int:
    """Accept: correct the key (new version; the attempts it reaches regraded) and answer the
    trainee. A supervisor's acceptance corrects the key for their own cohorts, an
    administrator's for every cohort."""
    if dispute.status != "open":
        raise DisputeError("This dispute is already resolved.")
    attempt = db.session.get(Attempt, dispute.attempt_id)
    assert attempt is not None
    _, regraded = correct_key(
        attempt.template_id,
        replace,
        accept,
        response or dispute.citation,
        reviewer,
        catalog,
        dispute.id,
        changes=changes,
    )
    with write_transaction(db.session):
        dispute.status = "accepted"
        dispute.response = response.strip()[:MAX_TEXT] or "Accepted: the key was corrected."
        dispute.resolved_by, dispute.resolved_at = reviewer.id, utcnow()
    return regraded
