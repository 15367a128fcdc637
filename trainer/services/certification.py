"""Certification: a supervisor certifies a trainee in a specialty when the evidence supports
it (``core.stats.mastery.CertificationEvidence``), and may revoke it, saying why.

Who may: ``cohorts.supervises`` (the supervisor of the trainee's cohort, or an administrator,
never for themselves). The evidence is the counted practice figures (``figures``: submitted,
no open exam, no refresher), so reviewed charts count at their reviewed grade; the target is
the trainee's own for the specialty (set on import) or the configured one. The certificate
copies the figures in, so it keeps saying what it rested on after later charts move them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from trainer.core.content.templates import SPECIALTIES
from trainer.core.stats.mastery import CertificationEvidence

from ..database import write_transaction
from ..extensions import db
from ..models import Attempt, Certificate, Cohort, CohortMember, Review, User, utcnow
from . import audit
from .cohorts import can_manage, members_of, supervises
from .figures import practice_figures
from .progress import specialty_summaries

MAX_REASON = 2000


class CertificationError(ValueError):
    """A user-facing reason a certificate cannot be signed or revoked."""


def trainee_target(trainee: User, specialty: str, default: float) -> float:
    targets = db.session.scalar(
        select(CohortMember.targets).where(CohortMember.user_id == trainee.id)
    )
    return float((targets or {}).get(specialty, default))


def _reviewed(trainee_id: int) -> dict[str, int]:
    rows = db.session.execute(
        select(Attempt.specialty, func.count(Review.id))
        .join(Review, Review.attempt_id == Attempt.id)
        .where(Attempt.user_id == trainee_id, *practice_figures())
        .group_by(Attempt.specialty)
    )
    return {specialty: int(n) for specialty, n in rows}


def evidence_by_specialty(trainee: User, default_target: float) -> dict[str, CertificationEvidence]:
    reviewed = _reviewed(trainee.id)
    found = {}
    for item in specialty_summaries(trainee.id, default_target, default_target):
        s = item.summary
        found[item.specialty] = CertificationEvidence(
            s.charts,
            reviewed.get(item.specialty, 0),
            s.codes_correct,
            s.codes_total,
            trainee_target(trainee, item.specialty, default_target),
        )
    return found


def evidence(trainee: User, specialty: str, default_target: float) -> CertificationEvidence:
    return evidence_by_specialty(trainee, default_target).get(
        specialty,
        CertificationEvidence(0, 0, 0, 0, trainee_target(trainee, specialty, default_target)),
    )


def active_certificate(trainee_id: int, specialty: str) -> Certificate | None:
    return db.session.scalar(
        select(Certificate).where(
            Certificate.user_id == trainee_id,
            Certificate.specialty == specialty,
            Certificate.revoked_at.is_(None),
        )
    )


def certificates_of(trainee: User) -> list[Certificate]:
    return list(
        db.session.scalars(
            select(Certificate)
            .where(Certificate.user_id == trainee.id)
            .order_by(Certificate.signed_at.desc(), Certificate.id.desc())
        )
    )


def certify(viewer: User, trainee: User, specialty: str, default_target: float) -> Certificate:
    if not supervises(viewer, trainee) or trainee.role != "trainee":
        raise CertificationError("You can certify trainees of your own cohorts only.")
    if specialty not in SPECIALTIES:
        raise CertificationError("Choose one of the specialties.")
    found = evidence(trainee, specialty, default_target)
    why_not = found.shortfall()
    if why_not:
        raise CertificationError(f"The evidence does not support a certificate yet: {why_not}")
    with write_transaction(db.session) as session:
        if active_certificate(trainee.id, specialty) is not None:
            raise CertificationError(
                f"{trainee.display_name} is already certified in {SPECIALTIES[specialty]}."
            )
        certificate = Certificate(
            user_id=trainee.id,
            specialty=specialty,
            charts=found.charts,
            reviewed_charts=found.reviewed_charts,
            codes_correct=found.codes_correct,
            codes_total=found.codes_total,
            wilson_low=found.wilson_low,
            target=found.target,
            signed_by=viewer.id,
            signed_at=utcnow(),
        )
        session.add(certificate)
        session.flush()
        audit.record(
            session,
            viewer,
            "certificate.sign",
            "user",
            trainee.id,
            f"{specialty}: {found.codes_correct}/{found.codes_total} codes over {found.charts} "
            f"charts, lower bound {found.wilson_low:.4f} >= target {found.target:.2f}",
        )
    return certificate


def visible_certificate(viewer: User, certificate_id: int) -> Certificate | None:
    """A certificate of a trainee the viewer supervises (None otherwise: callers 404)."""
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or not supervises(viewer, certificate.user):
        return None
    return certificate


def held_certificate(viewer: User, certificate_id: int) -> Certificate | None:
    """A certificate as its holder sees it: the viewer's own, never anyone else's (None
    otherwise, so callers 404 and another trainee's certificate is not confirmed to exist).
    Supervisors reach their trainees' certificates through ``visible_certificate``."""
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or certificate.user_id != viewer.id:
        return None
    return certificate


def revoke(viewer: User, certificate: Certificate, reason: str) -> None:
    if not supervises(viewer, certificate.user):
        raise CertificationError("You can revoke certificates of your own cohorts' trainees.")
    text = reason.strip()
    if not text or len(text) > MAX_REASON:
        raise CertificationError(f"Say why it is revoked (1-{MAX_REASON} characters).")
    with write_transaction(db.session) as session:
        if certificate.revoked_at is not None:
            raise CertificationError("This certificate is already revoked.")
        certificate.revoked_at = utcnow()
        certificate.revoked_by = viewer.id
        certificate.revoke_reason = text
        audit.record(
            session,
            viewer,
            "certificate.revoke",
            "user",
            certificate.user_id,
            f"{certificate.specialty} (certificate {certificate.id}): {text}",
        )


@dataclass(frozen=True)
class ReadinessRow:
    trainee: User
    specialty: str
    evidence: CertificationEvidence
    certificate: Certificate | None


@dataclass(frozen=True)
class Readiness:
    ready: list[ReadinessRow]
    certified: list[ReadinessRow]
    not_yet: list[ReadinessRow]


def readiness(viewer: User, cohort: Cohort, default_target: float) -> Readiness:
    """Who in the cohort is ready to certify (not yet certified), who is certified, and who
    is not there yet, per specialty they have charts in."""
    if not can_manage(viewer, cohort):
        raise CertificationError("Reports are for your own cohorts.")
    members = members_of(cohort)
    active = {
        (c.user_id, c.specialty): c
        for c in db.session.scalars(
            select(Certificate).where(
                Certificate.user_id.in_([m.id for m in members]),
                Certificate.revoked_at.is_(None),
            )
        )
    }
    ready, certified, not_yet = [], [], []
    for member in members:
        for specialty, found in sorted(evidence_by_specialty(member, default_target).items()):
            row = ReadinessRow(member, specialty, found, active.get((member.id, specialty)))
            if row.certificate is not None:
                certified.append(row)
            elif found.ready:
                ready.append(row)
            else:
                not_yet.append(row)
    for (user_id, specialty), certificate in active.items():
        if not any(r.certificate is certificate for r in certified):
            member = next(m for m in members if m.id == user_id)
            found = evidence(member, specialty, default_target)
            certified.append(ReadinessRow(member, specialty, found, certificate))
    return Readiness(ready, certified, not_yet)
