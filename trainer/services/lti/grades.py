"""Scores back to the LMS gradebook (LTI Assignment and Grade Services 2.0).

A trainee's score on an assignment is the mean of its charts' current scores (after any
review or dispute), as a percentage. It is written to an outbox row when the run finishes and
sent at once; an LMS that is down or refuses leaves the row ``failed`` for
``trainer lti-send-grades``, which also re-sends a score that changed since (a review
override, a key correction). A trainee's work never waits on the LMS.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.exception import LtiException, LtiServiceException
from pylti1p3.grade import Grade
from pylti1p3.service_connector import ServiceConnector
from requests import RequestException
from sqlalchemy import func, select

from ...database import write_transaction
from ...extensions import db
from ...models import (
    AssignmentRun,
    Attempt,
    LtiContext,
    LtiGradeSend,
    LtiPlatform,
    LtiResourceLink,
    LtiUser,
    utcnow,
)
from .http import platform_session
from .tool_config import registration_of

SCORE_MAXIMUM = 100.0
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"


@dataclass(frozen=True)
class SendSummary:
    sent: int
    failed: int


def run_score(run_id: int) -> float | None:
    """Mean chart score of a run, 0-100; None while no chart has a score."""
    mean = db.session.scalar(
        select(func.avg(Attempt.score)).where(Attempt.run_id == run_id, Attempt.score.is_not(None))
    )
    return None if mean is None else round(float(mean) * SCORE_MAXIMUM, 2)


def _links_for(run: AssignmentRun) -> list[tuple[LtiResourceLink, LtiUser]]:
    """The course placements of the run's assignment that know this trainee (same platform)."""
    rows = db.session.execute(
        select(LtiResourceLink, LtiUser)
        .join(LtiContext, LtiContext.id == LtiResourceLink.context_pk)
        .join(
            LtiUser,
            (LtiUser.platform_id == LtiContext.platform_id) & (LtiUser.user_id == run.user_id),
        )
        .where(LtiResourceLink.assignment_id == run.assignment_id)
    ).all()
    return [(link, lti_user) for link, lti_user in rows if link.ags_endpoint]


def run_finished(run: AssignmentRun) -> None:
    """Queue (and try to send) the run's score to every gradebook column that expects it."""
    if run.finished_at is None:
        return
    links = _links_for(run)
    score = run_score(run.id) if links else None
    if score is None:
        return
    queued = []
    with write_transaction(db.session) as session:
        for link, _ in links:
            row = session.scalar(
                select(LtiGradeSend).where(
                    LtiGradeSend.link_id == link.id, LtiGradeSend.user_id == run.user_id
                )
            )
            if row is None:
                row = LtiGradeSend(link_id=link.id, user_id=run.user_id, run_id=run.id, score=score)
                session.add(row)
            elif row.score == score and row.status == "sent":
                continue
            row.score, row.run_id, row.status = score, run.id, "pending"
            row.updated_at = utcnow()
            session.flush()
            queued.append(row.id)
    for row_id in queued:
        send(row_id)


def _destination(row: LtiGradeSend) -> tuple[LtiResourceLink, LtiPlatform, str] | None:
    """The link, its platform and the trainee's id there, in one query."""
    found = db.session.execute(
        select(LtiResourceLink, LtiPlatform, LtiUser.subject)
        .join(LtiContext, LtiContext.id == LtiResourceLink.context_pk)
        .join(LtiPlatform, LtiPlatform.id == LtiContext.platform_id)
        .join(LtiUser, (LtiUser.platform_id == LtiPlatform.id) & (LtiUser.user_id == row.user_id))
        .where(LtiResourceLink.id == row.link_id)
    ).first()
    return None if found is None else (found[0], found[1], found[2])


def _post_score(row: LtiGradeSend) -> str:
    """Send the row's score; '' on success, else why not (kept on the row for the admin)."""
    destination = _destination(row)
    if destination is None:
        return "The link or the trainee's LMS account no longer exists."
    link, platform, subject = destination
    endpoint: Any = link.ags_endpoint
    if not platform.active:
        return "The LMS registration is deactivated."
    if SCORE_SCOPE not in endpoint.get("scope", []) or not endpoint.get("lineitem"):
        return "The LMS gave this link no gradebook column to score."
    grade = (
        Grade()
        .set_score_given(row.score)
        .set_score_maximum(SCORE_MAXIMUM)
        .set_user_id(subject)
        .set_activity_progress("Completed")
        .set_grading_progress("FullyGraded")
        .set_timestamp(datetime.now(UTC).isoformat(timespec="milliseconds"))
    )
    connector = ServiceConnector(registration_of(platform), platform_session())
    try:
        AssignmentsGradesService(connector, endpoint).put_grade(grade)
    except (LtiServiceException, LtiException, RequestException, ValueError) as exc:
        return f"{type(exc).__name__}: {exc}"[:500]
    return ""


def send(row_id: int) -> bool:
    """POST one score to the platform; the outcome is recorded on the row either way."""
    row = db.session.get(LtiGradeSend, row_id)
    if row is None:
        return False
    error = _post_score(row)
    with write_transaction(db.session):
        row.tries += 1
        row.updated_at = utcnow()
        if error:
            row.status, row.last_error = "failed", error
        else:
            row.status, row.sent_score, row.last_error = "sent", row.score, ""
    return not error


def send_outstanding() -> SendSummary:
    """Re-score every queued run (scores move after review) and send what the LMS lacks."""
    sent = failed = 0
    for row in list(db.session.scalars(select(LtiGradeSend).order_by(LtiGradeSend.id))):
        row_id, score = row.id, run_score(row.run_id)
        if score is not None and score != row.score:
            with write_transaction(db.session):
                row.score, row.status = score, "pending"
        if row.status != "sent" or row.sent_score != row.score:
            if send(row_id):
                sent += 1
            else:
                failed += 1
    return SendSummary(sent, failed)


def outbox() -> list[LtiGradeSend]:
    return list(db.session.scalars(select(LtiGradeSend).order_by(LtiGradeSend.updated_at.desc())))
